// Mass payout plans: each bill checked on its own (one bad bill never rejects the batch), deterministic parts per
// currency and 15,000 items, and the ledger stages of every PayPal item status balanced per currency.
import { describe, expect, it } from '@jest/globals';
import { ReceiverType } from '@ppc/solution';
import { LedgerPurpose, LedgerSide } from '../../src/mapping/dataverse-values.ts';
import { imbalance, type PostingRules } from '../../src/mapping/ledger.ts';
import { money } from '../../src/mapping/money.ts';
import {
  MAX_ITEMS_PER_CALL,
  planBatch,
  receiverProblem,
  splitParts,
  type DueBill,
  type PlannedItem,
} from '../../src/mapping/payouts/batch-plan.ts';
import { planStages, type ItemFacts, type Stage } from '../../src/mapping/payouts/outcome-plan.ts';

const BATCH = '11111111-2222-4333-8444-555555555555';
const email = (value: string) => ({ receiverType: ReceiverType.Email, receiver: value });
let n = 0;
const bill = (over: Partial<DueBill> = {}): DueBill => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  name: `AP-${n}`,
  vendorId: 'v1',
  amount: money(10_000, 'USD'),
  ...email(`vendor${n}@example.com`),
  ...over,
});

describe('planBatch', () => {
  it('excludes each bad bill with its reason and keeps the rest', () => {
    const good = bill();
    const noReceiver = bill({ receiver: undefined, receiverType: undefined });
    const badEmail = bill(email('not-an-address'));
    const badPayer = bill({ receiverType: ReceiverType.PayPalId, receiver: 'abc' });
    const badPhone = bill({ receiverType: ReceiverType.Phone, receiver: '12' });
    const currency = bill({ amount: money(500, 'XAF') });
    const yen = bill({ amount: money(1000, 'JPY') }); // JPY has no decimals at ISO either: paid
    const huf = bill({ amount: money(150_050, 'HUF') }); // 1500.50 HUF: PayPal takes HUF without decimals
    const zero = bill({ amount: money(0, 'USD') });
    const big = bill({ amount: money(2_000_001, 'USD') });
    const elsewhere = bill();
    const dup = { ...bill(), name: good.name };
    const plan = planBatch(
      BATCH,
      [good, noReceiver, badEmail, badPayer, badPhone, currency, yen, huf, zero, big, elsewhere, dup],
      {
        inOpenBatch: new Set([elsewhere.id]),
        itemLimitMinor: (cur) => (cur === 'USD' ? 2_000_000 : undefined),
      },
    );
    const reason = (b: DueBill) => plan.excluded.find((e) => e.bill.id === b.id)?.reason;
    expect(plan.items.map((i) => i.billId).sort()).toEqual([good.id, yen.id].sort());
    expect(reason(noReceiver)).toBe('the vendor has no PayPal receiver (receiver and receiver type)');
    expect(reason(badEmail)).toMatch(/is not an email address/);
    expect(reason(badPayer)).toMatch(/not a PayPal payer id/);
    expect(reason(badPhone)).toMatch(/not a phone number/);
    expect(reason(currency)).toBe('PayPal Payouts do not support XAF');
    expect(reason(huf)).toBe('PayPal takes HUF amounts without decimals (1500.50)');
    expect(reason(zero)).toBe('the amount must be positive');
    expect(reason(big)).toBe('amount 20000.01 USD is above the payout item limit 20000.00');
    expect(reason(elsewhere)).toBe('the bill is already in another payout batch that has not ended');
    expect(reason(dup)).toMatch(new RegExp(`^duplicate of bill ${good.name}`));
    expect(plan.totals).toEqual({
      USD: { amount: money(10_000, 'USD'), feeEstimate: money(200, 'USD'), count: 1 },
      JPY: { amount: money(1000, 'JPY'), feeEstimate: money(20, 'JPY'), count: 1 },
    });
  });

  it('an ordinary address containing "fail" or "blocked" is a valid receiver', () => {
    expect(receiverProblem('EMAIL', 'fail.blocked@example.com')).toBeUndefined();
  });

  it('is deterministic: the same bills give the same item ids whatever their order', () => {
    const bills = [bill(), bill(), bill()];
    const a = planBatch(BATCH, bills, { inOpenBatch: new Set() });
    const b = planBatch(BATCH, [...bills].reverse(), { inOpenBatch: new Set() });
    expect(b.items).toEqual(a.items);
    expect(new Set(a.items.map((i) => i.itemId)).size).toBe(3);
    // a rebuild of another batch gives other item ids (sender_item_id is per batch)
    expect(
      planBatch('99999999-2222-4333-8444-555555555555', bills, { inOpenBatch: new Set() }).items[0]!.itemId,
    ).not.toBe(a.items[0]!.itemId);
  });
});

