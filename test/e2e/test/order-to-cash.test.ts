// Order-to-cash over real HTTP. A buyer pays in the PayPal emulator → the emulator delivers the
// signed webhook → the proxy verifies, queues and runs order-to-cash → the Dataverse emulator holds every record.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { insertInboxEvents, QUEUES } from '@ppc/proxy-service';
import { waitFor } from '@ppc/test-support';
import { buyerPays, startLocalStack, type LocalStack } from '@ppc/stack';

let stack: LocalStack;
let starting: Promise<LocalStack> | undefined;
let token: string;

beforeAll(async () => {
  // The merchant's PayPal account holds USD only: EUR and JPY sales are converted (cross-currency captures).
  starting = startLocalStack({
    paypal: {
      merchant: {
        accountId: 'MERCHANT23456',
        email: 'merchant@example.com',
        primaryCurrency: 'USD',
        receivingCurrencies: ['USD'],
      },
    },
  });
  stack = await starting;
  token = await stack.paypalToken();
}, 120_000);
afterAll(async () => {
  // A start that outlived its hook's timeout is awaited and closed here too: it would keep jest alive.
  await (await starting?.catch(() => undefined))?.close();
});

type Row = Record<string, unknown>;
const txnOf = (captureId: string) =>
  stack.admin.list<Row>('ppc_paypaltransactions', `$filter=ppc_paypalid eq '${captureId}'`).then((r) => r[0]);
const ledgerOf = (captureId: string) =>
  stack.admin.list<Row>('ppc_ledgerentries', `$filter=ppc_sourceid eq '${captureId}'&$orderby=ppc_lineno`);
