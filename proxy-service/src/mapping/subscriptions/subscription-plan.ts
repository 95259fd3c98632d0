// A PayPal subscription as Dataverse mirrors it (ppc_subscription), and its dunning state. Pure: the flows
// read PayPal (GET /v1/billing/subscriptions/{id}, GET /v1/billing/plans/{id}) and Dataverse, then ask here.
//
// The row is always PayPal's state at the time of the read, never what an event body said, so events applied
// in any order, and twice, write the same row: the last write is the freshest read (the flow serialises the
// reads and writes of one subscription).
//
// Dunning (shapes: developer.paypal.com/docs/api/subscriptions/v1/#subscriptions_get, billing_info):
//   Cancelled  PayPal status CANCELLED or EXPIRED
//   Suspended  SUSPENDED (after payment_failure_threshold failed payments, or on request)
//   Past due   ACTIVE with an outstanding balance, or one failed payment short of the threshold
//   Retrying   ACTIVE with failed_payments_count > 0 (PayPal retries the payment)
//   Current    otherwise
// "What is owed": the outstanding balance when there is one, else the last failed payment's amount.
// "Since when": the time of the first failed payment of the episode, kept while the subscription stays in dunning.
import type { PayPalPlan, PayPalSubscription, PayPalWire } from '../../adapters/paypal/types.ts';
import { errors } from '../../errors.ts';
import { DunningState, SubscriptionStatus, statusPairs, subscription as subscriptionTable } from '@ppc/solution';
import { formatAmount, fromPayPal, money, type Money } from '../money.ts';
import { moneyValue } from '../dataverse-values.ts';

export const SubscriptionRowStatus = statusPairs(subscriptionTable, SubscriptionStatus);
export { DunningState };

export type PayPalSubscriptionStatus =
  'APPROVAL_PENDING' | 'APPROVED' | 'ACTIVE' | 'SUSPENDED' | 'CANCELLED' | 'EXPIRED';

export interface SubscriptionFacts {
  id: string;
  planId: string;
  status: PayPalSubscriptionStatus;
  statusNote?: string;
  quantity: number;
  startTime?: string;
  updateTime: string;
  customId?: string;
  subscriber: { payerId?: string; email?: string; givenName?: string; surname?: string };
  outstanding?: Money;
  cyclesCompleted: number;
  lastPayment?: { amount: Money; time: string };
  nextBillingTime?: string;
  failedCount: number;
  lastFailed?: { amount: Money; time: string; nextRetry?: string };
}

export interface PlanFacts {
  id: string;
  productId: string;
  name: string;
  price: Money;
  /** payment_failure_threshold: failed payments before PayPal suspends (0: never) */
  failureThreshold: number;
  frequency: { unit: 'DAY' | 'WEEK' | 'MONTH' | 'YEAR'; count: number };
}

const STATUSES = new Set<PayPalSubscriptionStatus>([
  'APPROVAL_PENDING',
  'APPROVED',
  'ACTIVE',
  'SUSPENDED',
  'CANCELLED',
  'EXPIRED',
]);

export function subscriptionFacts(s: PayPalWire<PayPalSubscription>): SubscriptionFacts {
  if (!s.id) throw errors.validation('subscription has no id');
  if (!s.plan_id) throw errors.validation(`subscription ${s.id} has no plan_id`);
  const status = String(s.status ?? '') as PayPalSubscriptionStatus;
  if (!STATUSES.has(status)) throw errors.validation(`subscription ${s.id} has unknown status "${s.status}"`);
  const b = s.billing_info;
  const regular = b?.cycle_executions?.find((c) => c.tenure_type === 'REGULAR');
  const sub = s.subscriber;
  const lastPayment = fromPayPal(b?.last_payment?.amount);
  const lastFailed = fromPayPal(b?.last_failed_payment?.amount);
  const quantity = Number(s.quantity ?? '1');
  return {
    id: s.id,
    planId: s.plan_id,
    status,
    ...(s.status_change_note ? { statusNote: s.status_change_note } : {}),
    quantity: Number.isInteger(quantity) && quantity > 0 ? quantity : 1,
    ...(s.start_time ? { startTime: s.start_time } : {}),
    updateTime: s.update_time ?? s.status_update_time ?? s.create_time ?? new Date(0).toISOString(),
    ...(s.custom_id ? { customId: s.custom_id } : {}),
    subscriber: {
      ...(sub?.payer_id ? { payerId: sub.payer_id } : {}),
      ...(sub?.email_address ? { email: sub.email_address.toLowerCase() } : {}),
      ...(sub?.name?.given_name ? { givenName: sub.name.given_name } : {}),
      ...(sub?.name?.surname ? { surname: sub.name.surname } : {}),
    },
    ...(fromPayPal(b?.outstanding_balance) ? { outstanding: fromPayPal(b?.outstanding_balance)! } : {}),
    cyclesCompleted: Number(regular?.cycles_completed ?? 0),
    ...(lastPayment && b?.last_payment?.time
      ? { lastPayment: { amount: lastPayment, time: b.last_payment.time } }
      : {}),
    ...(b?.next_billing_time ? { nextBillingTime: b.next_billing_time } : {}),
    failedCount: Number(b?.failed_payments_count ?? 0),
    ...(lastFailed && b?.last_failed_payment?.time
      ? {
          lastFailed: {
            amount: lastFailed,
            time: b.last_failed_payment.time,
            ...(b.last_failed_payment.next_payment_retry_time
              ? { nextRetry: b.last_failed_payment.next_payment_retry_time }
              : {}),
          },
        }
      : {}),
  };
}

