// The refund/reversal plan: what one refund writes, without any I/O.
import { describe, expect, it } from '@jest/globals';
import type { PayPalRefund, PayPalSaleRefund } from '../../src/adapters/paypal/types.ts';
import type { BatchOp } from '../../src/adapters/dataverse/types.ts';
import {
  LedgerPurpose,
  LedgerSide,
  CreditMemoOrigin,
  CreditMemoStatus,
  PaymentStatusChoice,
  TransactionStatus,
} from '../../src/mapping/dataverse-values.ts';
import { imbalance } from '../../src/mapping/ledger.ts';
import { money } from '../../src/mapping/money.ts';
import {
  planRefund,
  postRefund,
  refundFacts,
  saleRefundFacts,
  type ParentTransaction,
} from '../../src/mapping/refund-plan.ts';
import { fixtureResource } from '../support/fixtures.ts';

const gl: Record<string, string> = {
  [`${LedgerPurpose.Clearing}:USD`]: '1010-USD',
  [`${LedgerPurpose.Clearing}:EUR`]: '1010-EUR',
  [`${LedgerPurpose.FeeExpense}:XXX`]: '6100',
  [`${LedgerPurpose.Receivable}:XXX`]: '1200',
  [`${LedgerPurpose.Refunds}:XXX`]: '4900',
  [`${LedgerPurpose.Chargeback}:XXX`]: '4910',
  [`${LedgerPurpose.ChargebackFee}:XXX`]: '6110',
  [`${LedgerPurpose.FxGain}:XXX`]: '7100',
  [`${LedgerPurpose.FxLoss}:XXX`]: '7200',
};
const rules = {
  baseCurrency: 'USD',
  account: (p: number, c: string) => gl[`${p}:${c}`] ?? gl[`${p}:XXX`],
  fxRate: (from: string, to: string) => (from === 'EUR' && to === 'USD' ? '1.10' : undefined),
};
const fixture = fixtureResource<PayPalRefund>('PAYMENT.CAPTURE.REFUNDED');
const saleFixture = fixtureResource<PayPalSaleRefund>('PAYMENT.SALE.REFUNDED');
const parent = (over: Partial<ParentTransaction> = {}): ParentTransaction => ({
  id: 'txn-1',
  paypalId: '0JF852973C016714D',
  kind: 416500000,
  statuscode: TransactionStatus.Completed.statuscode,
  etag: 'W/"7"',
  gross: money(198, 'USD'),
  refundedMinor: 99,
  invoiceId: 'inv-1',
  orderId: 'so-1',
  customer: { table: 'contact', id: 'ct-1' },
  ...over,
});
const byUrl = (ops: BatchOp[], prefix: string) => ops.filter((o) => o.url.startsWith(prefix));

describe('refund facts', () => {
  it('reads the v2 refund: amount, fee returned, net, capture from the up link', () => {
    const f = refundFacts(fixture);
    expect(f).toMatchObject({
      kind: 'refund',
      refundId: '1Y107995YT783435V',
      parentId: '0JF852973C016714D',
      gross: money(99, 'USD'),
      feeReturned: money(2, 'USD'),
      net: money(97, 'USD'),
      totalRefunded: money(198, 'USD'),
    });
  });
  it('reads the v1 sale refund with its negative amount', () => {
    const f = saleRefundFacts(saleFixture);
    expect(f).toMatchObject({
      refundId: '6YX43824R4443062K',
      parentId: '9T0916710M1105906',
      gross: money(1, 'USD'),
      feeReturned: money(0, 'USD'),
    });
  });
  it('refuses a refund without its capture link', () => {
    expect(() => refundFacts({ ...fixture, links: [] })).toThrow(/up/);
  });
});