const waitForTxn = (captureId: string, statuscode: number) =>
  waitFor(
    async () => {
      const t = await txnOf(captureId);
      return t && t.statuscode === statuscode ? t : undefined;
    },
    30_000,
    `transaction ${captureId} with status ${statuscode}`,
    150,
  );

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
    const [mug] = await stack.admin.list<Row>(
      'products',
      "$filter=productnumber eq 'SKU-MUG'&$select=productid,quantityonhand",
    );
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
    expect(txn).toMatchObject({
      ppc_orderid: purchase.orderId,
      ppc_payerid: 'USDBUYER23456',
      ppc_basecurrencycode: 'USD',
      ppc_needsreview: false,
    });

    const [contact] = await stack.admin.list<Row>('contacts', "$filter=ppc_paypalpayerid eq 'USDBUYER23456'");
    expect(contact).toMatchObject({
      firstname: 'Grace',
      lastname: 'Hopper',
      emailaddress1: 'usd.buyer@example.com',
      ppc_paymentcount: 1,
    });
    expect(Number(contact!.ppc_totalspendbase)).toBe(55);
    const invoice = await stack.admin.get<Row>(
      `invoices(${txn._ppc_invoiceid_value})?$expand=invoice_details($select=quantity,priceperunit)`,
    );
    expect(invoice).toMatchObject({
      statecode: 2,
      statuscode: 100001,
      _customerid_value: contact!.contactid,
      _salesorderid_value: txn._ppc_salesorderid_value,
    });
    expect(Number(invoice.totalamount)).toBe(55);
    expect((invoice.invoice_details as Row[]).map((d) => [Number(d.quantity), Number(d.priceperunit)]).sort()).toEqual([
      [1, 25],
      [2, 15],
    ]);
    const order = await stack.admin.get<Row>(`salesorders(${txn._ppc_salesorderid_value})`);
    expect(order).toMatchObject({ ppc_paypalcaptureid: purchase.captureId, ppc_paymentstatus: 416500292 });

    const lines = await ledgerOf(purchase.captureId);
    expect(lines.map((l) => l.ppc_accountcode)).toEqual(['1010-USD', '6100', '1200']);
    expect(imbalance(lines)).toEqual({ amount: 0, base: 0 });
    const [mugAfter] = await stack.admin.list<Row>(
      'products',
      "$filter=productnumber eq 'SKU-MUG'&$select=quantityonhand",
    );
    expect(Number(mugAfter!.quantityonhand)).toBe(Number(mug!.quantityonhand) - 2);
  });

  it('costs one batched read and one $batch write per capture once reference data is cached', async () => {
    const before = stack.proxy.dataverse!.stats();
    const purchase = await buyerPays(stack.paypal.url, token, {
      currency: 'USD',
      items: [{ sku: 'SKU-CAP', name: 'Cap', quantity: 1, unitValue: '12.00' }],
      payer: { payer_id: 'CSTBUYER23456', email: 'cost@example.com' },
    });
    await waitForTxn(purchase.captureId, 416500010);
    const after = stack.proxy.dataverse!.stats();
    expect(after.requests - before.requests).toBe(2);
    // contact, account and product read (the transaction is written create-only instead of read first), and
    // customer, order, invoice, stock, invoice paid, transaction and three ledger lines written
    expect(after.operations - before.operations).toBe(3 + 9);
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
    expect(Number(txn.ppc_grossbaseamount)).toBeCloseTo(30.15, 2); // 4500 × 0.0067
    const lines = await ledgerOf(purchase.captureId);
    expect(lines.every((l) => Number.isInteger(Number(l.ppc_amount)))).toBe(true);
    expect(imbalance(lines)).toEqual({ amount: 0, base: 0 });
  });

  it("posts a cross-currency capture (EUR sale, USD balance) with PayPal's rate, the FX difference, and balanced lines", async () => {
    const purchase = await buyerPays(stack.paypal.url, token, {
      currency: 'EUR',
      items: [{ sku: 'SKU-TEE', name: 'T-shirt', quantity: 2, unitValue: '50.00' }],
      payer: { payer_id: 'EURBUYER23456', email: 'eur.buyer@example.de', country_code: 'DE' },
    });
    const txn = await waitForTxn(purchase.captureId, 416500010);
    expect(txn).toMatchObject({ ppc_settlementcurrencycode: 'USD', ppc_fxratemissing: false });
    expect(Number(txn.ppc_paypalexchangerate)).toBeGreaterThan(0);
    const lines = await ledgerOf(purchase.captureId);
    expect(imbalance(lines)).toEqual({ amount: 0, base: 0 });
    // Clearing is what PayPal credited in USD; the receivable is valued at the booking rate (1.10).
    expect(Number(lines.find((l) => l.ppc_purpose === 416500240)!.ppc_baseamount)).toBe(
      Number(txn.ppc_settlementamount),
    );
    expect(Number(lines.find((l) => l.ppc_purpose === 416500244)!.ppc_baseamount)).toBe(110);
    expect(lines.some((l) => l.ppc_purpose === 416500242 || l.ppc_purpose === 416500243)).toBe(true);
  });

  it('keeps a PENDING capture unpaid, then completes it when PayPal settles it', async () => {
    const purchase = await buyerPays(stack.paypal.url, token, {
      currency: 'USD',
      items: [{ sku: 'SKU-CAP', name: 'Cap', quantity: 1, unitValue: '12.00' }],
      payer: { payer_id: 'PENDBUYER2345', email: 'pending@example.com' },
      outcome: 'PENDING',
    });
    expect(purchase.status).toBe('PENDING');
    const pending = await waitForTxn(purchase.captureId, 1);
    expect((await stack.admin.get<Row>(`invoices(${pending._ppc_invoiceid_value})`)).statecode).toBe(0);
    expect(await ledgerOf(purchase.captureId)).toEqual([]);
    const settle = await fetch(new URL(`/_emulator/captures/${purchase.captureId}/complete`, stack.paypal.url), {
      method: 'POST',
    });
    expect(settle.status).toBeLessThan(300);
    const done = await waitForTxn(purchase.captureId, 416500010);
    expect(done._ppc_invoiceid_value).toBe(pending._ppc_invoiceid_value);
    expect(await stack.admin.get<Row>(`invoices(${done._ppc_invoiceid_value})`)).toMatchObject({
      statecode: 2,
      statuscode: 100001,
    });
    expect(imbalance(await ledgerOf(purchase.captureId))).toEqual({ amount: 0, base: 0 });
    const orders = await stack.admin.list<Row>('salesorders', `$filter=ppc_paypalcaptureid eq '${purchase.captureId}'`);
    expect(orders).toHaveLength(1);
  });

  it('records a DECLINED capture as declined and flags its order', async () => {
    const purchase = await buyerPays(stack.paypal.url, token, {
      currency: 'USD',
      items: [{ sku: 'SKU-CAP', name: 'Cap', quantity: 1, unitValue: '12.00' }],
      payer: { payer_id: 'DECLBUYER2345', email: 'declined@example.com' },
      outcome: 'DECLINED',
    });
    const txn = await waitForTxn(purchase.captureId, 2);
    expect(txn).toMatchObject({ statecode: 1, ppc_needsreview: true, _ppc_invoiceid_value: null });
    expect(await stack.admin.get<Row>(`salesorders(${txn._ppc_salesorderid_value})`)).toMatchObject({
      ppc_paymentstatus: 416500295,
      ppc_needsreview: true,
    });
    expect(await ledgerOf(purchase.captureId)).toEqual([]);
  });

  it('books an unknown SKU on the fallback product and flags the transaction', async () => {
    const purchase = await buyerPays(stack.paypal.url, token, {
      currency: 'USD',
      items: [{ sku: 'SKU-NOT-IN-D365', name: 'Mystery box', quantity: 1, unitValue: '9.00' }],
      payer: { payer_id: 'SKUBUYER23456', email: 'sku@example.com' },
    });
    const txn = await waitForTxn(purchase.captureId, 416500010);
    expect(txn).toMatchObject({ ppc_unmatchedsku: true, ppc_needsreview: true });
    expect(String(txn.ppc_flagreason)).toContain('unmatched SKU SKU-NOT-IN-D365');
    const [fallback] = await stack.admin.list<Row>(
      'products',
      "$filter=productnumber eq 'PAYPAL-MISC'&$select=productid",
    );
    const details = await stack.admin.list<Row>(
      'invoicedetails',
      `$filter=_invoiceid_value eq ${txn._ppc_invoiceid_value}`,
    );
    expect(details.map((d) => d._productid_value)).toEqual([fallback!.productid]);
  });

  it('applies a payment to the existing invoice its invoice_id names, creating no order or invoice', async () => {
    const [contact] = await stack.admin.list<Row>('contacts', '$top=1&$select=contactid');
    const currencies = await stack.admin.list<Row>(
      'transactioncurrencies',
      "$filter=isocurrencycode eq 'USD'&$select=transactioncurrencyid",
    );
    const invoiceId = await stack.admin.create('invoices', {
      name: 'Consulting, November',
      invoicenumber: 'INV-E2E-1001',
      'customerid_contact@odata.bind': `/contacts(${contact!.contactid})`,
      'transactioncurrencyid@odata.bind': `/transactioncurrencies(${currencies[0]!.transactioncurrencyid})`,
      invoice_details: [
        {
          productdescription: 'Consulting',
          isproductoverridden: true,
          quantity: 1,
          priceperunit: 80,
          ispriceoverridden: true,
        },
      ],
    });
    const ordersBefore = (await stack.admin.list<Row>('salesorders', '$select=salesorderid')).length;
    const purchase = await buyerPays(stack.paypal.url, token, {
      currency: 'USD',
      invoiceId: 'INV-E2E-1001',
      items: [{ name: 'Consulting, November', quantity: 1, unitValue: '80.00' }],
      payer: { payer_id: 'NVCBUYER23456', email: 'invoice.payer@example.com' },
    });
    const txn = await waitForTxn(purchase.captureId, 416500010);
    expect(txn._ppc_invoiceid_value).toBe(invoiceId);
    expect(await stack.admin.get<Row>(`invoices(${invoiceId})`)).toMatchObject({ statecode: 2, statuscode: 100001 });
    expect((await stack.admin.list<Row>('salesorders', '$select=salesorderid')).length).toBe(ordersBefore);
    expect(
      await stack.admin.list<Row>(
        'invoices',
        `$filter=ppc_paypalcaptureid eq '${purchase.captureId}' and invoiceid ne ${invoiceId}`,
      ),
    ).toEqual([]);
  });

  it('changes nothing when the same capture arrives again under a new event id', async () => {
    const purchase = await buyerPays(stack.paypal.url, token, {
      currency: 'USD',
      items: [{ sku: 'SKU-MUG', name: 'Coffee mug', quantity: 1, unitValue: '15.00' }],
      payer: { payer_id: 'TWCEBUYER2345', email: 'twice@example.com' },
    });
    const txn = await waitForTxn(purchase.captureId, 416500010);
    const snapshot = async () => ({
      contact: await stack.admin.get<Row>(
        `contacts(${txn._ppc_contactid_value})?$select=ppc_paymentcount,ppc_totalspendbase`,
      ),
      mug: (await stack.admin.list<Row>('products', "$filter=productnumber eq 'SKU-MUG'&$select=quantityonhand"))[0],
      orders: (await stack.admin.list<Row>('salesorders', `$filter=ppc_paypalcaptureid eq '${purchase.captureId}'`))
        .length,
      ledger: (await ledgerOf(purchase.captureId)).length,
      txnVersion: (await txnOf(purchase.captureId))!.versionnumber,
    });
    const before = await snapshot();
    // PayPal sends the capture again under a new event id (e.g. a resend): the proxy verifies and queues it as any other.
    const [delivery] =
      (
        (await (
          await fetch(new URL(`/_emulator/deliveries?event_type=PAYMENT.CAPTURE.COMPLETED`, stack.paypal.url))
        ).json()) as { deliveries?: { body?: string; event?: { resource?: { id?: string } } }[] }
      ).deliveries?.filter((d) => JSON.stringify(d).includes(purchase.captureId)) ?? [];
    expect(delivery).toBeDefined();
    const event = typeof delivery!.body === 'string' ? JSON.parse(delivery!.body) : delivery!.event;
    await redeliverUnderNewId(event);
    await waitFor(
      async () => (await processedCount()) >= processedBefore + 1,
      30_000,
      'the re-delivery to be processed',
      100,
    );
    expect(await snapshot()).toEqual(before);
  });
});

let processedBefore = 0;
async function processedCount() {
  const text = await (await fetch(`${stack.proxyUrl}/metrics`)).text();
  const processed = new RegExp(`ppc_jobs_total\\{queue="${QUEUES.inbound}",outcome="processed"\\} (\\d+)`);
  return Number(processed.exec(text)?.[1] ?? 0);
}

/** Stores and queues the event under a fresh id exactly as the intake does after verification. */
async function redeliverUnderNewId(event: Record<string, unknown>) {
  processedBefore = await processedCount();
  const copy: Record<string, unknown> = { ...event, id: `WH-REDELIVERED-${Date.now()}` };
  await stack.proxy.store.transaction(async (tx) => {
    const [id] = await insertInboxEvents(tx, [
      {
        source: 'paypal',
        eventId: String(copy.id),
        eventType: String(copy.event_type),
        knownType: true,
        payload: copy,
      },
    ]);
    await stack.proxy.boss.insert(QUEUES.inbound, [{ data: { inboxId: id, attempt: 1 } }], { db: tx.bossDb });
  });
}
