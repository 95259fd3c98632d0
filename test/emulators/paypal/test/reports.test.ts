/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON in tests is untyped on purpose; its shape is checked by assertions and by the OpenAPI contract validator */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertContract } from './helpers/contract.ts';
import { captureOrder, startEmulator, type Api } from './helpers/client.ts';
import type { PayPalEmulator } from '../src/index.ts';

/** Real PayPal report files (see SOURCES.md there). */
const REPORT_FIXTURES = join(import.meta.dirname, 'fixtures', 'paypal-reports');

// An independent reader for PayPal's report CSV (written here, not shared with the emulator):
// quoted fields with "" escapes, BOM tolerated, SB rows mapped by the CH column names.
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function readReport(content: string) {
  const lines = content
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter(Boolean)
    .map(parseCsvLine);
  const header = lines
    .find((l) => l[0] === 'CH')!
    .slice(1)
    .map((h) => h.replace(/\s+/g, ' '));
  const body = lines
    .filter((l) => l[0] === 'SB')
    .map((l) => Object.fromEntries(header.map((h, i) => [h, l[i + 1] ?? ''])));
  const byType = (t: string) => lines.filter((l) => l[0] === t);
  return { lines, header, body, byType };
}

let emu: PayPalEmulator;
let api: Api;
let control: Api;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paypal-reports-'));
  ({ emu, api, control } = await startEmulator({ seed: 'reports', reportsDir: dir, tokenTtlSeconds: 7 * 86_400 }));
  const a = await captureOrder(api, control, { unit: '100.00', quantity: 1, invoiceId: 'INV-STL-1', customId: 'so-1' });
  await api('POST', `/v2/payments/captures/${a.body.purchase_units[0].payments.captures[0].id}/refund`, {
    amount: { currency_code: 'USD', value: '25.00' },
    note_to_payer: 'refund',
  });
  await captureOrder(api, control, { currency: 'JPY', unit: '1500', quantity: 1, invoiceId: 'INV-STL-2' });
  await captureOrder(api, control, { currency: 'EUR', unit: '19.99', quantity: 2, invoiceId: 'INV-STL-3' });
  await control('POST', '/_emulator/captures/next-outcome', { status: 'DECLINED' });
  await captureOrder(api, control, { unit: '7.00', quantity: 1, invoiceId: 'INV-STL-4' });
  // Something on the next day must not appear in the 2026-01-01 file.
  emu.clock.advance(86_400_000);
  await captureOrder(api, control, { unit: '1.00', quantity: 1, invoiceId: 'INV-STL-NEXT' });
});
afterAll(async () => {
  await emu.close();
  assertContract(emu.responses);
  rmSync(dir, { recursive: true, force: true });
});

