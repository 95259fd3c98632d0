// Order-to-cash (ARCHITECTURE §3, first row): PAYMENT.CAPTURE.COMPLETED|PENDING|DECLINED and v1
// PAYMENT.SALE.COMPLETED become customer, sales order, paid invoice, PayPal transaction, ledger lines,
// stock and customer totals — in one Dataverse change set. Reads: reference data (cached) and one batch
// of lookups; writes: one $batch.
//
// Customer rule: the payer is matched by PayPal payer id (alternate key on contact and account), then by
// e-mail on contacts; otherwise created. A payer becomes an account only when PayPal marks it a business
// (payer.tax_info.tax_id_type BR_CNPJ, the one business signal Orders v2 carries) or an account already
// holds its payer id.
import type { DataversePort } from '../adapters/dataverse/types.ts';
import { AppError, errors } from '../errors.ts';
import { decimalToMinor, isoDateTime, odataString, scalarText } from '../mapping/dataverse-values.ts';
import { orderFacts, type OrderFacts, type PayPalOrder } from '../mapping/order-facts.ts';
import {
  CurrencyMissing,
  planOrderToCash,
  type Existing,
  type ExistingCustomer,
  type ExistingProduct,
  type PlanInput,
} from '../mapping/order-to-cash-plan.ts';
import { captureFacts, saleFacts, type PaymentFacts } from '../mapping/payment-facts.ts';
import { requireStatusMap } from '../mapping/status-map.ts';
import { decideRetry } from '../retry/retry-policy.ts';
import type { Handler, HandlerContext } from './handlers.ts';
import { KeyedLocks, paymentLockKey } from './keyed-locks.ts';
import { verifiedPayment, type ForgeryReporting, type PayPalReads } from './paypal-truth.ts';
import type { ReferenceDataSource } from './reference-data.ts';
import { signalsOf, type FraudScorer } from '../fraud/scorer.ts';

export interface OrderToCashDeps {
  dataverse: DataversePort;
  paypal: { getOrder(id: string): Promise<PayPalOrder> } & Pick<PayPalReads, 'getCapture' | 'getSale'>;
  reference: ReferenceDataSource;
  /** counts suspected forgeries (metrics.ts) */
  forgeryCounter?: ForgeryReporting['counter'];
  /** shared with the refund flows, so a payment's updates never interleave (one process) */
  locks?: KeyedLocks;
  /** fraud scoring (fraud/scorer.ts): the score and its actions travel in the payment's change set */
  fraud?: FraudScorer;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function paymentFromEvent(event: { event_type?: string; resource?: unknown }): PaymentFacts {
  if (event.event_type?.startsWith('PAYMENT.SALE.')) return saleFacts(event.resource ?? {});
  return captureFacts(event.resource ?? {});
}

/** Payments this process has recorded (newest kept): their next event reads the transaction first. */
class RecentIds {
  private readonly ids = new Set<string>();
  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value as string);
  }
}

export function orderToCash(deps: OrderToCashDeps): Handler {
  const book = paymentBooking(deps);
  return async (ctx) => {
    // Subscription renewals never reach this flow: actionFor routes them to the subscriptions flow.
    const event = ctx.event as { id: string; event_type: string; resource?: unknown };
    // The body is a notification: book PayPal's own answer for the capture/sale, read before any Dataverse read.
    const payment = await verifiedPayment(
      { dataverse: deps.dataverse, paypal: deps.paypal, counter: deps.forgeryCounter },
      ctx,
      paymentFromEvent(event),
    );
    // Order details (payer, items) are not in the capture event: fetch the order once.
    const rawOrder =
      payment.kind === 'capture' && payment.orderId ? await deps.paypal.getOrder(payment.orderId) : undefined;
    const order: OrderFacts | undefined = rawOrder ? orderFacts(rawOrder) : undefined;
    await book(ctx, event.id, payment, order, undefined, rawOrder);
  };
}

/**
 * Books one verified payment (customer, order, paid invoice, transaction, ledger lines, customer totals) in one
 * change set, planned by planOrderToCash; shared by order-to-cash and subscription renewals (`purpose`).
 */
