// Disputes v1 (customer_disputes_v1.json): list and get through the API; opened, escalated and resolved
// through the control API (a buyer or card issuer acts on PayPal's side). Merchant accept-claim via API.
import type { Emulator } from '../emulator.ts';
import type { Route } from '../core/router.ts';
import type { Capture } from '../core/state.ts';
import { errors } from '../core/errors.ts';
import { formatAmount, money, parseAmount } from '../core/money.ts';
import { createRefund, getCapture } from './captures.ts';
import { recordLedger } from './ledger.ts';

type Json = Record<string, unknown>;

const REASONS = [
  'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
  'MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED',
  'UNAUTHORISED',
  'CREDIT_NOT_PROCESSED',
  'DUPLICATE_TRANSACTION',
  'INCORRECT_AMOUNT',
  'PAYMENT_BY_OTHER_MEANS',
  'CANCELED_RECURRING_BILLING',
  'PROBLEM_WITH_REMITTANCE',
  'OTHER',
];
const OUTCOMES = [
  'RESOLVED_BUYER_FAVOUR',
  'RESOLVED_SELLER_FAVOUR',
  'RESOLVED_WITH_PAYOUT',
  'CANCELED_BY_BUYER',
  'ACCEPTED',
  'DENIED',
  'NONE',
];

interface Dispute {
  id: string;
  captureId: string;
  reason: string;
  status: string;
  stage: string;
  channel: string;
  currency: string;
  amountMinor: number;
  createTime: string;
  updateTime: string;
  outcome?: string;
  messages: Array<{ posted_by: string; time_posted: string; content: string }>;
  sellerResponseDue?: string;
}

function state(status: string): string {
  if (status === 'RESOLVED') return 'RESOLVED';
  if (status === 'UNDER_REVIEW') return 'UNDER_PAYPAL_REVIEW';
  if (status === 'WAITING_FOR_BUYER_RESPONSE') return 'REQUIRED_OTHER_PARTY_ACTION';
  return 'REQUIRED_ACTION';
}

function all(emu: Emulator): Dispute[] {
  return Object.values(emu.state.disputes) as unknown as Dispute[];
}

function get(emu: Emulator, id: string): Dispute {
  const d = emu.state.disputes[id] as unknown as Dispute | undefined;
  if (!d) throw errors.notFound('dispute_id', id);
  return d;
}

export function renderDispute(emu: Emulator, d: Dispute, c: Capture | undefined): Json {
  return {
    dispute_id: d.id,
    create_time: d.createTime,
    update_time: d.updateTime,
    disputed_transactions: [
      {
        seller_transaction_id: d.captureId,
        ...(c
          ? {
              create_time: c.createTime,
              transaction_status:
                c.status === 'REFUNDED' || c.status === 'PARTIALLY_REFUNDED' ? 'REFUNDED' : 'COMPLETED',
              gross_amount: money(c.grossMinor, c.currency),
            }
          : {}),
        ...(c?.invoiceId ? { invoice_number: c.invoiceId } : {}),
        ...(c?.customId ? { custom: c.customId } : {}),
        ...(c?.payer ? { buyer: { name: `${c.payer.givenName} ${c.payer.surname}` } } : {}),
        seller: { merchant_id: emu.config.merchant.accountId, name: 'Emulator Store' },
      },
    ],
    reason: d.reason,
    status: d.status,
    dispute_amount: money(d.amountMinor, d.currency),
    ...(d.outcome
      ? {
          dispute_outcome: {
            outcome_code: d.outcome,
            ...(d.outcome === 'RESOLVED_BUYER_FAVOUR' || d.outcome === 'ACCEPTED'
              ? { amount_refunded: money(d.amountMinor, d.currency) }
              : {}),
          },
        }
      : {}),
    dispute_life_cycle_stage: d.stage,
    dispute_channel: d.channel,
    ...(d.messages.length ? { messages: d.messages } : {}),
    ...(d.sellerResponseDue && d.status !== 'RESOLVED' ? { seller_response_due_date: d.sellerResponseDue } : {}),
    links: [{ href: emu.link(`/v1/customer/disputes/${d.id}`), rel: 'self', method: 'GET' }],
  };
}

function summaryInfo(emu: Emulator, d: Dispute): Json {
  return {
    dispute_id: d.id,
    create_time: d.createTime,
    update_time: d.updateTime,
    reason: d.reason,
    status: d.status,
    dispute_state: state(d.status),
    dispute_amount: money(d.amountMinor, d.currency),
    dispute_life_cycle_stage: d.stage,
    dispute_channel: d.channel,
    links: [{ href: emu.link(`/v1/customer/disputes/${d.id}`), rel: 'self', method: 'GET' }],
  };
}

