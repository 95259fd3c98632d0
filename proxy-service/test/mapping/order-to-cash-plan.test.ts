// The order-to-cash plan: what one capture writes in each case (currencies, FX, pending, declined,
// unknown SKU, merchant's own invoice, redelivery), without any I/O.
import { describe, expect, it } from '@jest/globals';
import type { PayPalCapture } from '../../src/adapters/paypal/types.ts';
import type { BatchOp } from '../../src/adapters/dataverse/types.ts';
import { InvoiceStatus, LedgerPurpose, TransactionStatus } from '../../src/mapping/dataverse-values.ts';
import { imbalance } from '../../src/mapping/ledger.ts';
import { orderFacts, type PayPalOrder } from '../../src/mapping/order-facts.ts';
import { planOrderToCash, type Existing, type ReferenceData } from '../../src/mapping/order-to-cash-plan.ts';
import { captureFacts } from '../../src/mapping/payment-facts.ts';
import { fixtureResource } from '../support/fixtures.ts';

const ids: Record<string, string> = { USD: 'c-usd', EUR: 'c-eur', JPY: 'c-jpy' };
const gl: Record<string, string> = {
  [`${LedgerPurpose.Clearing}:USD`]: '1010-USD',
  [`${LedgerPurpose.Clearing}:EUR`]: '1010-EUR',
  [`${LedgerPurpose.Clearing}:JPY`]: '1010-JPY',
  [`${LedgerPurpose.FeeExpense}:XXX`]: '6100',
  [`${LedgerPurpose.Receivable}:XXX`]: '1200',
  [`${LedgerPurpose.FxGain}:XXX`]: '7100',
  [`${LedgerPurpose.FxLoss}:XXX`]: '7200',
};
const ref = (over: Partial<ReferenceData> = {}): ReferenceData => ({
  baseCurrency: 'USD',
  currencyId: (c) => ids[c],
  priceLevelId: () => 'pl-1',
  defaultUomId: 'uom-1',
  fallbackProductNumber: 'PAYPAL-MISC',
  account: (p, c) => gl[`${p}:${c}`] ?? gl[`${p}:XXX`],
  fxRate: (from, to) =>
    from === 'EUR' && to === 'USD' ? '1.10' : from === 'JPY' && to === 'USD' ? '0.0067' : undefined,
  ...over,
});
const products = {
  'SKU-1': { id: 'p-1', productnumber: 'SKU-1', quantityonhand: 10, uomId: 'uom-1', etag: 'W/"5"' },
  'PAYPAL-MISC': { id: 'p-misc', productnumber: 'PAYPAL-MISC', quantityonhand: null },
};
const fixture = fixtureResource<PayPalCapture>('PAYMENT.CAPTURE.COMPLETED');

const order = (items: { sku?: string; quantity: string; value: string }[], currency = 'USD'): PayPalOrder => ({
  id: '1AB234567A1234567',
  payer: {
    payer_id: 'PAYER1',
    email_address: 'Buyer@Example.com',
    name: { given_name: 'Ada', surname: 'Lovelace' },
    address: { country_code: 'gb', postal_code: 'sw1a1aa' },
  },
  purchase_units: [
    {
      items: items.map((i) => ({
        name: `Item ${i.sku ?? ''}`,
        sku: i.sku,
        quantity: i.quantity,
        unit_amount: { currency_code: currency, value: i.value },
      })),
    },
  ],
});
const plan = (resource: object, o: PayPalOrder | undefined, existing: Partial<Existing> = {}, r = ref()) =>
  planOrderToCash({
    eventId: 'WH-1',
    payment: captureFacts(resource),
    order: o ? orderFacts(o) : undefined,
    existing: { products, ...existing },
    ref: r,
  });
const ledger = (ops: BatchOp[]) => ops.filter((o) => o.url.startsWith('ppc_ledgerentries'));
const lines = (ops: BatchOp[]) =>
  ledger(ops).map((o) => ({
    side: o.body!.ppc_side === 416500260 ? 'Dr' : 'Cr',
    purpose: o.body!.ppc_purpose,
    amount: o.body!.ppc_amount,
    base: o.body!.ppc_baseamount,
    currency: o.body!['transactioncurrencyid@odata.bind'],
  }));
const balance = (ops: BatchOp[]) => {
  const sum: Record<string, number> = {};
  for (const l of lines(ops)) {
    const s = l.side === 'Dr' ? 1 : -1;
    sum.amount = Math.round(((sum.amount ?? 0) + s * Number(l.amount)) * 1000) / 1000;
    if (l.base !== undefined) sum.base = Math.round(((sum.base ?? 0) + s * Number(l.base)) * 1000) / 1000;
  }
  return sum;
};

