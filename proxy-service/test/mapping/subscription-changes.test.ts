// Dunning notices (one per stage of an episode, none on a replay) and plan history (a line per plan/price change),
// computed from the row before the sync and PayPal's state now (mapping/subscriptions/subscription-changes.ts).
import { describe, expect, it } from '@jest/globals';
import { DunningNotice } from '@ppc/solution';
import { dunningNotice, planHistory, type RowBefore } from '../../src/mapping/subscriptions/subscription-changes.ts';
import {
  dunningEpisode,
  type PlanFacts,
  type SubscriptionFacts,
} from '../../src/mapping/subscriptions/subscription-plan.ts';

const usd = (minor: number) => ({ currency: 'USD', minor });
const plan: PlanFacts = {
  id: 'P-1',
  productId: 'STREAM',
  name: 'Streaming',
  price: usd(999),
  failureThreshold: 3,
  frequency: { unit: 'MONTH', count: 1 },
};
const current: SubscriptionFacts = {
  id: 'I-ABC123',
  planId: 'P-1',
  status: 'ACTIVE',
  quantity: 1,
  updateTime: '2026-02-01T00:00:00Z',
  subscriber: { email: 'a@example.com' },
  outstanding: usd(0),
  cyclesCompleted: 2,
  failedCount: 0,
};
const FAILED_AT = '2026-03-01T00:00:00Z';
const failed = (n: number, extra: Partial<SubscriptionFacts> = {}): SubscriptionFacts => ({
  ...current,
  failedCount: n,
  lastFailed: { amount: usd(999), time: FAILED_AT },
  updateTime: `2026-03-0${n}T12:00:00Z`,
  ...extra,
});

/** Applies the notice as the sync writes it, giving the row the next sync reads. */
function after(before: RowBefore, s: SubscriptionFacts): { row: RowBefore; notice?: number } {
  const n = dunningNotice(s, plan, before);
  const { since } = dunningEpisode(s, plan, before);
  const row: RowBefore = { ...(since ? { dunningSince: since } : {}) };
  const key = n?.key ?? before.noticeKey;
  if (key) row.noticeKey = key;
  return { row, ...(n ? { notice: n.notice } : {}) };
}

describe('dunningNotice', () => {
  it('one notice per stage: retrying → past due → suspended → paid; none while current', () => {
    let row: RowBefore = {};
    const notices: number[] = [];
    for (const s of [
      current,
      failed(1),
      failed(1), // the same state read again (a second event, a replay)
      failed(2),
      failed(3, { status: 'SUSPENDED', outstanding: usd(999) }),
      failed(3, { status: 'SUSPENDED', outstanding: usd(999) }),
      failed(3, { status: 'SUSPENDED', outstanding: usd(0) }), // balance captured
      failed(3, { status: 'SUSPENDED', outstanding: usd(0) }),
      { ...current, updateTime: '2026-03-20T00:00:00Z' }, // reactivated
    ]) {
      const next = after(row, s);
      if (next.notice) notices.push(next.notice);
      row = next.row;
    }
    expect(notices).toEqual([
      DunningNotice.Retrying,
      DunningNotice.PastDue,
      DunningNotice.Suspended,
      DunningNotice.Paid,
    ]);
  });

  it('keys the notice by stage and episode start, and says when (PayPal update time)', () => {
    expect(dunningNotice(failed(1), plan, {})).toEqual({
      notice: DunningNotice.Retrying,
      key: `retrying@${FAILED_AT}`,
      on: '2026-03-01T12:00:00Z',
    });
    expect(dunningNotice(failed(1), plan, { dunningSince: FAILED_AT, noticeKey: `retrying@${FAILED_AT}` })).toBe(
      undefined,
    );
    // a later episode is a new notice even at the same stage
    expect(
      dunningNotice(failed(1, { lastFailed: { amount: usd(999), time: '2026-06-01T00:00:00Z' } }), plan, {
        noticeKey: `retrying@${FAILED_AT}`,
      }),
    ).toMatchObject({ key: 'retrying@2026-06-01T00:00:00Z' });
  });

  it('a retry that succeeds ends the episode with Paid; a cancellation or a suspension on request sends nothing', () => {
    expect(dunningNotice(current, plan, { dunningSince: FAILED_AT, noticeKey: `retrying@${FAILED_AT}` })).toMatchObject(
      { notice: DunningNotice.Paid, key: `paid@${FAILED_AT}` },
    );
    expect(
      dunningNotice({ ...current, status: 'CANCELLED' }, plan, {
        dunningSince: FAILED_AT,
        noticeKey: `retrying@${FAILED_AT}`,
      }),
    ).toBe(undefined);
    expect(dunningNotice({ ...current, status: 'SUSPENDED' }, plan, {})).toBe(undefined);
  });
});

describe('planHistory', () => {
  const before: RowBefore = { planId: 'P-1', amount: usd(999), quantity: 1 };
  it('records a plan or price change (when, from → to), newest first; nothing when unchanged or for a new row', () => {
    const plus: PlanFacts = { ...plan, id: 'P-2', name: 'Streaming Plus', price: usd(1499) };
    const first = planHistory({ ...current, planId: 'P-2' }, plus, before);
    expect(first).toBe(
      '2026-02-01T00:00:00Z: P-1 9.99 USD per cycle → P-2 "Streaming Plus" 14.99 USD per cycle (read from PayPal; PayPal does not say who revised it)',
    );
    expect(planHistory({ ...current, planId: 'P-2' }, plus, { planId: 'P-2', amount: usd(1499), quantity: 1 })).toBe(
      undefined,
    );
    expect(planHistory(current, plan, before)).toBe(undefined);
    expect(planHistory(current, plan, undefined)).toBe(undefined);
    // a quantity change is a price change of the subscription
    const more = planHistory({ ...current, planId: 'P-2', quantity: 2, updateTime: '2026-04-01T00:00:00Z' }, plus, {
      planId: 'P-2',
      amount: usd(1499),
      quantity: 1,
      planHistory: first!,
    });
    expect(more!.split('\n')).toEqual([
      expect.stringMatching(
        /^2026-04-01T00:00:00Z: P-2 14\.99 USD per cycle → P-2 "Streaming Plus" 29\.98 USD per cycle \(quantity 2\)/,
      ),
      first,
    ]);
  });
});
