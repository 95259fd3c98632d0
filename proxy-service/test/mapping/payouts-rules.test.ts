// The pure rules of issue #16's remaining points: warnings an approval must acknowledge, the fee table, the build
// schedule, the receiver check written on a vendor, and the original payout linked by PayPal's duplicate answer.
import { describe, expect, it } from '@jest/globals';
import { ReceiverType } from '@ppc/solution';
import { linkedPayoutBatchId } from '../../src/flows/payouts/batch-events.ts';
import { receiverCheck } from '../../src/flows/payouts/commands.ts';
import { money } from '../../src/mapping/money.ts';
import { DEFAULT_FEE_TABLE, feeEstimate, feeTableProblem } from '../../src/mapping/payouts/fees.ts';
import { parseBuildSchedule, slotOf } from '../../src/mapping/payouts/schedule-rule.ts';
import { acknowledgedCodes, batchWarnings, uncovered, warningsText } from '../../src/mapping/payouts/warnings.ts';

describe('warnings of a payout batch', () => {
  it('names excluded bills and receivers paid twice, counts included, sorted', () => {
    const w = batchWarnings(
      [{ receiver: 'A@x.example' }, { receiver: 'b@x.example' }, { receiver: ' a@x.example ' }],
      2,
    );
    expect(w.map((x) => x.code)).toEqual(['DUPLICATE_RECEIVERS:1:2', 'EXCLUDED:2']);
    expect(warningsText(w)).toBe(
      'DUPLICATE_RECEIVERS:1:2 1 receiver(s) get several items in this batch: a@x.example (2)\nEXCLUDED:2 2 bill(s) are excluded and will not be paid (see Failure Reason)',
    );
    expect(batchWarnings([{ receiver: 'a@x.example' }], 0)).toEqual([]);
    expect(warningsText([])).toBeNull();
  });

  it('an acknowledgement covers only the codes it names (a stale count does not cover a new one)', () => {
    const w = batchWarnings([], 3);
    expect(uncovered(w, acknowledgedCodes('EXCLUDED:3 whatever text the form showed'))).toEqual([]);
    expect(uncovered(w, acknowledgedCodes('EXCLUDED:2'))).toEqual(w);
    expect(uncovered(w, acknowledgedCodes(undefined))).toEqual(w);
    expect(acknowledgedCodes('B\r\nA x\n\nA')).toEqual(['A', 'B']);
  });
});

describe('payout fee table', () => {
  it('the shipped table: 2 % rounded half up, capped at 20 units of the currency', () => {
    expect(feeEstimate(DEFAULT_FEE_TABLE, money(12_345, 'USD'))).toEqual(money(247, 'USD'));
    expect(feeEstimate(DEFAULT_FEE_TABLE, money(500_000, 'EUR'))).toEqual(money(2_000, 'EUR'));
    expect(feeEstimate(DEFAULT_FEE_TABLE, money(100_000, 'JPY'))).toEqual(money(20, 'JPY'));
  });

  it('per-currency rows replace the default row; percent with decimals, fixed part, cap', () => {
    const table = { ...DEFAULT_FEE_TABLE, GBP: { percent: '2.5', fixed: '0.20', cap: '15.00' } };
    expect(feeEstimate(table, money(10_000, 'GBP'))).toEqual(money(270, 'GBP')); // 2.50 + 0.20
    expect(feeEstimate(table, money(1_000_000, 'GBP'))).toEqual(money(1_500, 'GBP'));
    expect(feeEstimate(table, money(10_000, 'USD'))).toEqual(money(200, 'USD'));
    expect(feeEstimate({}, money(10_000, 'USD'))).toEqual(money(0, 'USD'));
  });

  it('refuses a table it cannot use, with the reason', () => {
    expect(feeTableProblem({ USD: { percent: '2', cap: '20.00' } })).toBeUndefined();
    expect(feeTableProblem([])).toBe('must be a JSON object');
    expect(feeTableProblem({ usd: { percent: '2' } })).toMatch(/not a currency code/);
    expect(feeTableProblem({ USD: { percent: 2 } })).toMatch(/percent must be a decimal string/);
    expect(feeTableProblem({ USD: { percent: '2', cap: '-1' } })).toMatch(/cap must be a decimal string/);
  });
});

