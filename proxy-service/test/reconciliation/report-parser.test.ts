// The streaming report parser against saved real report rows (test/emulators/paypal/test/fixtures/paypal-reports,
// SOURCES.md there) and against the emulator's complete files (all row types, footers checked).
import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { buildReport, type LedgerEntry } from '@ppc/paypal-emulator';
import {
  impliedToMinor,
  parseReport,
  ReportFormatError,
  reportFileInfo,
  type ReportEvent,
} from '../../src/reconciliation/report-parser.ts';

const FIXTURES = new URL('../../../test/emulators/paypal/test/fixtures/paypal-reports/', import.meta.url);
const fixture = (name: string) => createReadStream(new URL(name, FIXTURES));

async function collect(input: Readable): Promise<ReportEvent[]> {
  const out: ReportEvent[] = [];
  for await (const e of parseReport(input)) out.push(e);
  return out;
}
const transactions = (events: ReportEvent[]) =>
  events.flatMap((e) => (e.type === 'transaction' ? [{ ...e.transaction, raw: e.raw }] : []));

describe('parseReport on saved real rows', () => {
  it('reads the Wikimedia TRR donation row field by field (JPY: two implied decimals → yen)', async () => {
    const events = await collect(fixture('TRR.wikimedia.express_checkout_donation.csv'));
    const columns = events.find((e) => e.type === 'columns');
    expect(columns && columns.type === 'columns' && columns.columns).toHaveLength(54);
    const [t] = transactions(events);
    expect(t).toEqual({
      line: 2,
      transactionId: '1V551844CE5526421',
      invoiceId: '46239229.1',
      referenceId: '',
      referenceIdType: '',
      eventCode: 'T0006',
      initiatedAt: '2017-03-02T17:59:55.000Z',
      completedAt: '2017-03-02T17:59:55.000Z',
      currency: 'JPY',
      grossMinor: 150, // "CR",15000 = JPY 150.00 = 150 yen
      feeMinor: -43, // "DR",4300
      feeCurrency: 'JPY',
      customField: '46239229',
      consumerId: 'RTWSDJI4S8DWK',
      bankReferenceId: '',
      paymentTrackingId: '',
      status: 'S',
      raw: expect.any(Array),
    });
    // every column of the row, by its CH name, as the file wrote it
    const names = columns!.type === 'columns' ? columns!.columns : [];
    const byName = Object.fromEntries(names.map((n, i) => [n, t!.raw[i + 1]]));
    expect(byName).toMatchObject({
      'Transactional Status': 'S',
      'Insurance Amount': '',
      'Sales Tax Amount': '0',
      'Shipping Amount': '0',
      'Transaction Subject': 'Donation to the Wikimedia Foundation',
      "Payer's Account ID": 'donor@generous.net',
      'Payer Address Status': 'N',
      'Billing Address City': 'Whoville',
      'First Name': 'Cindy Lou',
      'Last Name': 'Who',
      'Payment Source': 'Express Checkout',
      'Shipping Name': 'Cindy Lou, Who',
      'Authorization Review Status': '01',
      'Protection Eligibility': '02',
    });
    expect(events.at(-1)).toEqual({ type: 'end', rows: 1 });
  });

  it('reads the Wikimedia TRR refund row: DR gross, CR fee returned, parent by PayPal Reference ID (TXN)', async () => {
    const [t] = transactions(await collect(fixture('TRR.wikimedia.express_checkout_refund.csv')));
    expect(t).toMatchObject({
      transactionId: '3HD08833MR473623T',
      referenceId: '1V551844CE5526421',
      referenceIdType: 'TXN',
      eventCode: 'T1107',
      initiatedAt: '2017-03-22T16:34:59.000Z',
      grossMinor: -150,
      feeMinor: 43,
      status: 'S',
    });
  });

  it('reads the real 2024 STL excerpt: RH (trailing empty field), FH, SH and the full v9 CH row', async () => {
    // The author's masking broke the SB row's quoting (SOURCES.md: not usable as a golden row): its first four
    // rows are read; a broken row is an error, never a guess (next test).
    const lines = readFileSync(new URL('STL.masked-excerpt-2024.csv', FIXTURES), 'utf8').split('\n');
    const events = await collect(Readable.from([lines.slice(0, 4).join('\n')]));
    expect(events[0]).toEqual({
      type: 'header',
      header: { generatedAt: '2024/08/21 02:44:19 -0700', window: 'A', accountId: '**********', version: '009' },
    });
    expect(events[1]).toEqual({ type: 'file', sequence: '01' });
    expect(events[2]).toMatchObject({
      type: 'section',
      start: '2024/08/20 00:00:00 -0700',
      end: '2024/08/20 23:59:59 -0700',
    });
    const ch = events[3]!;
    expect(ch.type === 'columns' && ch.columns).toEqual([
      'Transaction ID', 'Invoice ID', 'PayPal Reference ID', 'PayPal Reference ID Type', 'Transaction Event Code',
      'Transaction Initiation Date', 'Transaction Completion Date', 'Transaction Debit or Credit',
      'Gross Transaction Amount', 'Gross Transaction Currency', 'Fee Debit or Credit', 'Fee Amount', 'Fee Currency',
      'Custom Field', 'Consumer ID', 'Payment Tracking ID', 'Store ID', 'Bank Reference ID',
      'Credit Transactional Fee', 'Credit Promotional Fee', 'Credit Term',
    ]); // prettier-ignore
    expect(events.at(-1)).toEqual({ type: 'end', rows: 0 });
  });

  it('refuses the damaged SB row of the excerpt instead of reading shifted fields', async () => {
    await expect(collect(fixture('STL.masked-excerpt-2024.csv'))).rejects.toThrow(/Quote/);
  });
});

