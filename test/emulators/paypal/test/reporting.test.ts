/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON in tests is untyped on purpose; its shape is checked by assertions and by the OpenAPI contract validator */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionSearchController } from '@paypal/paypal-server-sdk';
import { assertContract } from './helpers/contract.ts';
import { captureOrder, startEmulator, type Api } from './helpers/client.ts';
import { sdkClient } from './helpers/sdk.ts';
import type { PayPalEmulator } from '../src/index.ts';

let emu: PayPalEmulator;
let api: Api;
let control: Api;
let captureId: string;

beforeAll(async () => {
  ({ emu, api, control } = await startEmulator({ seed: 'reporting' }));
  const a = await captureOrder(api, control, {
    unit: '100.00',
    quantity: 1,
    invoiceId: 'INV-R1',
    customId: 'order-r1',
  });
  captureId = a.body.purchase_units[0].payments.captures[0].id;
  await api('POST', `/v2/payments/captures/${captureId}/refund`, { amount: { currency_code: 'USD', value: '40.00' } });
  await captureOrder(api, control, { currency: 'EUR', unit: '10.00', quantity: 1 });
  await control('POST', '/_emulator/captures/next-outcome', { status: 'PENDING' });
  await captureOrder(api, control, { unit: '5.00', quantity: 1 });
});
afterAll(async () => {
  await emu.close();
  assertContract(emu.responses);
});

const WINDOW = 'start_date=2025-12-31T00:00:00Z&end_date=2026-01-02T00:00:00Z';

describe('Transaction Search v1', () => {
  it('lists balance-affecting rows with T-codes, signed fees, statuses and running balances', async () => {
    const res = await api('GET', `/v1/reporting/transactions?${WINDOW}&fields=all`);
    expect(res.status).toBe(200);
    const infos = res.body.transaction_details.map((d: any) => d.transaction_info);
    expect(infos.map((i: any) => [i.transaction_event_code, i.transaction_status])).toEqual([
      ['T0006', 'S'],
      ['T1107', 'S'],
      ['T0006', 'S'],
    ]);
    const [sale, refund] = infos;
    expect(sale).toMatchObject({
      transaction_id: captureId,
      transaction_amount: { currency_code: 'USD', value: '100.00' },
      fee_amount: { currency_code: 'USD', value: '-3.98' },
      invoice_id: 'INV-R1',
      custom_field: 'order-r1',
      ending_balance: { value: '96.02' },
    });
    expect(refund).toMatchObject({
      paypal_reference_id: captureId,
      paypal_reference_id_type: 'TXN',
      transaction_amount: { value: '-40.00' },
      fee_amount: { value: '1.40' },
    });
    expect(refund.ending_balance.value).toBe('57.42');
    expect(res.body.transaction_details[0].payer_info).toMatchObject({
      email_address: 'ada@example.com',
      account_id: 'PAYER2345ABCD',
    });
    expect(res.body).toMatchObject({
      account_number: emu.config.merchant.accountId,
      page: 1,
      total_items: 3,
      total_pages: 1,
    });

    const all = await api('GET', `/v1/reporting/transactions?${WINDOW}&balance_affecting_records_only=N`);
    expect(all.body.transaction_details.map((d: any) => d.transaction_info.transaction_status)).toContain('P');
    const filtered = await api('GET', `/v1/reporting/transactions?${WINDOW}&transaction_id=${captureId}`);
    expect(filtered.body.transaction_details).toHaveLength(1);
    expect(filtered.body.transaction_details[0].transaction_info.ending_balance).toBeUndefined();
    const byType = await api('GET', `/v1/reporting/transactions?${WINDOW}&transaction_type=T1107`);
    expect(byType.body.total_items).toBe(1);
    const paged = await api('GET', `/v1/reporting/transactions?${WINDOW}&page_size=2&page=2`);
    expect(paged.body).toMatchObject({ page: 2, total_pages: 2, total_items: 3 });
  });

  it('requires dates and a range of at most 31 days', async () => {
    const missing = await api('GET', '/v1/reporting/transactions?end_date=2026-01-02T00:00:00Z');
    expect(missing.status).toBe(400);
    expect(missing.body.details[0]).toMatchObject({ field: 'start_date', issue: 'MISSING_REQUIRED_PARAMETER' });
    const tooLong = await api(
      'GET',
      '/v1/reporting/transactions?start_date=2026-01-01T00:00:00Z&end_date=2026-02-02T00:00:00Z',
    );
    expect(tooLong.status).toBe(400);
  });

  it('reports balances per currency (primary flagged) and withheld amounts for open disputes', async () => {
    const before = await api('GET', '/v1/reporting/balances');
    const usd = before.body.balances.find((b: any) => b.currency === 'USD');
    expect(usd).toMatchObject({
      primary: true,
      available_balance: { value: '57.42' },
      withheld_balance: { value: '0.00' },
    });
    expect(before.body.balances.find((b: any) => b.currency === 'EUR').available_balance.value).toBe('9.26'); // 10.00 − (0.35 + 0.39)
    await control('POST', '/_emulator/disputes', { capture_id: captureId, amount: '10.00' });
    const after = await api('GET', '/v1/reporting/balances?currency_code=USD');
    expect(after.body.balances).toEqual([
      {
        currency: 'USD',
        primary: true,
        total_balance: { currency_code: 'USD', value: '57.42' },
        available_balance: { currency_code: 'USD', value: '47.42' },
        withheld_balance: { currency_code: 'USD', value: '10.00' },
      },
    ]);
  });

  it('the official SDK searches transactions and balances', async () => {
    const sdk = new TransactionSearchController(sdkClient(emu.url));
    const res = await sdk.searchTransactions({
      startDate: '2025-12-31T00:00:00Z',
      endDate: '2026-01-02T00:00:00Z',
      fields: 'all',
    });
    expect(res.statusCode).toBe(200);
    expect(res.result.transactionDetails!.map((d) => d.transactionInfo!.transactionEventCode)).toEqual(
      expect.arrayContaining(['T0006', 'T1107']),
    );
    const bal = await sdk.searchBalances({ currencyCode: 'USD' });
    expect(bal.result.balances![0]!.currency).toBe('USD');
  });
});