describe('build schedule', () => {
  it('reads intervals and a daily time (UTC); refuses anything else', () => {
    expect(parseBuildSchedule('15m')).toEqual({ kind: 'every', ms: 900_000 });
    expect(parseBuildSchedule('2h')).toEqual({ kind: 'every', ms: 7_200_000 });
    expect(parseBuildSchedule('daily@06:30')).toEqual({ kind: 'daily', minuteOfDay: 390 });
    expect(typeof parseBuildSchedule('0m')).toBe('string');
    expect(typeof parseBuildSchedule('*/5 * * * *')).toBe('string');
    expect(typeof parseBuildSchedule('daily@24:00')).toBe('string');
  });

  it('slots: the same slot within an interval, the next one after; a daily slot from its time on', () => {
    const every = { kind: 'every', ms: 3_600_000 } as const;
    expect(slotOf(every, new Date('2026-03-01T10:05:00Z'))).toBe(slotOf(every, new Date('2026-03-01T10:59:59Z')));
    expect(slotOf(every, new Date('2026-03-01T11:00:00Z'))).not.toBe(slotOf(every, new Date('2026-03-01T10:59:59Z')));
    const daily = { kind: 'daily', minuteOfDay: 390 } as const;
    expect(slotOf(daily, new Date('2026-03-01T06:29:59Z'))).toBeUndefined();
    expect(slotOf(daily, new Date('2026-03-01T06:30:00Z'))).toBe('daily:2026-03-01');
    expect(slotOf(daily, new Date('2026-03-01T23:00:00Z'))).toBe('daily:2026-03-01');
  });
});

describe('receiver check written on a vendor (PayPal recipient_type rules)', () => {
  const at = '2026-03-01T00:00:00.000Z';
  it('valid email, phone (E.164) and PayPal payer id', () => {
    expect(receiverCheck(ReceiverType.Email, 'ap@vendor.example', at)).toEqual({
      ppc_payoutreceivervalid: true,
      ppc_payoutreceivercheck: `valid (checked ${at})`,
    });
    expect(receiverCheck(ReceiverType.Phone, '+49 151 1234 5678', at).ppc_payoutreceivervalid).toBe(true);
    expect(receiverCheck(ReceiverType.PayPalId, 'QYR5Z8XDVJNXQ', at).ppc_payoutreceivervalid).toBe(true);
  });
  it('each wrong one with its reason; nothing set is not checked', () => {
    expect(receiverCheck(ReceiverType.Email, 'not-an-address', at).ppc_payoutreceivercheck).toMatch(
      /is not an email address/,
    );
    expect(receiverCheck(ReceiverType.Phone, '12', at).ppc_payoutreceivercheck).toMatch(/is not a phone number/);
    expect(receiverCheck(ReceiverType.PayPalId, 'qyr5z8xdvjnxq', at).ppc_payoutreceivervalid).toBe(false);
    expect(receiverCheck(null, 'ap@vendor.example', at).ppc_payoutreceivercheck).toMatch(/type is missing/);
    expect(receiverCheck(ReceiverType.Email, '  ', at).ppc_payoutreceivercheck).toMatch(/empty/);
    expect(receiverCheck(null, null, at)).toEqual({ ppc_payoutreceivervalid: false, ppc_payoutreceivercheck: null });
  });
});

describe("PayPal's duplicate sender_batch_id answer", () => {
  it('the original payout is the one its HATEOAS link names (body links or the detail link)', () => {
    const self = { href: 'https://api-m.paypal.com/v1/payments/payouts/T4SJX7PQ5DM3Y', rel: 'self', method: 'GET' };
    expect(
      linkedPayoutBatchId({
        details: [],
        links: [{ href: 'https://developer.paypal.com/x', rel: 'information_link' }, self],
      }),
    ).toBe('T4SJX7PQ5DM3Y');
    expect(linkedPayoutBatchId({ details: [{ issue: 'x', link: [self] }] })).toBe('T4SJX7PQ5DM3Y');
  });
  it('no link, or a link to something else (an item, another API): none', () => {
    expect(
      linkedPayoutBatchId({ details: [{ issue: 'Batch with given sender_batch_id already exists' }] }),
    ).toBeUndefined();
    expect(
      linkedPayoutBatchId({ details: [], links: [{ href: 'https://api-m.paypal.com/v1/payments/payouts-item/ABC' }] }),
    ).toBeUndefined();
  });
});

describe('configuration of the payout keys', () => {
  it('reads a schedule, a currency filter and a fee table; refuses wrong ones at start', async () => {
    const { loadConfig } = await import('../../src/config.ts');
    const { testEnv } = await import('../support/test-proxy.ts');
    const c = loadConfig(
      testEnv({
        PAYOUT_BUILD_SCHEDULE: 'daily@06:30',
        PAYOUT_BUILD_CURRENCIES: 'USD,EUR',
        PAYOUT_FEE_TABLE: '{"GBP": {"percent": "2.5", "cap": "15.00"}}',
      }),
    );
    expect([c.payoutBuildSchedule, c.payoutBuildCurrencies, c.payoutFeeTable]).toEqual([
      'daily@06:30',
      'USD,EUR',
      { GBP: { percent: '2.5', cap: '15.00' } },
    ]);
    expect(() => loadConfig(testEnv({ PAYOUT_BUILD_SCHEDULE: 'every tuesday' }))).toThrow(/PAYOUT_BUILD_SCHEDULE/);
    expect(() => loadConfig(testEnv({ PAYOUT_BUILD_CURRENCIES: 'usd' }))).toThrow(/PAYOUT_BUILD_CURRENCIES/);
    expect(() => loadConfig(testEnv({ PAYOUT_FEE_TABLE: '{"USD": {"percent": "two"}}' }))).toThrow(/PAYOUT_FEE_TABLE/);
  });
});