function emitDispute(emu: Emulator, type: 'CREATED' | 'UPDATED' | 'RESOLVED', d: Dispute): void {
  const summary =
    type === 'CREATED'
      ? `A new dispute opened with Case # ${d.id}`
      : type === 'RESOLVED'
        ? `A dispute was resolved with case # ${d.id}`
        : `A dispute was updated with case # ${d.id}`;
  emu.emit(
    `CUSTOMER.DISPUTE.${type}`,
    'dispute',
    '1.0',
    summary,
    renderDispute(emu, d, emu.state.captures[d.captureId]),
  );
}

function touch(emu: Emulator, d: Dispute): void {
  d.updateTime = emu.nowIso();
}

/** Resolution: buyer favour reverses the capture (PAYMENT.CAPTURE.REVERSED); the hold is released either way. */
function resolve(emu: Emulator, d: Dispute, outcome: string): void {
  const c = emu.state.captures[d.captureId];
  d.status = 'RESOLVED';
  d.outcome = outcome;
  touch(emu, d);
  if (c) {
    c.disputed = false;
    releaseHold(emu, d, c);
    if ((outcome === 'RESOLVED_BUYER_FAVOUR' || outcome === 'ACCEPTED') && c.grossMinor > c.refundedMinor) {
      createRefund(emu, c, Math.min(d.amountMinor, c.grossMinor - c.refundedMinor), { reversal: true });
    }
  }
  emitDispute(emu, 'RESOLVED', d);
}

function releaseHold(emu: Emulator, d: Dispute, c: Capture): void {
  const now = emu.nowIso();
  recordLedger(emu, {
    transactionId: emu.random.paypalId(),
    referenceId: c.id,
    referenceIdType: 'TXN',
    eventCode: 'T1111',
    initiationTime: now,
    updatedTime: now,
    currency: d.currency,
    amountMinor: d.amountMinor,
    feeMinor: 0,
    status: 'S',
    balanceAffecting: true,
    note: `release of hold for dispute ${d.id}`,
  });
}

export function disputeRoutes(emu: Emulator): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/customer/disputes',
      handler: ({ query }) => {
        const txn = query.get('disputed_transaction_id');
        const start = query.get('start_time');
        if (txn && start) throw errors.invalidField('start_time', start, 'query', 'INVALID_PARAMETER_VALUE');
        const stateFilter = query.get('dispute_state');
        const size = Math.min(50, Math.max(1, Number(query.get('page_size') ?? 10) || 10));
        const offset = Number(query.get('next_page_token') ?? 0) || 0;
        const list = all(emu)
          .filter((d) => !txn || d.captureId === txn)
          .filter((d) => !start || d.createTime >= start)
          .filter((d) => !stateFilter || stateFilter.split(',').includes(state(d.status)))
          .sort((a, b) => (a.createTime < b.createTime ? 1 : -1));
        const page = list.slice(offset, offset + size);
        const links: Json[] = [
          { href: emu.link(`/v1/customer/disputes?page_size=${size}`), rel: 'self', method: 'GET' },
        ];
        if (offset + size < list.length)
          links.push({
            href: emu.link(`/v1/customer/disputes?page_size=${size}&next_page_token=${offset + size}`),
            rel: 'next',
            method: 'GET',
          });
        return { status: 200, body: { items: page.map((d) => summaryInfo(emu, d)), links } };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/customer/disputes/:id',
      handler: ({ params }) => {
        const d = get(emu, params.id!);
        return { status: 200, body: renderDispute(emu, d, emu.state.captures[d.captureId]) };
      },
    },
    {
      method: 'POST',
      pattern: '/v1/customer/disputes/:id/accept-claim',
      handler: ({ params }) => {
        const d = get(emu, params.id!);
        if (d.status === 'RESOLVED')
          throw errors.unprocessable('DISPUTE_ALREADY_RESOLVED', 'The dispute is already resolved.');
        resolve(emu, d, 'ACCEPTED');
        return {
          status: 200,
          body: { links: [{ href: emu.link(`/v1/customer/disputes/${d.id}`), rel: 'self', method: 'GET' }] },
        };
      },
    },
    {
      method: 'POST',
      pattern: '/v1/customer/disputes/:id/escalate',
      handler: ({ params }) => {
        const d = get(emu, params.id!);
        if (d.stage !== 'INQUIRY' || d.status === 'RESOLVED')
          throw errors.unprocessable('INVALID_DISPUTE_STAGE', 'Only an open inquiry can be escalated to a claim.');
        d.stage = 'CHARGEBACK';
        d.status = 'UNDER_REVIEW';
        touch(emu, d);
        emitDispute(emu, 'UPDATED', d);
        return {
          status: 200,
          body: { links: [{ href: emu.link(`/v1/customer/disputes/${d.id}`), rel: 'self', method: 'GET' }] },
        };
      },
    },
  ];
}