export function paymentBooking(deps: Pick<OrderToCashDeps, 'dataverse' | 'reference' | 'locks' | 'fraud'>) {
  const locks = deps.locks ?? new KeyedLocks();
  const recorded = new RecentIds(10_000);
  return async (
    ctx: Pick<HandlerContext, 'log'>,
    eventId: string,
    payment: PaymentFacts,
    order: OrderFacts | undefined,
    purpose?: PlanInput['purpose'],
    /** PayPal's order as read (fraud signals: payment source, shipping) */
    rawOrder?: PayPalOrder,
  ): Promise<void> => {
    const ref = await deps.reference.get();
    const statuses = requireStatusMap(ref.statusMap);
    const keys = [
      paymentLockKey(payment.paypalId),
      ...(order?.payer.payerId
        ? [`payer:${order.payer.payerId}`]
        : order?.payer.email
          ? [`email:${order.payer.email}`]
          : []),
      ...(order?.lines ?? []).flatMap((l) => (l.sku ? [`sku:${l.sku}`] : [])),
    ];
    const plan = await locks.run(keys, async () => {
      for (let attempt = 1; ; attempt++) {
        // A payment's first event needs no read of its transaction: the plan creates the transaction
        // create-only (If-None-Match: *) and its order and invoice with ids derived from the PayPal id, so
        // when the payment is already recorded the change set fails with 412 and the next attempt reads it.
        const readTransaction = attempt > 1 || recorded.has(payment.paypalId);
        const existing = await lookUp(deps.dataverse, payment, order, ref.fallbackProductNumber, {
          transaction: readTransaction,
        });
        // Scored before the order exists, in this job: a new payment only (its score is stored, so a retry reuses it).
        const fraud =
          deps.fraud && !existing.transaction
            ? await deps.fraud.score(signalsOf(payment, order, rawOrder, existing.customer, ref.baseCurrency))
            : undefined;
        let planned;
        try {
          planned = planOrderToCash({
            eventId,
            payment,
            order,
            existing,
            ref,
            statuses,
            ...(fraud ? { fraud } : {}),
            ...(purpose ? { purpose } : {}),
          });
        } catch (err) {
          if (err instanceof CurrencyMissing) throw errors.validation(err.message, { currency: err.currency });
          throw err;
        }
        if (!planned.ops.length) return planned;
        try {
          await deps.dataverse.changeSet(planned.ops);
          recorded.add(payment.paypalId);
          return planned;
        } catch (err) {
          // Another replica changed a customer or product we read (If-Match), or created this payment's
          // records first (duplicate id): read again and plan again, as often as the retry table says
          // for layer 'replan'; then the job queue retries the whole event.
          if (err instanceof AppError && decideRetry(err, 'replan', attempt).retry) continue;
          throw err;
        }
      }
    });
    if (!plan.ops.length) {
      ctx.log.info(
        { outcome: plan.outcome, paypalId: payment.paypalId },
        'payment already recorded; nothing to change',
      );
      return;
    }
    ctx.log.info(
      { outcome: plan.outcome, paypalId: payment.paypalId, operations: plan.ops.length, flags: plan.flags },
      'payment recorded in Dataverse',
    );
  };
}

const TXN_SELECT =
  'ppc_paypaltransactionid,statuscode,ppc_transactiondate,_ppc_invoiceid_value,_ppc_salesorderid_value';
const CUSTOMER_SELECT =
  'ppc_paypalpayerid,ppc_totalspendbase,ppc_totalrefundedbase,ppc_paymentcount,ppc_firstpaymenton,ppc_lastpaymenton,ppc_monthlyspendjson';