describe('STL and TRR report files', () => {
  it('writes an STL file that parses back to the same transactions and per-currency totals, with matching footers', async () => {
    const made = await control('POST', '/_emulator/reports', { type: 'STL', date: '2026-01-01' });
    expect(made.status).toBe(201);
    expect(made.body.name).toBe('STL-20260101.01.009.CSV');
    expect(made.body.name).toMatch(/^([A-Z]{3})-(\d{8})\.(\d{2})\.(\d{3})\.CSV$/); // Wikimedia's file-name pattern
    const content = readFileSync(join(dir, made.body.name), 'utf8');
    // Byte-identical through the control API (text() would drop the BOM, so compare bytes).
    const served = Buffer.from(new Uint8Array(await (await fetch(made.body.url)).arrayBuffer()));
    expect(served.equals(readFileSync(join(dir, made.body.name)))).toBe(true);
    expect(content.startsWith('\uFEFF"RH",')).toBe(true);

    const { header, body, byType, lines } = readReport(content);
    // Same column header as a real 2024 STL v009 file.
    const fixture = readReport(readFileSync(join(REPORT_FIXTURES, 'STL.masked-excerpt-2024.csv'), 'utf8'));
    expect(header).toEqual(fixture.header);
    expect(lines.map((l) => l[0])).toEqual([
      'RH',
      'FH',
      'SH',
      'CH',
      ...body.map(() => 'SB'),
      'SF',
      'SF',
      'SF',
      'SC',
      'RF',
      'RF',
      'RF',
      'RC',
      'FF',
    ]);

    // Same transactions as the API's balance-affecting search for that day.
    const search = await api(
      'GET',
      '/v1/reporting/transactions?start_date=2026-01-01T00:00:00Z&end_date=2026-01-01T23:59:59Z&page_size=500',
    );
    const apiIds = search.body.transaction_details.map((d: any) => d.transaction_info.transaction_id);
    expect(body.map((r) => r['Transaction ID'])).toEqual(apiIds);
    expect(body.map((r) => r['Invoice ID'])).not.toContain('INV-STL-NEXT');
    expect(body.map((r) => r['Invoice ID'])).not.toContain('INV-STL-4'); // declined: not balance-affecting

    // Two implied decimals for every currency: JPY 1500 is written 150000.
    const jpy = body.find((r) => r['Invoice ID'] === 'INV-STL-2' && r['Transaction Event Code'] === 'T0006')!;
    expect(jpy).toMatchObject({
      'Gross Transaction Amount': '150000',
      'Gross Transaction Currency': 'JPY',
      'Transaction Debit or Credit': 'CR',
      'Fee Debit or Credit': 'DR',
    });
    const refund = body.find((r) => r['Transaction Event Code'] === 'T1107')!;
    expect(refund).toMatchObject({
      'Transaction Debit or Credit': 'DR',
      'Gross Transaction Amount': '2500',
      'PayPal Reference ID Type': 'TXN',
      'Fee Debit or Credit': 'CR',
    });

    // Per-currency totals recomputed from SB rows equal the SF rows and the API's signed amounts.
    const signed = (dc: string, v: string) => (dc === 'DR' ? -1 : 1) * Number(v || 0);
    const perCurrency = new Map<string, { gross: number; fee: number; cr: number; dr: number; n: number }>();
    for (const r of body) {
      const c = r['Gross Transaction Currency']!;
      const t = perCurrency.get(c) ?? { gross: 0, fee: 0, cr: 0, dr: 0, n: 0 };
      t.gross += signed(r['Transaction Debit or Credit']!, r['Gross Transaction Amount']!);
      t.fee += signed(r['Fee Debit or Credit']!, r['Fee Amount']!);
      if (r['Transaction Debit or Credit'] === 'CR') t.cr += Number(r['Gross Transaction Amount']);
      else t.dr += Number(r['Gross Transaction Amount']);
      t.n++;
      perCurrency.set(c, t);
    }
    const apiTotals = new Map<string, number>();
    for (const d of search.body.transaction_details) {
      const i = d.transaction_info;
      const scale = i.transaction_amount.currency_code === 'JPY' ? 100 : 1;
      const minor = (v: string) => Math.round(Number(v) * (i.transaction_amount.currency_code === 'JPY' ? 1 : 100));
      apiTotals.set(
        i.transaction_amount.currency_code,
        (apiTotals.get(i.transaction_amount.currency_code) ?? 0) + minor(i.transaction_amount.value) * scale,
      );
    }
    for (const sf of byType('SF')) {
      const [, currency, grossCr, grossDr, feeCr, feeDr] = sf;
      const t = perCurrency.get(currency!)!;
      expect([Number(grossCr), Number(grossDr)]).toEqual([t.cr, t.dr]);
      expect(Number(feeCr) - Number(feeDr)).toBe(t.fee);
      expect(Number(sf.at(-1))).toBe(t.n);
      expect(t.gross).toBe(apiTotals.get(currency!));
    }
    expect(byType('SC')[0]![1]).toBe(String(body.length));
    expect(byType('RC')[0]![1]).toBe(String(body.length));
    expect(byType('FF')[0]![1]).toBe(String(body.length));
    expect(byType('RF').map((r) => r.slice(1))).toEqual(byType('SF').map((r) => r.slice(1)));
  });

  it('writes a TRR file with the v8 column set, non-balance rows and transactional status', async () => {
    const made = await control('POST', '/_emulator/reports', { type: 'TRR', date: '2026-01-01' });
    expect(made.body.name).toBe('TRR-20260101.01.008.CSV');
    const { header, body, byType } = readReport(readFileSync(join(dir, made.body.name), 'utf8'));
    const fixture = readReport(
      readFileSync(join(REPORT_FIXTURES, 'TRR.wikimedia.express_checkout_donation.csv'), 'utf8'),
    );
    expect(header).toEqual(fixture.header);
    const declined = body.find((r) => r['Invoice ID'] === 'INV-STL-4')!;
    expect(declined['Transactional Status']).toBe('D');
    expect(body.find((r) => r['Invoice ID'] === 'INV-STL-1')!['Transactional Status']).toBe('S');
    expect(byType('RC')[0]![1]).toBe(String(body.length));

    // Value by value against PayPal's rows: the capture against a T0006 payment, the refund against a T1107.
    const saved = (file: string) => readReport(readFileSync(join(REPORT_FIXTURES, file), 'utf8')).body[0]!;
    const capture = body.find((r) => r['Invoice ID'] === 'INV-STL-1' && r['Transaction Event Code'] === 'T0006')!;
    const refund = body.find((r) => r['Invoice ID'] === 'INV-STL-1' && r['Transaction Event Code'] === 'T1107')!;
    const donation = saved('TRR.wikimedia.express_checkout_donation.csv');
    const paypalRefund = saved('TRR.wikimedia.express_checkout_refund.csv');
    for (const [ours, theirs] of [
      [capture, donation],
      [refund, paypalRefund],
    ] as const) {
      for (const column of ['Sales Tax Amount', 'Shipping Amount', 'Payer Address Status', 'Payment Source'])
        expect([column, ours[column]]).toEqual([column, theirs[column]]);
      for (const column of ['Insurance Amount', 'Authorization Review Status'])
        expect([column, ours[column] === '']).toEqual([column, theirs[column] === '']);
      // Codes, not words: two digits, as PayPal writes them (the donation was not eligible: 02; ours are: 01).
      expect(ours['Protection Eligibility']).toMatch(/^0\d$/);
      expect(theirs['Protection Eligibility']).toMatch(/^0\d$/);
      // Consumer ID is the payer's account id (13 characters), the email is in Payer's Account ID.
      expect(ours['Consumer ID']).toMatch(/^[0-9A-Z]{13}$/);
      expect(theirs['Consumer ID']).toMatch(/^[0-9A-Z]{13}$/);
      expect(ours["Payer's Account ID"]).toContain('@');
    }
    expect(capture['Authorization Review Status']).toBe('01');
    expect(capture['PayPal Reference ID Type']).toBe('ODR');
    expect(capture['PayPal Reference ID']).not.toBe('');
    expect(refund['Transaction Note']).toBe(paypalRefund['Transaction Note']);
    expect([refund['PayPal Reference ID'], refund['PayPal Reference ID Type']]).toEqual([
      capture['Transaction ID'],
      paypalRefund['PayPal Reference ID Type'],
    ]);

    expect((await control('GET', '/_emulator/reports')).body.reports).toEqual([
      'STL-20260101.01.009.CSV',
      'TRR-20260101.01.008.CSV',
    ]);
  });
});