const bad = (message: string, status = 400) => ({ status, body: { error: message } });

export function disputeControlRoutes(emu: Emulator): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/_emulator/disputes',
      handler: ({ body }) => {
        const b = (body ?? {}) as Json;
        const c = getCapture(emu, String(b.capture_id ?? ''));
        const reason = typeof b.reason === 'string' ? b.reason : 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED';
        if (!REASONS.includes(reason)) return bad(`reason must be one of ${REASONS.join(', ')}`);
        const amountMinor =
          typeof b.amount === 'string' ? parseAmount(b.amount, c.currency) : c.grossMinor - c.refundedMinor;
        if (amountMinor === null || amountMinor <= 0)
          return bad('amount must be a positive decimal string in the capture currency');
        const now = emu.nowIso();
        const stage = b.stage === 'CHARGEBACK' ? 'CHARGEBACK' : 'INQUIRY';
        const d: Dispute = {
          id: `PP-D-${emu.random.digits(6)}`,
          captureId: c.id,
          reason,
          status: 'WAITING_FOR_SELLER_RESPONSE',
          stage,
          channel: stage === 'CHARGEBACK' ? 'EXTERNAL' : 'INTERNAL',
          currency: c.currency,
          amountMinor,
          createTime: now,
          updateTime: now,
          messages: typeof b.message === 'string' ? [{ posted_by: 'BUYER', time_posted: now, content: b.message }] : [],
          sellerResponseDue: new Date(emu.clock.now().getTime() + 10 * 86_400_000)
            .toISOString()
            .replace(/\.\d{3}Z$/, 'Z'),
        };
        emu.state.disputes[d.id] = d as unknown as Json;
        c.disputed = true;
        // PayPal holds the disputed amount (T1110) until the case is resolved.
        recordLedger(emu, {
          transactionId: emu.random.paypalId(),
          referenceId: c.id,
          referenceIdType: 'TXN',
          eventCode: 'T1110',
          initiationTime: now,
          updatedTime: now,
          currency: c.currency,
          amountMinor: -amountMinor,
          feeMinor: 0,
          status: 'S',
          balanceAffecting: true,
          note: `hold for dispute ${d.id} (${formatAmount(amountMinor, c.currency)} ${c.currency})`,
        });
        emitDispute(emu, 'CREATED', d);
        return { status: 201, body: renderDispute(emu, d, c) };
      },
    },
    {
      method: 'POST',
      pattern: '/_emulator/disputes/:id/escalate',
      handler: ({ params }) => {
        const d = get(emu, params.id!);
        if (d.status === 'RESOLVED') return bad('dispute is resolved', 409);
        d.stage = d.stage === 'INQUIRY' ? 'CHARGEBACK' : d.stage === 'CHARGEBACK' ? 'PRE_ARBITRATION' : 'ARBITRATION';
        d.status = 'UNDER_REVIEW';
        touch(emu, d);
        emitDispute(emu, 'UPDATED', d);
        return { status: 200, body: renderDispute(emu, d, emu.state.captures[d.captureId]) };
      },
    },
    {
      method: 'POST',
      pattern: '/_emulator/disputes/:id/status',
      handler: ({ params, body }) => {
        const d = get(emu, params.id!);
        const status = String((body as Json)?.status ?? '');
        if (
          !['OPEN', 'WAITING_FOR_BUYER_RESPONSE', 'WAITING_FOR_SELLER_RESPONSE', 'UNDER_REVIEW', 'OTHER'].includes(
            status,
          )
        )
          return bad('status must be an open dispute status');
        d.status = status;
        touch(emu, d);
        emitDispute(emu, 'UPDATED', d);
        return { status: 200, body: renderDispute(emu, d, emu.state.captures[d.captureId]) };
      },
    },
    {
      method: 'POST',
      pattern: '/_emulator/disputes/:id/resolve',
      handler: ({ params, body }) => {
        const d = get(emu, params.id!);
        if (d.status === 'RESOLVED') return bad('dispute is already resolved', 409);
        const outcome = String((body as Json)?.outcome ?? 'RESOLVED_SELLER_FAVOUR');
        if (!OUTCOMES.includes(outcome)) return bad(`outcome must be one of ${OUTCOMES.join(', ')}`);
        resolve(emu, d, outcome);
        return { status: 200, body: renderDispute(emu, d, emu.state.captures[d.captureId]) };
      },
    },
  ];
}
