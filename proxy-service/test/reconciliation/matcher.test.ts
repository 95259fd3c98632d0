// Matching, close and conversion postings (pure), and the Transaction Search windows of the catch-up.
import { describe, expect, it } from '@jest/globals';
import { searchWindows } from '../../src/reconciliation/catch-up.ts';
import { closeDay, postConversion } from '../../src/reconciliation/close.ts';
import {
  Matcher,
  type BookedDispute,
  type BookedPayoutItem,
  type BookedRecord,
} from '../../src/reconciliation/matcher.ts';
import { BREAK_TYPE } from '../../src/reconciliation/reconciler.ts';
import { BreakType } from '@ppc/solution';
import type { CurrencyTotals, ReportTransaction } from '../../src/reconciliation/report-parser.ts';
import { LedgerPurpose, LedgerSide } from '../../src/mapping/dataverse-values.ts';

const row = (over: Partial<ReportTransaction>): ReportTransaction => ({
  line: 1,
  transactionId: 'CAP1',
  invoiceId: '',
  referenceId: '',
  referenceIdType: '',
  eventCode: 'T0006',
  initiatedAt: '2026-03-02T10:00:00.000Z',
  completedAt: '2026-03-02T10:00:00.000Z',
  currency: 'USD',
  grossMinor: 10000,
  feeMinor: -398,
  feeCurrency: 'USD',
  customField: '',
  consumerId: '',
  bankReferenceId: '',
  paymentTrackingId: '',
  status: 'S',
  ...over,
});
const book = (over: Partial<BookedRecord>): BookedRecord => ({
  paypalId: 'CAP1',
  kind: 'transaction',
  currency: 'USD',
  grossMinor: 10000,
  feeMinor: 398,
  status: 'COMPLETED',
  ...over,
});
const run = (
  rows: ReportTransaction[],
  books: BookedRecord[],
  tolerances = { amountMinor: 0, feeMinor: 0 },
  linked: { disputes?: BookedDispute[]; payoutItems?: BookedPayoutItem[] } = {},
) => {
  const index = new Map(books.map((b) => [b.paypalId, b]));
  const m = new Matcher(index, tolerances);
  for (const r of rows) m.add(r);
  m.resolve(new Map());
  m.resolveLinked(
    new Map((linked.disputes ?? []).map((d) => [d.captureId, d])),
    new Map((linked.payoutItems ?? []).map((p) => [p.transactionRef, p])),
  );
  m.missingInPayPal(index.values());
  return m.finish();
};

describe('Matcher', () => {
  it('matches 1:1 by id with amounts and fees in minor units; a refund row (DR) against its unsigned booking', () => {
    const r = run(
      [row({}), row({ transactionId: 'REF1', eventCode: 'T1107', grossMinor: -2500, feeMinor: 88 })],
      [book({}), book({ paypalId: 'REF1', grossMinor: 2500, feeMinor: 88 })],
    );
    expect(r.breaks).toEqual([]);
    expect(r.matched).toBe(2);
    expect(r.movements.get('USD')).toMatchObject({ netMinor: 10000 - 398 - 2500 + 88, grossDebitMinor: 2500 });
  });

  it('explains an amount, a fee, a currency and a status difference; tolerances hold back the small ones', () => {
    const r = run([row({})], [book({ grossMinor: 9000, feeMinor: 397, status: 'PENDING' })]);
    expect(r.breaks.map((b) => [b.kind, b.differenceMinor])).toEqual([
      ['amount', 1000],
      ['fee', 1],
      ['status', undefined],
    ]);
    expect(r.breaks[0]!.explanation).toBe(
      'The payment CAP1 is 100.00 USD at PayPal but 90.00 USD in Dynamics 365 (difference 10.00 USD).',
    );
    expect(run([row({})], [book({ grossMinor: 9999, feeMinor: 397 })], { amountMinor: 1, feeMinor: 1 }).breaks).toEqual(
      [],
    );
    expect(run([row({})], [book({ currency: 'EUR' })]).breaks.map((b) => b.kind)).toEqual(['currency']);
  });

  it('calls a row missing in D365 only after the lookup by id; a denied payment needs no record', () => {
    const index = new Map<string, BookedRecord>();
    const m = new Matcher(index, { amountMinor: 0, feeMinor: 0 });
    m.add(row({ transactionId: 'LATE' }));
    m.add(row({ transactionId: 'GONE' }));
    m.add(row({ transactionId: 'DENIED', status: 'D' }));
    expect(m.unresolved().map((t) => t.transactionId)).toEqual(['LATE', 'GONE', 'DENIED']);
    m.resolve(new Map([['LATE', book({ paypalId: 'LATE' })]]));
    const r = m.finish();
    expect(r.breaks.map((b) => [b.kind, b.paypalId, b.tclass])).toEqual([['missing_in_d365', 'GONE', 'payment']]);
    expect(r.breaks[0]!.action).toMatch(/Catch-up records it through the same flow/);
  });

  it('finds what D365 booked and PayPal does not have; pairs conversion legs; an unknown T-code is its own break', () => {
    const r = run(
      [
        row({
          transactionId: 'C1',
          eventCode: 'T0200',
          currency: 'EUR',
          grossMinor: -2000,
          feeMinor: 0,
          referenceId: 'X',
        }),
        row({ transactionId: 'C2', eventCode: 'T0200', grossMinor: 2160, feeMinor: 0, referenceId: 'X' }),
        row({ transactionId: 'Z1', eventCode: 'T9999', grossMinor: -100, feeMinor: 0 }),
        row({ transactionId: 'H1', eventCode: 'T1110', grossMinor: -500, feeMinor: 0 }),
      ],
      [book({ paypalId: 'PHANTOM' })],
    );
    expect(r.breaks.map((b) => [b.kind, b.paypalId])).toEqual([
      ['unknown_tcode', 'Z1'],
      ['unexplained', 'H1'], // a dispute hold that names no payment cannot be tied to a dispute
      ['missing_in_paypal', 'PHANTOM'],
    ]);
    expect(r.conversions).toEqual([
      expect.objectContaining({
        from: expect.objectContaining({ transactionId: 'C1' }),
        to: expect.objectContaining({ transactionId: 'C2' }),
      }),
    ]);
  });
});