export function planFacts(p: PayPalWire<PayPalPlan>): PlanFacts {
  if (!p.id || !p.product_id) throw errors.validation('plan has no id or product_id');
  const cycle = p.billing_cycles?.find((c) => c.tenure_type === 'REGULAR') ?? p.billing_cycles?.[0];
  const price = fromPayPal(cycle?.pricing_scheme?.fixed_price);
  if (!price) throw errors.validation(`plan ${p.id} has no fixed price`);
  const unit = String(cycle?.frequency?.interval_unit ?? 'MONTH') as PlanFacts['frequency']['unit'];
  return {
    id: p.id,
    productId: p.product_id,
    name: p.name ?? p.id,
    price,
    failureThreshold: Number(p.payment_preferences?.payment_failure_threshold ?? 0),
    frequency: { unit, count: Number(cycle?.frequency?.interval_count ?? 1) },
  };
}

export type Dunning = (typeof DunningState)[keyof typeof DunningState];

export function dunningOf(s: SubscriptionFacts, plan: Pick<PlanFacts, 'failureThreshold'>): Dunning {
  if (s.status === 'CANCELLED' || s.status === 'EXPIRED') return DunningState.Cancelled;
  if (s.status === 'SUSPENDED') return DunningState.Suspended;
  if (s.status !== 'ACTIVE') return DunningState.Current;
  if ((s.outstanding?.minor ?? 0) > 0) return DunningState.PastDue;
  if (s.failedCount > 0)
    return plan.failureThreshold > 0 && s.failedCount >= plan.failureThreshold - 1
      ? DunningState.PastDue
      : DunningState.Retrying;
  return DunningState.Current;
}

/**
 * What PayPal has not collected: the outstanding balance, else the last failed payment while PayPal retries it
 * (only an ACTIVE subscription is retried; a suspended one owes its outstanding balance alone, so once that is
 * captured nothing is owed although failed_payments_count stays until reactivation).
 */
export function amountDue(s: SubscriptionFacts): Money | undefined {
  if ((s.outstanding?.minor ?? 0) > 0) return s.outstanding;
  if (s.status === 'ACTIVE' && s.failedCount > 0 && s.lastFailed) return s.lastFailed.amount;
  return s.outstanding ? money(0, s.outstanding.currency) : undefined;
}

export function rowStatus(status: PayPalSubscriptionStatus): { statecode: number; statuscode: number } {
  switch (status) {
    case 'ACTIVE':
      return SubscriptionRowStatus.Active;
    case 'SUSPENDED':
      return SubscriptionRowStatus.Suspended;
    case 'CANCELLED':
      return SubscriptionRowStatus.Cancelled;
    case 'EXPIRED':
      return SubscriptionRowStatus.Expired;
    default:
      return SubscriptionRowStatus.ApprovalPending;
  }
}

/** What the flow knows of the row before writing. */
export interface ExistingSubscriptionRow {
  id: string;
  dunningSince?: string;
}

export interface SubscriptionRowInput {
  facts: SubscriptionFacts;
  plan: PlanFacts;
  existing?: ExistingSubscriptionRow;
  eventId: string;
  /** `/contacts(…)`, `/accounts(…)` or a `$n` content-id reference */
  customer?: { table: 'contact' | 'account'; ref: string };
  productId?: string;
  currencyId: string;
}

/**
 * Whether PayPal is owed money on the subscription now (Retrying, Past due, or Suspended with an amount due),
 * and since when: the first failure of the episode, kept from the row while the episode lasts.
 */