describe('withdrawals and balance conversions (control API)', () => {
  it('writes a T0400 withdrawal with its bank reference and a T0200 pair into Transaction Search and the next day’s STL', async () => {
    const tooMuch = await control('POST', '/_emulator/withdrawals', { currency: 'USD', amount: '100000.00' });
    expect(tooMuch.status).toBe(422);
    const w = await control('POST', '/_emulator/withdrawals', {
      currency: 'USD',
      amount: '10.00',
      bank_reference_id: 'BANKREF42',
    });
    expect(w.status).toBe(201);
    const c = await control('POST', '/_emulator/conversions', { from: 'EUR', to: 'USD', amount: '10.00' });
    expect(c.status).toBe(201);
    expect(c.body.received_minor).toBe(1080); // EUR:USD 1.08
    const search = await api(
      'GET',
      `/v1/reporting/transactions?start_date=2026-01-02T00:00:00Z&end_date=2026-01-02T23:59:59Z&transaction_type=T0400`,
    );
    expect(search.body.transaction_details[0].transaction_info).toMatchObject({
      transaction_id: w.body.transaction_id,
      bank_reference_id: 'BANKREF42',
      transaction_amount: { currency_code: 'USD', value: '-10.00' },
    });
    const made = await control('POST', '/_emulator/reports', { type: 'STL', date: '2026-01-02' });
    const { body } = readReport(readFileSync(join(dir, made.body.name), 'utf8'));
    expect(body.find((r) => r['Transaction Event Code'] === 'T0400')).toMatchObject({
      'Transaction ID': w.body.transaction_id,
      'Transaction Debit or Credit': 'DR',
      'Gross Transaction Amount': '1000',
      'Bank Reference ID': 'BANKREF42',
    });
    expect(
      body
        .filter((r) => r['Transaction Event Code'] === 'T0200')
        .map((r) => [r['Gross Transaction Currency'], r['Transaction Debit or Credit'], r['Gross Transaction Amount']]),
    ).toEqual([
      ['EUR', 'DR', '1000'],
      ['USD', 'CR', '1080'],
    ]);
  });
});