describe('dispute holds, releases and payout returns, 1:1', () => {
  const dispute = (over: Partial<BookedDispute> = {}): BookedDispute => ({
    disputeId: 'd-1',
    captureId: 'CAP9',
    currency: 'USD',
    amountMinor: 5000,
    closed: false,
    status: 'OPEN',
    ...over,
  });
  const item = (over: Partial<BookedPayoutItem> = {}): BookedPayoutItem => ({
    itemId: 'i-1',
    transactionRef: 'PAYOUTTXN1',
    currency: 'USD',
    amountMinor: 1500,
    status: 'Returned',
    ...over,
  });
  const hold = (over: Partial<ReportTransaction> = {}) =>
    row({ transactionId: 'HOLD1', eventCode: 'T1110', grossMinor: -5000, feeMinor: 0, referenceId: 'CAP9', ...over });
  const release = (over: Partial<ReportTransaction> = {}) =>
    row({ transactionId: 'REL1', eventCode: 'T1111', grossMinor: 5000, feeMinor: 0, referenceId: 'CAP9', ...over });
  const returned = (over: Partial<ReportTransaction> = {}) =>
    row({
      transactionId: 'RET1',
      eventCode: 'T1114',
      grossMinor: 1500,
      feeMinor: 0,
      referenceId: 'PAYOUTTXN1',
      ...over,
    });

  it('matches a hold and its release to the dispute, a payout return to its item; the balance still moves', () => {
    const r = run([hold(), release(), returned()], [], undefined, {
      disputes: [dispute({ closed: true, status: 'RESOLVED' })],
      payoutItems: [item()],
    });
    expect(r.breaks).toEqual([]);
    expect(r.matched).toBe(3);
    expect(r.movements.get('USD')!.netMinor).toBe(-5000 + 5000 + 1500);
  });

  it('breaks a hold with no dispute, a different amount, a release of a dispute still open, a return of an item D365 paid', () => {
    const none = run([hold()], []);
    expect(none.breaks.map((b) => [b.kind, b.paypalId, b.tclass])).toEqual([
      ['missing_in_d365', 'HOLD1', 'dispute_hold'],
    ]);
    expect(none.breaks[0]!.explanation).toMatch(/no dispute on that payment/);
    const amount = run([hold()], [], undefined, { disputes: [dispute({ amountMinor: 4000 })] });
    expect(amount.breaks.map((b) => [b.kind, b.paypalMinor, b.bookedMinor, b.differenceMinor])).toEqual([
      ['amount', 5000, 4000, 1000],
    ]);
    const open = run([release()], [], undefined, { disputes: [dispute()] });
    expect(open.breaks.map((b) => [b.kind, b.paypalId])).toEqual([['status', 'REL1']]);
    expect(open.breaks[0]!.explanation).toMatch(/still has it open/);
    const paid = run([returned()], [], undefined, { payoutItems: [item({ status: 'Success' })] });
    expect(paid.breaks.map((b) => [b.kind, b.paypalId])).toEqual([['status', 'RET1']]);
    const noItem = run([returned({ eventCode: 'T1115' })], []);
    expect(noItem.breaks.map((b) => [b.kind, b.tclass])).toEqual([['missing_in_d365', 'payout_return']]);
    const currency = run([returned()], [], undefined, { payoutItems: [item({ currency: 'EUR' })] });
    expect(currency.breaks.map((b) => b.kind)).toEqual(['currency']);
  });

  it('matches one record once: a second hold on the same dispute is a break, not a second match', () => {
    const r = run([hold(), hold({ transactionId: 'HOLD2' })], [], undefined, { disputes: [dispute()] });
    expect(r.matched).toBe(1);
    expect(r.breaks.map((b) => [b.kind, b.paypalId])).toEqual([['unexplained', 'HOLD2']]);
  });
});

