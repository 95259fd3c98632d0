// PayPal payment status → Dataverse status reasons, as data: the solution's `ppc_StatusMap` environment
// variable (solution/README.md "Configure after import"), read with the other reference data and cached
// like the GL account map. Pure: parsing, validation and the shipped default.
//
// The value is JSON:
//   { "transaction":   { "<PayPal status>": <ppc_paypaltransaction statuscode>, … },
//     "paymentStatus": { "<PayPal status>": <salesorder/invoice ppc_paymentstatus>, … } }
// or, as the first release shipped it, only the "transaction" object. Every PayPal status must be mapped
// (an admin's map applies whole or not at all), to a status reason of that table (its state follows from the
// solution's state model). What a status *means* for the books (posting on COMPLETED, review on
// DECLINED/FAILED) stays in code: the map only names the status reason written.
import {
  DEFAULT_STATUS_MAP as SOLUTION_DEFAULT,
  PaymentStatus,
  TransactionStatus,
  paypalTransaction,
  statusPairs,
} from '@ppc/solution';
import { z } from 'zod';
import { AppError } from '../errors.ts';

/** The PayPal capture/sale statuses the flows record (payment-facts.ts maps v1 sale states onto these). */
export const PAYPAL_PAYMENT_STATUSES = [
  'COMPLETED',
  'PENDING',
  'DECLINED',
  'FAILED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
  'REVERSED',
] as const;
export type PayPalPaymentStatus = (typeof PAYPAL_PAYMENT_STATUSES)[number];

export interface StatusReason {
  readonly statecode: number;
  readonly statuscode: number;
}
export interface StatusMap {
  readonly transaction: Readonly<Record<PayPalPaymentStatus, StatusReason>>;
  readonly paymentStatus: Readonly<Record<PayPalPaymentStatus, number>>;
}

/** The shipped default: the solution's ppc_StatusMap default value, and what applies when it is absent. */
export const DEFAULT_STATUS_MAP_CONFIG = SOLUTION_DEFAULT satisfies Record<
  keyof StatusMap,
  Record<PayPalPaymentStatus, number>
>;

const PAIRS = new Map(Object.values(statusPairs(paypalTransaction, TransactionStatus)).map((p) => [p.statuscode, p]));
const PAYMENT_STATUS_VALUES = new Set<number>(Object.values(PaymentStatus));

const oneOf = (allowed: ReadonlySet<number> | ReadonlyMap<number, unknown>, what: string) =>
  z
    .number()
    .int()
    .refine((v) => allowed.has(v), { message: `not a ${what}` });
const perStatus = (value: z.ZodType<number>) =>
  z.strictObject(
    Object.fromEntries(PAYPAL_PAYMENT_STATUSES.map((s) => [s, value])) as Record<
      PayPalPaymentStatus,
      z.ZodType<number>
    >,
  );
const transactionMap = perStatus(oneOf(PAIRS, 'ppc_paypaltransaction status reason'));
const paymentStatusMap = perStatus(oneOf(PAYMENT_STATUS_VALUES, 'ppc_paymentstatus value'));

const fullForm = z.strictObject({ transaction: transactionMap, paymentStatus: paymentStatusMap });
// the first release's flat form: transaction status reasons only
const flatForm = transactionMap.transform((transaction) => ({
  transaction,
  paymentStatus: DEFAULT_STATUS_MAP_CONFIG.paymentStatus,
}));

function toStatusMap(config: {
  transaction: Record<PayPalPaymentStatus, number>;
  paymentStatus: Record<PayPalPaymentStatus, number>;
}): StatusMap {
  const transaction = Object.fromEntries(
    PAYPAL_PAYMENT_STATUSES.map((s) => [s, PAIRS.get(config.transaction[s])!]),
  ) as Record<PayPalPaymentStatus, StatusReason>;
  return { transaction, paymentStatus: { ...config.paymentStatus } };
}

export const DEFAULT_STATUS_MAP: StatusMap = toStatusMap(DEFAULT_STATUS_MAP_CONFIG);

export type StatusMapResult = { ok: true; map: StatusMap } | { ok: false; issues: string[] };

/** The admin's ppc_StatusMap value; absent or empty means the shipped default. */
export function parseStatusMap(value: string | undefined): StatusMapResult {
  if (value === undefined || value.trim() === '') return { ok: true, map: DEFAULT_STATUS_MAP };
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (err) {
    return { ok: false, issues: [`not JSON: ${(err as Error).message}`] };
  }
  const isFull = typeof json === 'object' && json !== null && ('transaction' in json || 'paymentStatus' in json);
  const parsed = (isFull ? fullForm : flatForm).safeParse(json);
  if (parsed.success) return { ok: true, map: toStatusMap(parsed.data) };
  return { ok: false, issues: issuesOf(parsed.error) };
}

/** One line per problem, naming the key (`transaction.COMPLETED: not a … status reason`). */
function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`);
}

/**
 * The map a flow may apply, or a non-retryable error. An invalid admin map stops the event (dead letter,
 * admin alert) rather than booking it with the shipped statuses: the admin chose other status reasons for a
 * reason (e.g. hold fulfilment), and a dead-lettered event is replayed once the map is fixed, while a wrong
 * status reason written to Dataverse is not undone by anything.
 */
export function requireStatusMap(result: StatusMapResult): StatusMap {
  if (result.ok) return result.map;
  throw new AppError({
    code: 'status_map_invalid',
    message: `environment variable ppc_StatusMap is invalid: ${result.issues.join('; ')}`,
    // configuration the admin must fix: not retried, dead-lettered and replayed after the fix
    failure: 'rejected',
    httpStatus: 500,
    details: { issues: result.issues },
  });
}