/** What Dataverse already knows about this payment, its payer, its products and a referenced invoice. */
export async function lookUp(
  dv: DataversePort,
  payment: PaymentFacts,
  order: OrderFacts | undefined,
  fallbackSku: string | undefined,
  options: { transaction: boolean } = { transaction: true },
): Promise<Existing> {
  const payer = order?.payer;
  const skus = [
    ...new Set([...(order?.lines ?? []).flatMap((l) => (l.sku ? [l.sku] : [])), ...(fallbackSku ? [fallbackSku] : [])]),
  ];
  const invoiceRef = payment.invoiceRef ?? order?.invoiceRef;
  const customId = payment.customId ?? order?.customId;
  const customerFilter = [
    payer?.payerId ? `ppc_paypalpayerid eq ${odataString(payer.payerId)}` : undefined,
    payer?.email ? `emailaddress1 eq ${odataString(payer.email)}` : undefined,
  ]
    .filter(Boolean)
    .join(' or ');
  const invoiceFilter = [
    invoiceRef ? `invoicenumber eq ${odataString(invoiceRef)}` : undefined,
    customId && GUID.test(customId) ? `invoiceid eq ${customId}` : undefined,
  ]
    .filter(Boolean)
    .join(' or ');

  // One $batch of GETs: every lookup of this payment costs one HTTP request (ARCHITECTURE §8).
  const reads: string[] = [];
  const slot = (path: string | undefined) => (path ? reads.push(path) - 1 : -1);
  const txnSlot = slot(
    options.transaction
      ? `ppc_paypaltransactions(ppc_paypalid=${odataString(payment.paypalId)})?$select=${TXN_SELECT}`
      : undefined,
  );
  const contactSlot = slot(
    customerFilter
      ? `contacts?$select=contactid,emailaddress1,${CUSTOMER_SELECT}&$filter=${customerFilter}&$top=10`
      : undefined,
  );
  const accountSlot = slot(
    payer?.payerId
      ? `accounts?$select=accountid,${CUSTOMER_SELECT}&$filter=ppc_paypalpayerid eq ${odataString(payer.payerId)}&$top=1`
      : undefined,
  );
  const productSlot = slot(
    skus.length
      ? `products?$select=productid,productnumber,quantityonhand,_defaultuomid_value&$filter=${skus.map((s) => `productnumber eq ${odataString(s)}`).join(' or ')}&$top=100`
      : undefined,
  );
  const invoiceSlot = slot(
    invoiceFilter
      ? `invoices?$select=invoiceid,totalamount,ppc_paidamount,_salesorderid_value,_customerid_value,statecode&$expand=transactioncurrencyid($select=isocurrencycode)&$filter=${invoiceFilter}&$top=1`
      : undefined,
  );
  const answers = await dv.readBatch(reads);
  const rows = (i: number) =>
    i < 0 ? [] : ((answers[i] as { value?: Record<string, unknown>[] } | null)?.value ?? []);
  const txn = txnSlot < 0 ? null : answers[txnSlot];
  const [contacts, accounts, products, invoices] = [
    rows(contactSlot),
    rows(accountSlot),
    rows(productSlot),
    rows(invoiceSlot),
  ];

  const existing: Existing = { products: {} };
  if (txn) {
    existing.transaction = {
      id: String(txn.ppc_paypaltransactionid),
      statuscode: Number(txn.statuscode),
      ...(isoDateTime(txn.ppc_transactiondate) ? { updateTime: isoDateTime(txn.ppc_transactiondate)! } : {}),
      ...(txn._ppc_invoiceid_value ? { invoiceId: scalarText(txn._ppc_invoiceid_value) } : {}),
      ...(txn._ppc_salesorderid_value ? { orderId: scalarText(txn._ppc_salesorderid_value) } : {}),
    };
  }
  const toCustomer = (table: 'contact' | 'account', r: Record<string, unknown>): ExistingCustomer => ({
    table,
    id: String(r[`${table}id`]),
    ...(r['@odata.etag'] ? { etag: scalarText(r['@odata.etag']) } : {}),
    ...(r.ppc_paypalpayerid ? { payerId: scalarText(r.ppc_paypalpayerid) } : {}),
    totalSpendBase: r.ppc_totalspendbase,
    totalRefundedBase: r.ppc_totalrefundedbase,
    paymentCount: Number(r.ppc_paymentcount ?? 0),
    ...(isoDateTime(r.ppc_firstpaymenton) ? { firstPaymentOn: isoDateTime(r.ppc_firstpaymenton)! } : {}),
    ...(isoDateTime(r.ppc_lastpaymenton) ? { lastPaymentOn: isoDateTime(r.ppc_lastpaymenton)! } : {}),
    ...(r.ppc_monthlyspendjson ? { monthlySpendJson: scalarText(r.ppc_monthlyspendjson) } : {}),
  });
  const account = accounts[0];
  const byPayer = contacts.find((c) => payer?.payerId && c.ppc_paypalpayerid === payer.payerId);
  const byEmail = contacts.find(
    (c) => payer?.email && scalarText(c.emailaddress1 ?? '').toLowerCase() === payer.email && !c.ppc_paypalpayerid,
  );
  if (account) existing.customer = toCustomer('account', account);
  else if (byPayer ?? byEmail) existing.customer = toCustomer('contact', (byPayer ?? byEmail)!);
  for (const p of products) {
    const product: ExistingProduct = {
      id: String(p.productid),
      productnumber: String(p.productnumber),
      quantityonhand: p.quantityonhand === null || p.quantityonhand === undefined ? null : Number(p.quantityonhand),
      ...(p._defaultuomid_value ? { uomId: scalarText(p._defaultuomid_value) } : {}),
      ...(p['@odata.etag'] ? { etag: scalarText(p['@odata.etag']) } : {}),
    };
    existing.products[product.productnumber] = product;
  }
  const inv = invoices[0];
  if (inv) {
    const currency = String(
      (inv.transactioncurrencyid as { isocurrencycode?: string } | undefined)?.isocurrencycode ??
        payment.gross.currency,
    );
    if (currency !== payment.gross.currency)
      throw errors.validation(
        `invoice ${invoiceRef ?? customId} is in ${currency}, the payment in ${payment.gross.currency}`,
      );
    existing.invoice = {
      id: String(inv.invoiceid),
      currency,
      totalMinor: decimalToMinor(inv.totalamount, currency),
      paidMinor: decimalToMinor(inv.ppc_paidamount, currency),
      ...(inv._salesorderid_value ? { orderId: scalarText(inv._salesorderid_value) } : {}),
      ...(inv._customerid_value ? { customerId: scalarText(inv._customerid_value) } : {}),
    };
  }
  return existing;
}