export function dunningEpisode(
  s: SubscriptionFacts,
  plan: Pick<PlanFacts, 'failureThreshold'>,
  existing?: Pick<ExistingSubscriptionRow, 'dunningSince'>,
): { dunning: Dunning; since?: string } {
  const dunning = dunningOf(s, plan);
  const due = amountDue(s);
  const inDunning =
    dunning === DunningState.Retrying ||
    dunning === DunningState.PastDue ||
    (dunning === DunningState.Suspended && (due?.minor ?? 0) > 0);
  return inDunning ? { dunning, since: existing?.dunningSince ?? s.lastFailed?.time ?? s.updateTime } : { dunning };
}

/** The columns of the ppc_subscription row (an upsert by ppc_paypalsubscriptionid). */
export function subscriptionRow(input: SubscriptionRowInput): Record<string, unknown> {
  const { facts: s, plan } = input;
  const { dunning, since } = dunningEpisode(s, plan, input.existing);
  const due = amountDue(s);
  const who = [s.subscriber.givenName, s.subscriber.surname].filter(Boolean).join(' ') || s.subscriber.email;
  const amount = money(plan.price.minor * s.quantity, plan.price.currency);
  return {
    ppc_name: `${plan.name}${who ? ` – ${who}` : ''} (${s.id})`.slice(0, 200),
    ppc_paypalsubscriptionid: s.id,
    ppc_planid: s.planId,
    ppc_paypalstatus: s.status,
    ...rowStatus(s.status),
    'transactioncurrencyid@odata.bind': `/transactioncurrencies(${input.currencyId})`,
    ...(input.productId ? { 'ppc_productid@odata.bind': `/products(${input.productId})` } : {}),
    ...(input.customer ? { [`ppc_${input.customer.table}id@odata.bind`]: input.customer.ref } : {}),
    ppc_amount: moneyValue(amount),
    ppc_quantity: s.quantity,
    ppc_outstandingbalance: s.outstanding ? moneyValue(s.outstanding) : 0,
    ppc_starton: s.startTime ?? null,
    ppc_nextbillingon: s.nextBillingTime ?? null,
    ppc_lastpaymenton: s.lastPayment?.time ?? null,
    ppc_lastpaymentamount: s.lastPayment ? moneyValue(s.lastPayment.amount) : null,
    ppc_failedpaymentcount: s.failedCount,
    ppc_failurethreshold: plan.failureThreshold,
    ppc_cyclescompleted: s.cyclesCompleted,
    ppc_dunningstate: dunning,
    ppc_amountdue: due ? moneyValue(due) : 0,
    ppc_dunningsince: since ?? null,
    ppc_paypalupdatedon: s.updateTime,
    ppc_lasteventid: input.eventId.slice(0, 100),
  };
}

/** The billing period a payment at `at` pays for: [at, at + one interval of the plan). UTC calendar arithmetic. */
export function billingPeriod(at: string, frequency: PlanFacts['frequency']): { start: string; end: string } {
  const d = new Date(at);
  const n = frequency.count;
  if (frequency.unit === 'DAY') d.setUTCDate(d.getUTCDate() + n);
  else if (frequency.unit === 'WEEK') d.setUTCDate(d.getUTCDate() + 7 * n);
  else if (frequency.unit === 'MONTH') d.setUTCMonth(d.getUTCMonth() + n);
  else d.setUTCFullYear(d.getUTCFullYear() + n);
  return { start: at.slice(0, 10), end: d.toISOString().slice(0, 10) };
}

const DUNNING_LABEL: Record<number, string> = {
  [DunningState.Current]: 'current',
  [DunningState.Retrying]: 'payment retrying',
  [DunningState.PastDue]: 'past due',
  [DunningState.Suspended]: 'suspended',
  [DunningState.Cancelled]: 'cancelled',
};

/** One subscription of a customer, as the customer's summary column shows it. */
export interface CustomerSubscription {
  id: string;
  status: string;
  dunning: number;
  due?: Money;
  since?: string;
}

/**
 * The account/contact column ppc_subscriptionstatus: each subscription's PayPal status and dunning, what is owed
 * and since when; live ones first, at most 400 characters.
 */
export function customerSubscriptionSummary(list: readonly CustomerSubscription[]): string {
  const live = (s: CustomerSubscription) => (s.status === 'CANCELLED' || s.status === 'EXPIRED' ? 1 : 0);
  const parts = [...list]
    .sort((a, b) => live(a) - live(b) || a.id.localeCompare(b.id))
    .map((s) => {
      const owed =
        s.due && s.due.minor > 0
          ? `, owes ${formatAmount(s.due)} ${s.due.currency}${s.since ? ` since ${s.since.slice(0, 10)}` : ''}`
          : '';
      return `${s.id} ${s.status.toLowerCase()} (${DUNNING_LABEL[s.dunning] ?? 'unknown'}${owed})`;
    });
  const text = parts.join('; ');
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}