describe('order-to-cash plan', () => {
  it('turns the real USD capture into customer, order, invoice, paid, transaction and balanced ledger lines', () => {
    const p = plan(fixture, order([{ sku: 'SKU-1', quantity: '2', value: '15.00' }]));
    expect(p.outcome).toBe('created');
    expect(p.ops.map((o) => `${o.method} ${o.url.replace(/\(.*\)/, '(…)')}`)).toEqual([
      'PATCH contacts(…)',
      'POST salesorders',
      'POST invoices',
      'PATCH products(…)',
      'PATCH $3',
      'PATCH ppc_paypaltransactions(…)',
      'PATCH ppc_ledgerentries(…)',
      'PATCH ppc_ledgerentries(…)',
      'PATCH ppc_ledgerentries(…)',
    ]);
    expect(p.ops.length).toBeLessThanOrEqual(12);
    const [contact, salesorder, invoice, stock, paid, txn] = p.ops;
    expect(contact).toMatchObject({
      url: "contacts(ppc_paypalpayerid='PAYER1')",
      body: {
        ppc_paypalpayerid: 'PAYER1',
        firstname: 'Ada',
        lastname: 'Lovelace',
        emailaddress1: 'buyer@example.com',
        address1_postalcode: 'SW1A 1AA',
        ppc_totalspendbase: 30,
        ppc_paymentcount: 1,
      },
    });
    expect(salesorder!.body).toMatchObject({
      'customerid_contact@odata.bind': '$1',
      'transactioncurrencyid@odata.bind': '/transactioncurrencies(c-usd)',
      ppc_paypalcaptureid: '12A34567BC123456S',
      order_details: [{ quantity: 2, priceperunit: 15, 'productid@odata.bind': '/products(p-1)' }],
    });
    expect(invoice!.body).toMatchObject({
      'salesorderid@odata.bind': '$2',
      invoice_details: [{ quantity: 2, priceperunit: 15 }],
    });
    expect(stock).toMatchObject({ url: 'products(p-1)', body: { quantityonhand: 8 }, ifMatch: 'W/"5"' });
    expect(paid!.body).toMatchObject({ statecode: 2, statuscode: InvoiceStatus.Complete, ppc_paidamount: 30 });
    // Real capture: gross 30.00, PayPal fee 1.54 + platform fee 2.00, net 26.46.
    expect(txn!.body).toMatchObject({
      ...TransactionStatus.Completed,
      ppc_grossamount: 30,
      ppc_feeamount: 3.54,
      ppc_netamount: 26.46,
      ppc_invoicereference: '5840243-146',
      ppc_orderid: '1AB234567A1234567',
      'ppc_invoiceid@odata.bind': '$3',
      ppc_needsreview: false,
    });
    expect(lines(p.ops)).toEqual([
      {
        side: 'Dr',
        purpose: LedgerPurpose.Clearing,
        amount: 26.46,
        base: 26.46,
        currency: '/transactioncurrencies(c-usd)',
      },
      {
        side: 'Dr',
        purpose: LedgerPurpose.FeeExpense,
        amount: 3.54,
        base: 3.54,
        currency: '/transactioncurrencies(c-usd)',
      },
      {
        side: 'Cr',
        purpose: LedgerPurpose.Receivable,
        amount: 30,
        base: 30,
        currency: '/transactioncurrencies(c-usd)',
      },
    ]);
    expect(balance(p.ops)).toEqual({ amount: 0, base: 0 });
  });

  it('keeps JPY in whole yen and values it in the base currency at the booking rate', () => {
    const jpy = {
      id: 'CAPJPY',
      status: 'COMPLETED',
      amount: { currency_code: 'JPY', value: '1500' },
      seller_receivable_breakdown: {
        gross_amount: { currency_code: 'JPY', value: '1500' },
        paypal_fee: { currency_code: 'JPY', value: '93' },
        net_amount: { currency_code: 'JPY', value: '1407' },
      },
      update_time: '2026-11-27T10:00:00Z',
    };
    const p = plan(jpy, order([{ sku: 'SKU-1', quantity: '1', value: '1500' }], 'JPY'));
    expect(lines(p.ops).map((l) => [l.side, l.amount, l.base])).toEqual([
      ['Dr', 1407, 9.43],
      ['Dr', 93, 0.62],
      ['Cr', 1500, 10.05],
    ]);
    expect(balance(p.ops)).toEqual({ amount: 0, base: 0 });
  });

  it("posts a cross-currency capture at PayPal's rate and the difference to the booking rate as FX", () => {
    const eur = {
      id: 'CAPEUR',
      status: 'COMPLETED',
      amount: { currency_code: 'EUR', value: '100.00' },
      seller_receivable_breakdown: {
        gross_amount: { currency_code: 'EUR', value: '100.00' },
        paypal_fee: { currency_code: 'EUR', value: '3.20' },
        net_amount: { currency_code: 'EUR', value: '96.80' },
        receivable_amount: { currency_code: 'USD', value: '104.54' },
        exchange_rate: { source_currency: 'EUR', target_currency: 'USD', value: '1.08' },
      },
      update_time: '2026-11-27T10:00:00Z',
    };
    const p = plan(eur, order([{ sku: 'SKU-1', quantity: '1', value: '100.00' }], 'EUR'));
    // Receivable at the booking rate 1.10 = 110.00; clearing = PayPal's 104.54; fee 3.20 × 1.08 = 3.46; loss 2.00.
    expect(lines(p.ops).map((l) => [l.side, l.purpose, l.amount, l.base])).toEqual([
      ['Dr', LedgerPurpose.Clearing, 96.8, 104.54],
      ['Dr', LedgerPurpose.FeeExpense, 3.2, 3.46],
      ['Cr', LedgerPurpose.Receivable, 100, 110],
      ['Dr', LedgerPurpose.FxLoss, 0, 2],
    ]);
    expect(balance(p.ops)).toEqual({ amount: 0, base: 0 });
    const txn = p.ops.find((o) => o.url.startsWith('ppc_paypaltransactions'))!;
    expect(txn.body).toMatchObject({
      ppc_paypalexchangerate: 1.08,
      ppc_settlementcurrencycode: 'USD',
      ppc_settlementamount: 104.54,
      ppc_fxratemissing: false,
    });
  });

  it('flags a payment with no exchange rate instead of using 1.0', () => {
    const r = ref({ fxRate: () => undefined });
    const eur = {
      id: 'CAPNORATE',
      status: 'COMPLETED',
      amount: { currency_code: 'EUR', value: '10.00' },
      update_time: '2026-11-27T10:00:00Z',
    };
    const p = plan(eur, order([{ sku: 'SKU-1', quantity: '1', value: '10.00' }], 'EUR'), {}, r);
    expect(lines(p.ops).every((l) => l.base === undefined)).toBe(true);
    expect(p.ops.find((o) => o.url.startsWith('ppc_paypaltransactions'))!.body).toMatchObject({
      ppc_fxratemissing: true,
      ppc_needsreview: true,
    });
    expect(p.flags[0]).toContain('no exchange rate EUR→USD');
  });

  it('records a PENDING capture without paying the invoice or posting, and completes it later', () => {
    const pending = { ...fixture, id: 'CAPPEND', status: 'PENDING', status_details: { reason: 'UNILATERAL' } };
    const p1 = plan(pending, order([{ sku: 'SKU-1', quantity: '1', value: '30.00' }]));
    expect(p1.ops.some((o) => o.body?.statecode === 2 && o.url === '$3')).toBe(false);
    expect(ledger(p1.ops)).toHaveLength(0);
    expect(p1.ops.find((o) => o.url.startsWith('ppc_paypaltransactions'))!.body).toMatchObject({
      ...TransactionStatus.Pending,
      ppc_statusdetails: 'UNILATERAL',
    });
    expect(p1.ops[0]!.body).not.toHaveProperty('ppc_totalspendbase');

    const completed = { ...fixture, id: 'CAPPEND', update_time: '2026-11-28T00:00:00Z' };
    const p2 = plan(completed, order([{ sku: 'SKU-1', quantity: '1', value: '30.00' }]), {
      transaction: {
        id: 't-1',
        statuscode: TransactionStatus.Pending.statuscode,
        updateTime: '2022-08-23T18:29:50Z',
        invoiceId: 'inv-1',
        orderId: 'so-1',
      },
      customer: { table: 'contact', id: 'ct-1', etag: 'W/"9"', payerId: 'PAYER1', totalSpendBase: 0, paymentCount: 0 },
    });
    expect(p2.outcome).toBe('completed');
    expect(p2.ops.map((o) => o.url)).toEqual([
      'contacts(ct-1)',
      'salesorders(so-1)',
      'invoices(inv-1)',
      "ppc_paypaltransactions(ppc_paypalid='CAPPEND')",
      ...[1, 2, 3].map((n) => `ppc_ledgerentries(ppc_sourceid='CAPPEND',ppc_lineno=${n})`),
    ]);
    expect(p2.ops[2]!.body).toMatchObject({ statecode: 2, statuscode: InvoiceStatus.Complete });
    expect(p2.ops.some((o) => o.url.startsWith('products'))).toBe(false); // stock left with the PENDING order
  });

  it('books a sale beyond the stock: stock set to 0 (Dataverse refuses a negative Quantity On Hand), payment flagged', () => {
    // Microsoft Learn, table reference "product": QuantityOnHand MinValue 0. A negative value would fail the whole
    // change set with 400, so the payment would be dead-lettered for a stock count.
    const low = { ...products, 'SKU-1': { ...products['SKU-1'], quantityonhand: 1 } };
    const p = plan(fixture, order([{ sku: 'SKU-1', quantity: '2', value: '15.00' }]), { products: low });
    expect(p.ops.find((o) => o.url === 'products(p-1)')).toMatchObject({ body: { quantityonhand: 0 } });
    expect(p.flags).toContain('oversold SKU SKU-1: 2 sold, 1 on hand; stock set to 0');
    expect(p.ops.find((o) => o.url.startsWith('ppc_paypaltransactions'))!.body).toMatchObject({
      ppc_needsreview: true,
      ppc_flagreason: expect.stringContaining('oversold SKU SKU-1'),
    });
  });

  it('marks a DECLINED capture and flags its order, with no invoice and no stock change', () => {
    const p = plan(
      { ...fixture, id: 'CAPDEC', status: 'DECLINED' },
      order([{ sku: 'SKU-1', quantity: '1', value: '30.00' }]),
    );
    expect(p.ops.map((o) => o.url.replace(/\(.*\)/, ''))).toEqual([
      'contacts',
      'salesorders',
      'ppc_paypaltransactions',
    ]);
    expect(p.ops[1]!.body).toMatchObject({
      ppc_paymentstatus: 416500295,
      ppc_needsreview: true,
      ppc_flagreason: 'PayPal capture DECLINED',
    });
    expect(p.ops[2]!.body).toMatchObject(TransactionStatus.Declined);
  });

  it('books an unknown SKU on the fallback product and flags the transaction', () => {
    const p = plan({ ...fixture, id: 'CAPSKU' }, order([{ sku: 'NOPE-9', quantity: '1', value: '30.00' }]));
    expect(p.ops[1]!.body!.order_details).toEqual([
      expect.objectContaining({ 'productid@odata.bind': '/products(p-misc)' }),
    ]);
    expect(p.ops.find((o) => o.url.startsWith('ppc_paypaltransactions'))!.body).toMatchObject({
      ppc_unmatchedsku: true,
      ppc_needsreview: true,
      ppc_flagreason: 'unmatched SKU NOPE-9 "Item NOPE-9" → fallback product PAYPAL-MISC',
    });
  });

  it('applies the payment to an invoice the merchant referenced, creating no order or invoice', () => {
    const p = plan(
      { ...fixture, id: 'CAPINV', amount: { currency_code: 'USD', value: '30.00' } },
      order([{ sku: 'SKU-1', quantity: '1', value: '30.00' }]),
      {
        invoice: { id: 'inv-9', totalMinor: 10000, currency: 'USD', paidMinor: 0, orderId: 'so-9' },
      },
    );
    expect(p.ops.map((o) => o.url.replace(/\(.*\)/, ''))).toEqual([
      'contacts',
      'invoices',
      'ppc_paypaltransactions',
      'ppc_ledgerentries',
      'ppc_ledgerentries',
      'ppc_ledgerentries',
    ]);
    expect(p.ops[1]).toMatchObject({
      url: 'invoices(inv-9)',
      body: { statecode: 2, statuscode: InvoiceStatus.Partial, ppc_paidamount: 30 },
    });
    expect(p.ops[2]!.body).toMatchObject({
      'ppc_invoiceid@odata.bind': '/invoices(inv-9)',
      'ppc_salesorderid@odata.bind': '/salesorders(so-9)',
    });
  });

  it('changes nothing for the same capture delivered again, or an older state arriving late', () => {
    const again = plan(fixture, order([{ sku: 'SKU-1', quantity: '1', value: '30.00' }]), {
      transaction: { id: 't', statuscode: TransactionStatus.Completed.statuscode, updateTime: '2022-08-23T18:29:50Z' },
    });
    expect(again).toMatchObject({ ops: [], outcome: 'unchanged' });
    const late = plan({ ...fixture, status: 'PENDING', update_time: '2022-08-23T18:00:00Z' }, undefined, {
      transaction: { id: 't', statuscode: TransactionStatus.Completed.statuscode, updateTime: '2022-08-23T18:29:50Z' },
    });
    expect(late).toMatchObject({ ops: [], outcome: 'stale' });
  });

  it('refuses a currency Dataverse does not have, with a clear reason', () => {
    expect(() =>
      plan(
        { ...fixture, amount: { currency_code: 'CHF', value: '1.00' }, seller_receivable_breakdown: undefined },
        undefined,
      ),
    ).toThrow('currency CHF is not enabled in Dataverse');
  });

  it('keeps debits equal to credits for every plan', () => {
    for (const p of [
      plan(fixture, undefined),
      plan({ ...fixture, id: 'X2' }, order([{ sku: 'SKU-1', quantity: '3', value: '10.00' }])),
    ]) {
      expect(balance(p.ops)).toEqual({ amount: 0, base: 0 });
      expect(Object.values(imbalance(p.posting!.lines)).every((v) => v === 0)).toBe(true);
    }
  });
});