describe('splitParts', () => {
  const items = (count: number, currency: string): PlannedItem[] =>
    Array.from({ length: count }, (_, i) => ({
      itemId: `${currency}-${String(i).padStart(6, '0')}`,
      billId: `b${i}`,
      billName: `AP-${i}`,
      recipientType: 'EMAIL' as const,
      receiver: `r${i}@example.com`,
      amount: money(100, currency),
    }));

  it('one currency and up to 15,000 items: one call whose sender_batch_id is the batch id', () => {
    const parts = splitParts(BATCH, items(MAX_ITEMS_PER_CALL, 'USD'));
    expect(parts.map((p) => [p.senderBatchId, p.items.length])).toEqual([[BATCH, 15_000]]);
  });

  it('more items or more currencies: deterministic parts per currency of at most 15,000', () => {
    const list = [...items(31_000, 'USD'), ...items(2, 'EUR')];
    const parts = splitParts(BATCH, list);
    expect(parts.map((p) => [p.senderBatchId, p.currency, p.items.length])).toEqual([
      [`${BATCH}-EUR-1`, 'EUR', 2],
      [`${BATCH}-USD-1`, 'USD', 15_000],
      [`${BATCH}-USD-2`, 'USD', 15_000],
      [`${BATCH}-USD-3`, 'USD', 1_000],
    ]);
    expect(splitParts(BATCH, [...list].reverse())).toEqual(parts);
    expect(parts.every((p) => p.senderBatchId.length <= 256)).toBe(true);
  });
});

describe('planStages', () => {
  const rules: PostingRules = {
    baseCurrency: 'USD',
    account: (purpose, currency) => `${purpose}-${currency}`,
    fxRate: (from) => (from === 'EUR' ? '1.10' : undefined),
  };
  const facts = (status: ItemFacts['status'], currency = 'USD'): ItemFacts => ({
    payoutItemId: 'ITEM1',
    senderItemId: 's1',
    payoutBatchId: 'B1',
    transactionId: 'T1',
    status,
    amount: money(10_050, currency),
    fee: money(201, currency),
  });
  /** Books the statuses one after the other as the flow does; returns every line and the stages. */
  function walk(statuses: ItemFacts['status'][], currency = 'USD') {
    let stages: Stage[] = [];
    const lines = [];
    for (const s of statuses) {
      const plan = planStages(facts(s, currency), stages, rules);
      stages = [...stages, ...plan.add];
      lines.push(...plan.lines);
      // a replay of the same status adds nothing
      expect(planStages(facts(s, currency), stages, rules).lines).toEqual([]);
    }
    return { stages, lines };
  }
  const sum = (lines: ReturnType<typeof walk>['lines'], purpose: number) =>
    lines
      .filter((l) => l.purpose === purpose)
      .reduce((s, l) => s + (l.side === LedgerSide.Debit ? 1 : -1) * l.amount.minor, 0);

  it('SUCCESS: AP debit, fee expense, clearing credit — balanced', () => {
    const { lines, stages } = walk(['PENDING', 'SUCCESS']);
    expect(stages).toEqual(['out-payable']);
    expect(imbalance(lines)).toEqual({ USD: 0, 'base:USD': 0 });
    expect(sum(lines, LedgerPurpose.Payable)).toBe(10_050);
    expect(sum(lines, LedgerPurpose.FeeExpense)).toBe(201);
    expect(sum(lines, LedgerPurpose.Clearing)).toBe(-10_251);
  });

  it('FAILED and BLOCKED: no money moved, no lines', () => {
    expect(walk(['PENDING', 'FAILED']).lines).toEqual([]);
    expect(walk(['BLOCKED']).lines).toEqual([]);
  });

  it('UNCLAIMED then RETURNED: held, then back to clearing; PayPal keeps the fee', () => {
    const { lines, stages } = walk(['UNCLAIMED', 'RETURNED']);
    expect(stages).toEqual(['out-held', 'returned']);
    expect(imbalance(lines)).toEqual({ USD: 0, 'base:USD': 0 });
    expect(sum(lines, LedgerPurpose.HeldFunds)).toBe(0);
    expect(sum(lines, LedgerPurpose.Payable)).toBe(0);
    expect(sum(lines, LedgerPurpose.Clearing)).toBe(-201);
  });

  it('RETURNED seen first (webhooks lost): the same lines as UNCLAIMED then RETURNED', () => {
    expect(walk(['RETURNED']).lines).toEqual(walk(['UNCLAIMED', 'RETURNED']).lines);
  });

  it('UNCLAIMED then claimed (SUCCESS): held moved to AP', () => {
    const { lines, stages } = walk(['UNCLAIMED', 'SUCCESS']);
    expect(stages).toEqual(['out-held', 'settled']);
    expect(imbalance(lines)).toEqual({ USD: 0, 'base:USD': 0 });
    expect(sum(lines, LedgerPurpose.HeldFunds)).toBe(0);
    expect(sum(lines, LedgerPurpose.Payable)).toBe(10_050);
  });

  it('SUCCESS then REFUNDED / REVERSED: reversing lines, the bill debt is back', () => {
    for (const back of ['REFUNDED', 'REVERSED'] as const) {
      const { lines } = walk(['SUCCESS', back]);
      expect(imbalance(lines)).toEqual({ USD: 0, 'base:USD': 0 });
      expect(sum(lines, LedgerPurpose.Payable)).toBe(0);
      expect(sum(lines, LedgerPurpose.Clearing)).toBe(-201);
    }
  });

  it('another currency: balanced in EUR and in base', () => {
    const { lines } = walk(['SUCCESS'], 'EUR');
    expect(imbalance(lines)).toEqual({ EUR: 0, 'base:USD': 0 });
    expect(lines.every((l) => l.base?.currency === 'USD')).toBe(true);
  });
});