const entry = (over: Partial<LedgerEntry>): LedgerEntry => ({
  transactionId: 'TX',
  eventCode: 'T0006',
  initiationTime: '2026-03-02T10:00:00.000Z',
  updatedTime: '2026-03-02T10:00:00.000Z',
  currency: 'USD',
  amountMinor: 0,
  feeMinor: 0,
  status: 'S',
  balanceAffecting: true,
  ...over,
});
const LEDGER: LedgerEntry[] = [
  entry({ transactionId: 'OLD', initiationTime: '2026-03-01T10:00:00.000Z', amountMinor: 5000, feeMinor: -200 }),
  entry({ transactionId: 'CAP1', amountMinor: 10000, feeMinor: -398 }),
  entry({ transactionId: 'JPY1', currency: 'JPY', amountMinor: 1500, feeMinor: -94 }),
  entry({ transactionId: 'REF1', eventCode: 'T1107', referenceId: 'CAP1', referenceIdType: 'TXN', amountMinor: -2500, feeMinor: 88 }),
  entry({ transactionId: 'WD1', eventCode: 'T0400', amountMinor: -3000 }),
]; // prettier-ignore
const day = Date.parse('2026-03-02T00:00:00Z');
const stl = () =>
  buildReport({
    type: 'STL',
    accountId: 'MERCHANT23456',
    from: day,
    to: day + 86_400_000,
    generatedAt: day,
    ledger: LEDGER,
  });

describe('parseReport on complete files (the emulator writes every row type)', () => {
  it('yields every transaction with signed minor units and footers that tie to the rows', async () => {
    const file = stl();
    expect(reportFileInfo(file.name)).toEqual({ kind: 'STL', date: '2026-03-02', sequence: '01' });
    const events = await collect(Readable.from([file.content]));
    expect(transactions(events).map((t) => [t.transactionId, t.currency, t.grossMinor, t.feeMinor])).toEqual([
      ['CAP1', 'USD', 10000, -398],
      ['JPY1', 'JPY', 1500, -94],
      ['REF1', 'USD', -2500, 88],
      ['WD1', 'USD', -3000, 0],
    ]);
    const sf = events.flatMap((e) => (e.type === 'sectionTotals' ? [e.totals] : []));
    expect(sf.find((t) => t.currency === 'USD')).toMatchObject({
      grossCreditMinor: 10000,
      grossDebitMinor: 5500,
      feeCreditMinor: 88,
      feeDebitMinor: 398,
      openingMinor: 4800,
      closingMinor: 4800 + 10000 - 398 - 2500 + 88 - 3000,
      count: 3,
    });
    expect(events.filter((e) => e.type === 'reportTotals')).toHaveLength(2);
  });

  it('parses in chunks split anywhere (streaming), with the same result', async () => {
    const content = stl().content;
    const chunks = content.match(/[\s\S]{1,7}/g)!;
    const whole = transactions(await collect(Readable.from([content])));
    expect(transactions(await collect(Readable.from(chunks)))).toEqual(whole);
  });

  it('refuses a footer that does not total its rows, naming the row and both values', async () => {
    const tampered = stl().content.replace(/"SF","USD",10000,/, '"SF","USD",10001,');
    await expect(collect(Readable.from([tampered]))).rejects.toThrow(
      /line \d+: SF USD gross credit is 10001 but the rows it totals add up to 10000/,
    );
    const lostRow = stl().content.replace(/^"SB","WD1".*\r\n/m, '');
    await expect(collect(Readable.from([lostRow]))).rejects.toBeInstanceOf(ReportFormatError);
  });

  it('maps SB by column names (reordered, doubled spaces) and knows multi-file and window names', async () => {
    const content = readFileSync(new URL('TRR.wikimedia.express_checkout_donation.csv', FIXTURES), 'utf8').replace(
      '"Transaction Debit or Credit"',
      '"Transaction  Debit or Credit"',
    );
    const [t] = transactions(await collect(Readable.from([content])));
    expect(t!.grossMinor).toBe(150);
    expect(reportFileInfo('STL-20201221.H.01.02.009.CSV')).toEqual({ kind: 'STL', date: '2020-12-21', sequence: '02' });
    expect(reportFileInfo('notes.txt')).toBeUndefined();
    expect(impliedToMinor('10000', 'USD')).toBe(10000);
    expect(impliedToMinor('10000', 'KWD')).toBe(100000);
    expect(() => impliedToMinor('15050', 'JPY')).toThrow(/whole number/);
  });
});