describe('refund plan', () => {
  it('creates a Refunded memo (origin PayPal), refund transaction, balanced reversing lines, capture/invoice/customer totals', () => {
    const p = planRefund({
      eventId: 'WH-R1',
      refund: refundFacts(fixture),
      parent: parent(),
      alreadyRecorded: false,
      invoice: { id: 'inv-1', totalMinor: 198, refundedMinor: 99 },
      customer: { table: 'contact', id: 'ct-1', totalSpendBase: 1.98, totalRefundedBase: 0.99, refundCount: 1 },
      rules,
      currencyId: 'c-usd',
    });
    const [memo] = byUrl(p.ops, 'ppc_creditmemos');
    expect(memo!.url).toBe("ppc_creditmemos(ppc_paypalrefundid='1Y107995YT783435V')");
    expect(memo!.body).toMatchObject({
      ...CreditMemoStatus.Refunded,
      ppc_origin: CreditMemoOrigin.PayPal,
      ppc_amount: 0.99,
      'ppc_invoiceid@odata.bind': '/invoices(inv-1)',
    });
    const [txn, capture] = byUrl(p.ops, 'ppc_paypaltransactions');
    expect(txn!.body).toMatchObject({
      ppc_kind: 416500002,
      ppc_grossamount: 0.99,
      ppc_feeamount: 0.02,
      ppc_netamount: 0.97,
      'ppc_parenttransactionid@odata.bind': '/ppc_paypaltransactions(txn-1)',
    });
    expect(capture).toMatchObject({
      url: 'ppc_paypaltransactions(txn-1)',
      ifMatch: 'W/"7"',
      body: { ppc_refundedamount: 1.98, ...TransactionStatus.Refunded },
    });
    const lines = byUrl(p.ops, 'ppc_ledgerentries').map((o) => [
      o.body!.ppc_side === LedgerSide.Debit ? 'Dr' : 'Cr',
      o.body!.ppc_accountcode,
      o.body!.ppc_amount,
    ]);
    expect(lines).toEqual([
      ['Cr', '1010-USD', 0.97],
      ['Cr', '6100', 0.02],
      ['Dr', '4900', 0.99],
    ]);
    expect(imbalance(p.posting!.lines)).toEqual({ USD: 0, 'base:USD': 0 });
    expect(byUrl(p.ops, 'invoices')[0]!.body).toEqual({
      ppc_refundedamount: 1.98,
      ppc_paymentstatus: PaymentStatusChoice.Refunded,
    });
    expect(byUrl(p.ops, 'contacts')[0]!.body).toEqual({
      ppc_totalrefundedbase: 1.98,
      ppc_refundcount: 2,
      ppc_refundratio: 1,
    });
  });

  it('reactivates a Paid invoice and Fulfilled order, edits them and closes them again as separate operations', () => {
    const p = planRefund({
      eventId: 'WH-R1',
      refund: refundFacts(fixture),
      parent: parent(),
      alreadyRecorded: false,
      invoice: {
        id: 'inv-1',
        totalMinor: 198,
        refundedMinor: 99,
        state: { statecode: 2, statuscode: 100001 },
        orderState: { statecode: 3, statuscode: 100001 },
      },
      rules,
      currencyId: 'c-usd',
    });
    // Dataverse splits an update carrying state and other columns into two operations, the other columns
    // first (special-update-operation-behavior), so no operation may mix them on a read-only record.
    expect(byUrl(p.ops, 'invoices').map((o) => o.body)).toEqual([
      { statecode: 0, statuscode: 1 },
      { ppc_refundedamount: 1.98, ppc_paymentstatus: PaymentStatusChoice.Refunded },
      { statecode: 2, statuscode: 100001 },
    ]);
    expect(byUrl(p.ops, 'salesorders').map((o) => Object.keys(o.body!))).toEqual([
      ['statecode', 'statuscode'],
      ['ppc_paymentstatus'],
      ['statecode', 'statuscode'],
    ]);
  });

  it('completes a memo begun in D365 instead of creating one', () => {
    const p = planRefund({
      eventId: 'WH-R1',
      refund: refundFacts(fixture),
      parent: parent({ refundedMinor: 0 }),
      alreadyRecorded: false,
      memo: { id: 'memo-1' },
      rules,
      currencyId: 'c-usd',
    });
    const memos = byUrl(p.ops, 'ppc_creditmemos');
    expect(memos).toHaveLength(1);
    expect(memos[0]!.url).toBe('ppc_creditmemos(memo-1)');
    expect(memos[0]!.body).toMatchObject({ ppc_paypalrefundid: '1Y107995YT783435V', ...CreditMemoStatus.Refunded });
    expect(memos[0]!.body).not.toHaveProperty('ppc_origin');
    // PayPal's running total (1.98) wins over ours (0 + 0.99).
    expect(byUrl(p.ops, 'ppc_paypaltransactions(txn-1)')[0]!.body).toMatchObject(TransactionStatus.Refunded);
  });

  it('does nothing for a refund already recorded', () => {
    expect(
      planRefund({
        eventId: 'WH-R2',
        refund: refundFacts(fixture),
        parent: parent(),
        alreadyRecorded: true,
        rules,
        currencyId: 'c-usd',
      }).ops,
    ).toEqual([]);
  });

  it('a reversal: chargeback lines, capture Reversed, order/invoice Reversed, an alert, no memo', () => {
    const reversal = refundFacts(
      {
        ...fixture,
        seller_payable_breakdown: {
          gross_amount: { currency_code: 'USD', value: '1.98' },
          paypal_fee: { currency_code: 'USD', value: '0.00' },
          net_amount: { currency_code: 'USD', value: '1.98' },
        },
      },
      'reversal',
    );
    const p = planRefund({
      eventId: 'WH-V1',
      refund: reversal,
      parent: parent({ refundedMinor: 0 }),
      alreadyRecorded: false,
      invoice: { id: 'inv-1', totalMinor: 198, refundedMinor: 0 },
      rules,
      currencyId: 'c-usd',
    });
    expect(byUrl(p.ops, 'ppc_creditmemos')).toEqual([]);
    expect(
      byUrl(p.ops, 'ppc_ledgerentries').map((o) => [
        o.body!.ppc_side === LedgerSide.Debit ? 'Dr' : 'Cr',
        o.body!.ppc_accountcode,
        o.body!.ppc_amount,
      ]),
    ).toEqual([
      ['Cr', '1010-USD', 1.98],
      ['Dr', '4910', 1.98],
    ]);
    expect(byUrl(p.ops, 'ppc_paypaltransactions(txn-1)')[0]!.body).toMatchObject(TransactionStatus.Reversed);
    expect(byUrl(p.ops, 'invoices')[0]!.body).toMatchObject({ ppc_paymentstatus: PaymentStatusChoice.Reversed });
    expect(byUrl(p.ops, 'salesorders')[0]!.body).toEqual({ ppc_paymentstatus: PaymentStatusChoice.Reversed });
    expect(byUrl(p.ops, 'ppc_fraudalerts')[0]!.body).toMatchObject({ ppc_alerttype: 416500201 });
  });

  it('a EUR refund is valued at the refund date rate and stays balanced in both currencies', () => {
    const eur = refundFacts({
      ...fixture,
      amount: { currency_code: 'EUR', value: '10.00' },
      seller_payable_breakdown: {
        gross_amount: { currency_code: 'EUR', value: '10.00' },
        paypal_fee: { currency_code: 'EUR', value: '0.33' },
        net_amount: { currency_code: 'EUR', value: '9.67' },
      },
    });
    const posting = postRefund(eur, rules);
    expect(imbalance(posting.lines)).toEqual({ EUR: 0, 'base:USD': 0 });
    expect(posting.grossBase).toEqual(money(1100, 'USD'));
  });

  it('refuses a refund in another currency than its capture', () => {
    expect(() =>
      planRefund({
        eventId: 'x',
        refund: refundFacts(fixture),
        parent: parent({ gross: money(198, 'EUR') }),
        alreadyRecorded: false,
        rules,
        currencyId: 'c',
      }),
    ).toThrow(/EUR/);
  });
});
