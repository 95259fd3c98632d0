// Issue 6, Must show 1 and 2: all real HTTP. A buyer pays in the PayPal emulator → the emulator delivers the
// signed webhook → the proxy verifies, queues and runs order-to-cash → the Dataverse emulator holds every record.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@ppc/test-support';
import { buyerPays, startLocalStack, type LocalStack } from '../src/index.ts';

let stack: LocalStack;
let token: string;

beforeAll(async () => {
  stack = await startLocalStack();
  token = await stack.paypalToken();
});
afterAll(async () => {
  await stack?.close();
});

type Row = Record<string, unknown>;
const txnOf = (captureId: string) => stack.admin.list<Row>('ppc_paypaltransactions', `$filter=ppc_paypalid eq '${captureId}'`).then((r) => r[0]);
const ledgerOf = (captureId: string) => stack.admin.list<Row>('ppc_ledgerentries', `$filter=ppc_sourceid eq '${captureId}'&$orderby=ppc_lineno`);
const waitForTxn = (captureId: string, statuscode: number) =>
  waitFor(async () => {
    const t = await txnOf(captureId);
    return t && t.statuscode === statuscode ? t : undefined;
  }, 30_000, `transaction ${captureId} with status ${statuscode}`);

/** Σ debit − Σ credit per currency, in payment currency and in base. */
function imbalance(lines: Row[]) {
  const sum = { amount: 0, base: 0 };
  for (const l of lines) {
    const s = l.ppc_side === 416500260 ? 1 : -1;
    sum.amount = Math.round((sum.amount + s * Number(l.ppc_amount)) * 1e4) / 1e4;
    sum.base = Math.round((sum.base + s * Number(l.ppc_baseamount ?? 0)) * 1e4) / 1e4;
  }
  return sum;
}

describe('order-to-cash, end to end', () => {
  it('records a USD purchase: customer, order, paid invoice, transaction, ledger, stock, totals', async () => {
    const [mug] = await stack.admin.list<Row>('products', "$filter=productnumber eq 'SKU-MUG'&$select=productid,quantityonhand");
    const purchase = await buyerPays(stack.paypal.url, token, {
      currency: 'USD',
      items: [
        { sku: 'SKU-MUG', name: 'Coffee mug', quantity: 2, unitValue: '15.00' },
        { sku: 'SKU-TEE', name: 'T-shirt', quantity: 1, unitValue: '25.00' },
      ],
      payer: { payer_id: 'USDBUYER23456', email: 'usd.buyer@example.com', given_name: 'Grace', surname: 'Hopper' },
    });
    expect(purchase.status).toBe('COMPLETED');
    const txn = await waitForTxn(purchase.captureId, 416500010);
    expect(Number(txn.ppc_grossamount)).toBe(55);
    expect(Number(txn.ppc_feeamount) + Number(txn.ppc_netamount)).toBeCloseTo(55, 10);
    expect(txn).toMatchObject({ ppc_orderid: purchase.orderId, ppc_payerid: 'USDBUYER23456', ppc_basecurrencycode: 'USD', ppc_needsreview: false });

    const [contact] = await stack.admin.list<Row>('contacts', "$filter=ppc_paypalpayerid eq 'USDBUYER23456'");
    expect(contact).toMatchObject({ firstname: 'Grace', lastname: 'Hopper', emailaddress1: 'usd.buyer@example.com', ppc_paymentcount: 1 });
    expect(Number(contact!.ppc_totalspendbase)).toBe(55);
    const invoice = await stack.admin.get<Row>(`invoices(${txn._ppc_invoiceid_value})?$expand=invoice_details($select=quantity,priceperunit)`);
    expect(invoice).toMatchObject({ statecode: 2, statuscode: 100001, _customerid_value: contact!.contactid, _salesorderid_value: txn._ppc_salesorderid_value });
    expect(Number(invoice.totalamount)).toBe(55);
    expect((invoice.invoice_details as Row[]).map((d) => [Number(d.quantity), Number(d.priceperunit)]).sort()).toEqual([[1, 25], [2, 15]]);
    const order = await stack.admin.get<Row>(`salesorders(${txn._ppc_salesorderid_value})`);
    expect(order).toMatchObject({ ppc_paypalcaptureid: purchase.captureId, ppc_paymentstatus: 416500292 });

    const lines = await ledgerOf(purchase.captureId);
    expect(lines.map((l) => l.ppc_accountcode)).toEqual(['1010-USD', '6100', '1200']);
    expect(imbalance(lines)).toEqual({ amount: 0, base: 0 });
    const [mugAfter] = await stack.admin.list<Row>('products', "$filter=productnumber eq 'SKU-MUG'&$select=quantityonhand");
    expect(Number(mugAfter!.quantityonhand)).toBe(Number(mug!.quantityonhand) - 2);
  });

  it('records a JPY purchase in whole yen, valued in USD', async () => {
    const purchase = await buyerPays(stack.paypal.url, token, {
      currency: 'JPY',
      items: [{ sku: 'SKU-CAP', name: 'Cap', quantity: 3, unitValue: '1500' }],
      payer: { payer_id: 'JPYBUYER23456', email: 'jpy.buyer@example.jp', country_code: 'JP' },
    });
    const txn = await waitForTxn(purchase.captureId, 416500010);
    expect(Number(txn.ppc_grossamount)).toBe(4500);
    expect(Number.isInteger(Number(txn.ppc_feeamount))).toBe(true);
    if (process.env.DEBUG_E2E) console.log(JSON.stringify(txn), JSON.stringify(await ledgerOf(purchase.captureId)), JSON.stringify(await stack.admin.list('ppc_fxrates')));
    expect(Number(txn.ppc_grossbaseamount)).toBeCloseTo(30.15, 2); // 4500 × 0.0067
    const lines = await ledgerOf(purchase.captureId);
    expect(lines.every((l) => Number.isInteger(Number(l.ppc_amount)))).toBe(true);
    expect(imbalance(lines)).toEqual({ amount: 0, base: 0 });
  });
});