describe('break types in Dataverse', () => {
  it('stores an unexplained movement and an unknown T-code as their own break types, not as Amount Mismatch', () => {
    expect(BREAK_TYPE.balance).toBe(BreakType.UnexplainedMovement);
    expect(BREAK_TYPE.unexplained).toBe(BreakType.UnexplainedMovement);
    expect(BREAK_TYPE.unknown_tcode).toBe(BreakType.UnknownEventCode);
    expect(BREAK_TYPE.amount).toBe(BreakType.AmountMismatch);
    expect(new Set(Object.values(BreakType)).size).toBe(Object.values(BreakType).length);
  });
});

const totals = (currency: string, opening: number, closing: number): CurrencyTotals => ({
  currency,
  grossCreditMinor: 0,
  grossDebitMinor: 0,
  feeCreditMinor: 0,
  feeDebitMinor: 0,
  openingMinor: opening,
  closingMinor: closing,
  count: 0,
});

describe('closeDay', () => {
  it('ties opening + movements to the report and to PayPal; an unexplained difference is a balance break', () => {
    const movements = run([row({})], [book({})]).movements;
    const ok = closeDay(movements, new Map([['USD', totals('USD', 500, 500 + 9602)]]), new Map([['USD', 10102]]));
    expect(ok.closes).toEqual([expect.objectContaining({ currency: 'USD', closingMinor: 10102, ties: true })]);
    expect(ok.breaks).toEqual([]);
    const off = closeDay(movements, new Map([['USD', totals('USD', 500, 10102)]]), new Map([['USD', 10000]]));
    expect(off.closes[0]!.ties).toBe(false);
    expect(off.breaks[0]).toMatchObject({ kind: 'balance', differenceMinor: -102 });
    expect(off.breaks[0]!.explanation).toMatch(/PayPal's balance at the end of the day is 100.00 USD/);
  });
});

const rules = {
  baseCurrency: 'USD',
  account: (purpose: number, currency: string) =>
    ({
      [LedgerPurpose.Clearing]: `1010-${currency}`,
      [LedgerPurpose.FxGain]: '7100',
      [LedgerPurpose.FxLoss]: '7200',
    })[purpose],
  fxRate: (from: string) => (from === 'EUR' ? '1.10' : undefined),
};
const conv = (fromMinor: number, toMinor: number) => ({
  reference: 'X',
  from: { transactionId: 'C1', currency: 'EUR', amountMinor: -fromMinor, date: '2026-03-02T10:00:00.000Z' },
  to: { transactionId: 'C2', currency: 'USD', amountMinor: toMinor, date: '2026-03-02T10:00:00.000Z' },
});

describe('postConversion', () => {
  it('posts a realised FX loss (carried at the booking rate, received less), balanced in base', () => {
    const p = postConversion(conv(2000, 2160), rules);
    expect(p.lines.map((l) => [l.accountCode, l.side, l.amount.minor, l.base.minor])).toEqual([
      ['1010-USD', LedgerSide.Debit, 2160, 2160],
      ['1010-EUR', LedgerSide.Credit, 2000, 2200],
      ['7200', LedgerSide.Debit, 40, 40],
    ]);
    const sum = p.lines.reduce((s, l) => s + (l.side === LedgerSide.Debit ? l.base.minor : -l.base.minor), 0);
    expect(sum).toBe(0);
    expect(p.resultMinor).toBe(-40);
  });

  it('a gain when more arrives; none when the carried value is what arrived; no rate → an error, never a guess', () => {
    expect(postConversion(conv(2000, 2250), rules).lines[2]).toMatchObject({
      accountCode: '7100',
      side: LedgerSide.Credit,
    });
    expect(postConversion(conv(2000, 2160), rules, { minor: 2160, currency: 'USD' }).lines).toHaveLength(2);
    expect(() => postConversion(conv(2000, 2160), { ...rules, fxRate: () => undefined })).toThrow(
      /no ppc_fxrate EUR→USD/,
    );
  });
});

describe('searchWindows', () => {
  it('covers the range in windows of at most 31 days that overlap, ends before the lag, starts at the cutover', () => {
    const w = searchWindows(new Date('2026-01-01T00:00:00Z'), new Date('2026-03-15T00:00:00Z'), {
      now: new Date('2026-03-15T02:00:00Z'),
      lagMs: 3 * 3_600_000,
      overlapMs: 86_400_000,
      cutover: new Date('2026-01-10T00:00:00Z'),
    });
    expect(w[0]!.start.toISOString()).toBe('2026-01-10T00:00:00.000Z');
    expect(w.at(-1)!.end.toISOString()).toBe('2026-03-14T23:00:00.000Z');
    for (const x of w) expect(x.end.getTime() - x.start.getTime()).toBeLessThan(31 * 86_400_000);
    for (let i = 1; i < w.length; i++) expect(w[i]!.start.getTime()).toBe(w[i - 1]!.end.getTime() - 86_400_000);
  });
});
