// What changed on a subscription between the row Dataverse holds and PayPal's state now (issue #19). Pure: the
// sync (flows/subscriptions/subscription-sync.ts) reads both under the subscription's lock and asks here.
//
// Dunning notices: one per stage of a dunning episode, never one per event. The notice is a key,
// "<stage>@<episode start>", written to ppc_dunningnoticekey only when it differs from the row's; the solution's
// cloud flow "PayPal subscription dunning notice" triggers on a change of that column. A replayed or late event
// reads the same PayPal state, computes the same key and writes nothing, so nothing is sent twice.
//   Retrying / Past due / Suspended   the subscription enters that dunning state (subscription-plan.ts dunningOf)
//   Paid                              the episode ends with nothing owed (a retry succeeded, the balance was
//                                     captured) while the subscription is not cancelled
// A subscription suspended on request with nothing owed is not in dunning: no notice.
//
// Plan history: a plan or price change (plan id, price per cycle, quantity) between the row and PayPal's state is
// one line "when: from → to" prepended to ppc_planhistory. "When" is PayPal's update_time, "who" is what PayPal
// says: the Subscriptions API does not name who revised (the subscriber approving a revision, or the merchant).
import { DunningNotice, DunningState } from '@ppc/solution';
import { formatAmount, money, type Money } from '../money.ts';
import { dunningEpisode, type PlanFacts, type SubscriptionFacts } from './subscription-plan.ts';

export { DunningNotice };
export type DunningNoticeValue = (typeof DunningNotice)[keyof typeof DunningNotice];

/** What the row says before this sync writes it. */
export interface RowBefore {
  dunningSince?: string;
  noticeKey?: string;
  planId?: string;
  /** ppc_amount: price per cycle × quantity, minor units of the row's currency */
  amount?: Money;
  quantity?: number;
  planHistory?: string;
}

const STAGE: Partial<Record<number, { notice: DunningNoticeValue; name: string }>> = {
  [DunningState.Retrying]: { notice: DunningNotice.Retrying, name: 'retrying' },
  [DunningState.PastDue]: { notice: DunningNotice.PastDue, name: 'pastdue' },
  [DunningState.Suspended]: { notice: DunningNotice.Suspended, name: 'suspended' },
};

/** The notice to raise now, or undefined when the row already carries it (or there is none to raise). */
export function dunningNotice(
  s: SubscriptionFacts,
  plan: Pick<PlanFacts, 'failureThreshold'>,
  before: RowBefore | undefined,
): { notice: DunningNoticeValue; key: string; on: string } | undefined {
  const { dunning, since } = dunningEpisode(s, plan, before);
  let next: { notice: DunningNoticeValue; key: string } | undefined;
  const stage = STAGE[dunning];
  if (since && stage) next = { notice: stage.notice, key: `${stage.name}@${since}` };
  else if (!since && before?.dunningSince && s.status !== 'CANCELLED' && s.status !== 'EXPIRED')
    next = { notice: DunningNotice.Paid, key: `paid@${before.dunningSince}` };
  if (!next || next.key === before?.noticeKey) return undefined;
  return { ...next, on: s.updateTime };
}

const describe = (planId: string, amount: Money, quantity: number, name?: string) =>
  `${planId}${name ? ` "${name}"` : ''} ${formatAmount(amount)} ${amount.currency} per cycle${quantity === 1 ? '' : ` (quantity ${quantity})`}`;

/**
 * The plan history after this sync: a line prepended when the plan, the price per cycle or the quantity differs
 * from the row's; undefined when nothing changed (or the row is new: its first plan is not a change).
 */
export function planHistory(
  s: SubscriptionFacts,
  plan: PlanFacts,
  before: RowBefore | undefined,
  maxLength = 4000,
): string | undefined {
  if (!before?.planId) return undefined;
  const amount = money(plan.price.minor * s.quantity, plan.price.currency);
  const sameAmount =
    before.amount !== undefined && before.amount.minor === amount.minor && before.amount.currency === amount.currency;
  if (before.planId === s.planId && sameAmount && (before.quantity ?? s.quantity) === s.quantity) return undefined;
  const from = describe(before.planId, before.amount ?? money(0, amount.currency), before.quantity ?? 1);
  const to = describe(s.planId, amount, s.quantity, plan.name);
  const line = `${s.updateTime}: ${from} → ${to} (read from PayPal; PayPal does not say who revised it)`;
  const text = before.planHistory ? `${line}\n${before.planHistory}` : line;
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
