// Order-to-cash as data: given what PayPal says (payment + order) and what Dataverse already holds, the
// operations of ONE change set, so a capture lands completely or not at all. Pure: all I/O is in the flow.
import type { BatchOp } from '../adapters/dataverse/types.ts';
import { toDataverseAddress } from './address.ts';
import {
  InvoiceState,
  InvoiceStatus,
  LedgerSourceType,
  TransactionKind,
  decimalToMinor,
  moneyValue,
  odataString,
  toDecimal,
} from './dataverse-values.ts';
import { recordId } from './ids.ts';
import { DEFAULT_STATUS_MAP, type StatusMap } from './status-map.ts';
import { postPayment, type Posting, type PostingRules } from './ledger.ts';
import type { OrderFacts } from './order-facts.ts';
import type { PaymentFacts } from './payment-facts.ts';
import { AlertType, RiskBand } from '@ppc/solution';

export interface ReferenceData extends PostingRules {
  currencyId(iso: string): string | undefined;
  priceLevelId(currencyId: string): string | undefined;
  defaultUomId: string | undefined;
  fallbackProductNumber: string | undefined;
}

export interface ExistingTransaction {
  id: string;
  statuscode: number;
  updateTime?: string;
  invoiceId?: string;
  orderId?: string;
}

export interface ExistingCustomer {
  table: 'contact' | 'account';
  id: string;
  etag?: string;
  payerId?: string;
  totalSpendBase: unknown;
  paymentCount: number;
  firstPaymentOn?: string;
  lastPaymentOn?: string;
  monthlySpendJson?: string;
  totalRefundedBase?: unknown;
}

export interface ExistingProduct {
  id: string;
  productnumber: string;
  quantityonhand?: number | null;
  uomId?: string;
  etag?: string;
}

export interface ExistingInvoice {
  id: string;
  totalMinor: number;
  currency: string;
  paidMinor: number;
  orderId?: string;
  customerId?: string;
}

export interface Existing {
  transaction?: ExistingTransaction;
  customer?: ExistingCustomer;
  /** by productnumber */
  products: Record<string, ExistingProduct>;
  /** an invoice named by the payment's invoice_id / custom_id */
  invoice?: ExistingInvoice;
}

export interface PlanInput {
  eventId: string;
  payment: PaymentFacts;
  order: OrderFacts | undefined;
  existing: Existing;
  ref: ReferenceData;
  /** PayPal status → status reasons (ppc_StatusMap); the shipped default when absent */
  statuses?: StatusMap;
  /** the payment's fraud score and what it triggers (fraud/scorer.ts); absent when scoring is off */
  fraud?: FraudInput;
  /** What the payment is for, when not a one-off order (subscription renewals: no stock, own names, links). */
  purpose?: {
    /** names of the new sales order and invoice */
    orderName?: string;
    invoiceName?: string;
    /** take the lines' quantities off stock (default true; services such as subscriptions do not) */
    stock?: boolean;
    /** further columns of the PayPal transaction (e.g. its subscription lookup) */
    transaction?: Record<string, unknown>;
  };
}

/** What the plan writes of a fraud score: on order, invoice and transaction, plus an alert, in the same change set. */
export interface FraudInput {
  assessment: {
    score: number;
    band: 'low' | 'medium' | 'high';
    modelVersion: number;
    reasons: { code: string; reason: string; contribution: number }[];
  };
  alert: boolean;
  hold: boolean;
  refundReview: boolean;
}

const RISK_BAND = { low: RiskBand.Low, medium: RiskBand.Medium, high: RiskBand.High } as const;

export type PlanOutcome = 'created' | 'completed' | 'updated' | 'unchanged' | 'stale';

export interface Plan {
  ops: BatchOp[];
  outcome: PlanOutcome;
  flags: string[];
  posting?: Posting;
}

// A capture/sale event records one of four outcomes; a later status (refunded, reversed) reaching this flow
// counts as declined, as before the map was configurable. The status reasons come from the status map.
const outcomeOf = (p: PaymentFacts): 'COMPLETED' | 'PENDING' | 'FAILED' | 'DECLINED' =>
  p.status === 'COMPLETED' || p.status === 'PENDING' || p.status === 'FAILED' ? p.status : 'DECLINED';
/** Pending < a final outcome; a status reason the map does not give these outcomes ranks highest. */
const rankOf = (statuses: StatusMap, statuscode: number): number | undefined =>
  statuscode === statuses.transaction.PENDING.statuscode
    ? 1
    : (['COMPLETED', 'DECLINED', 'FAILED'] as const).some((s) => statuses.transaction[s].statuscode === statuscode)
      ? 2
      : undefined;

export function planOrderToCash(input: PlanInput): Plan {
  const { payment, order, existing, ref } = input;
  const statuses = input.statuses ?? DEFAULT_STATUS_MAP;
  const outcome = outcomeOf(payment);
  const status = statuses.transaction[outcome];
  const prior = existing.transaction;
  // Same payment seen before: only a move forward (Pending → Completed/Declined) or a newer update does anything.
  if (prior) {
    if (prior.statuscode === status.statuscode) return { ops: [], outcome: 'unchanged', flags: [] };
    if (
      (rankOf(statuses, prior.statuscode) ?? 3) >= (rankOf(statuses, status.statuscode) ?? 0) &&
      prior.updateTime &&
      prior.updateTime >= payment.updateTime
    ) {
      return { ops: [], outcome: 'stale', flags: [] };
    }
  }

  const cur = payment.gross.currency;
  const currencyId = ref.currencyId(cur);
  if (!currencyId) throw new CurrencyMissing(cur);
  const currencyBind = `/transactioncurrencies(${currencyId})`;
  const flags: string[] = [];
  const ops: BatchOp[] = [];
  let nextId = 1;
  const op = (o: Omit<BatchOp, 'contentId'>): string => {
    const contentId = String(nextId++);
    ops.push({ ...o, contentId });
    return `$${contentId}`;
  };

  const completed = payment.status === 'COMPLETED';
  const declined = outcome === 'DECLINED' || outcome === 'FAILED';
  const fraud = input.fraud;
  if (fraud?.refundReview)
    flags.push(`fraud score ${fraud.assessment.score}: review this payment for a refund (Confirm fraud starts it)`);
  const posting = completed ? postPayment(payment, ref) : undefined;
  if (posting?.fxMissing)
    flags.push(
      `no exchange rate ${cur}→${ref.baseCurrency} for ${payment.updateTime.slice(0, 10)}: base amounts not posted`,
    );

  // ── customer ──────────────────────────────────────────────────────────────────────────────────────
  const customer = existing.customer;
  const payer = order?.payer;
  const table = customer?.table ?? (payer?.isBusiness ? 'account' : 'contact');
  const set = table === 'contact' ? 'contacts' : 'accounts';
  const customerBody: Record<string, unknown> = {};
  if (payer?.payerId && !customer?.payerId) customerBody.ppc_paypalpayerid = payer.payerId;
  if (!customer) {
    if (table === 'contact') {
      customerBody.firstname = payer?.givenName;
      customerBody.lastname = payer?.surname ?? payer?.email ?? `PayPal payer ${payer?.payerId ?? payment.paypalId}`;
    } else
      customerBody.name =
        [payer?.givenName, payer?.surname].filter(Boolean).join(' ') ||
        payer?.email ||
        `PayPal payer ${payer?.payerId}`;
    if (payer?.email) customerBody.emailaddress1 = payer.email;
    if (payer?.phone) customerBody.telephone1 = payer.phone;
    Object.assign(customerBody, toDataverseAddress('address1', payer?.address ?? order?.shipTo));
    customerBody.ppc_addressstandardized = (payer?.address ?? order?.shipTo)?.standardized ?? false;
  }
  if (completed) Object.assign(customerBody, customerTotals(customer, posting, payment, ref.baseCurrency, flags));
  const customerUrl = customer
    ? `${set}(${customer.id})`
    : payer?.payerId
      ? `${set}(ppc_paypalpayerid=${odataString(payer.payerId)})`
      : `${set}(${recordId(table, payer?.email ?? payment.paypalId)})`;
  const customerRef =
    Object.keys(customerBody).length || !customer
      ? op({
          method: 'PATCH',
          url: customerUrl,
          body: customerBody,
          ...(customer?.etag ? { ifMatch: customer.etag } : {}),
        })
      : `/${customerUrl}`;
  const customerBind = { [`customerid_${table}@odata.bind`]: customerRef };

  // ── order and invoice ─────────────────────────────────────────────────────────────────────────────
  const paymentStatus = statuses.paymentStatus[outcome];
  const common = {
    ppc_paypalorderid: payment.orderId ?? order?.orderId,
    ppc_paypalcaptureid: payment.paypalId,
    ppc_paymentstatus: paymentStatus,
    ...(fraud ? { ppc_fraudscore: fraud.assessment.score } : {}),
    ...(declined
      ? {
          ppc_needsreview: true,
          ppc_flagreason: `PayPal ${payment.kind} ${payment.status}${payment.statusDetails ? ` (${payment.statusDetails})` : ''}`,
        }
      : {}),
  };
  let orderRef: string | undefined = prior?.orderId
    ? `/salesorders(${prior.orderId})`
    : existing.invoice?.orderId
      ? `/salesorders(${existing.invoice.orderId})`
      : undefined;
  let invoiceRef: string | undefined = prior?.invoiceId
    ? `/invoices(${prior.invoiceId})`
    : existing.invoice
      ? `/invoices(${existing.invoice.id})`
      : undefined;
  const newDocuments = !prior && !existing.invoice;

  if (newDocuments) {
    const lines = orderLines(order, payment, existing.products, ref, flags);
    const priceLevelId = ref.priceLevelId(currencyId);
    const header = {
      ...customerBind,
      'transactioncurrencyid@odata.bind': currencyBind,
      ...(priceLevelId ? { 'pricelevelid@odata.bind': `/pricelevels(${priceLevelId})` } : {}),
      ...(order?.shipping ? { freightamount: moneyValue(order.shipping) } : {}),
      ...(order?.discount ? { discountamount: moneyValue(order.discount) } : {}),
      ...common,
    };
    const orderId = recordId('salesorder', payment.paypalId);
    orderRef = op({
      method: 'POST',
      url: 'salesorders',
      body: {
        salesorderid: orderId,
        name: input.purpose?.orderName ?? `PayPal order ${payment.orderId ?? payment.paypalId}`,
        ...header,
        // The hold is the order's (fulfilment waits for it), set once when the order is created: a later event of
        // the payment never re-holds an order a reviewer released. A paid invoice is read-only in Dataverse.
        ...(fraud ? { ppc_fraudhold: fraud.hold } : {}),
        ...toDataverseAddress('shipto', order?.shipTo),
        order_details: lines,
      },
    });
    if (!declined) {
      invoiceRef = op({
        method: 'POST',
        url: 'invoices',
        body: {
          invoiceid: recordId('invoice', payment.paypalId),
          name: input.purpose?.invoiceName ?? `PayPal ${payment.kind} ${payment.paypalId}`,
          'salesorderid@odata.bind': orderRef,
          ...header,
          ...toDataverseAddress('billto', payer?.address),
          invoice_details: lines,
        },
      });
    }
    // Stock leaves the shelf when the order is created, once: a replay finds the transaction and stops above.
    if (!declined && input.purpose?.stock !== false) ops.push(...stockChanges(order, existing.products, flags));
  } else if (orderRef || invoiceRef) {
    // An existing order/invoice (ours from a PENDING capture, or one the merchant referenced): update its PayPal fields.
    if (orderRef && prior) op({ method: 'PATCH', url: orderRef.slice(1), body: common, ifMatch: '*' });
  }

  // Paid: Complete when the payments cover the invoice, Partial otherwise. Invoice Paid is statecode 2.
  if (completed && invoiceRef) {
    const paidBefore = existing.invoice && !prior ? existing.invoice.paidMinor : 0;
    const total = existing.invoice && !prior ? existing.invoice.totalMinor : payment.gross.minor;
    const paid = paidBefore + payment.gross.minor;
    op({
      method: 'PATCH',
      url: invoiceRef.startsWith('$') ? invoiceRef : invoiceRef.slice(1),
      body: {
        ...(invoiceRef.startsWith('$') ? {} : common),
        ppc_paidamount: toDecimal(paid, cur),
        statecode: InvoiceState.Paid,
        statuscode: paid >= total ? InvoiceStatus.Complete : InvoiceStatus.Partial,
      },
      ifMatch: '*',
    });
  }

  // ── the PayPal transaction ────────────────────────────────────────────────────────────────────────
  const txnKey = `ppc_paypaltransactions(ppc_paypalid=${odataString(payment.paypalId)})`;
  const txnRef = op({
    method: 'PATCH',
    url: txnKey,
    // Create-only when no transaction is known (If-None-Match: *, perform-conditional-operations-using-web-api):
    // if it exists after all (a replay, another replica, or a flow that did not read it), the change set fails
    // with 412 and nothing of it is written; the flow then reads and plans again.
    ...(prior ? {} : { ifNoneMatch: '*' }),
    body: {
      ppc_name: `${payment.kind === 'capture' ? 'Capture' : 'Sale'} ${payment.paypalId}`,
      ppc_kind: payment.kind === 'capture' ? TransactionKind.Capture : TransactionKind.Sale,
      ...status,
      ppc_paypalstatus: payment.status,
      ...(payment.statusDetails ? { ppc_statusdetails: payment.statusDetails.slice(0, 100) } : {}),
      'transactioncurrencyid@odata.bind': currencyBind,
      ppc_grossamount: moneyValue(payment.gross),
      ppc_feeamount: moneyValue(payment.fee),
      ppc_netamount: moneyValue(payment.net),
      ppc_basecurrencycode: ref.baseCurrency,
      ...(posting?.rate ? { ppc_fxrate: Number(posting.rate) } : {}),
      ...(payment.exchangeRate ? { ppc_paypalexchangerate: Number(payment.exchangeRate.value) } : {}),
      ...(posting?.grossBase ? { ppc_grossbaseamount: moneyValue(posting.grossBase) } : {}),
      ...(posting?.feeBase ? { ppc_feebaseamount: moneyValue(posting.feeBase) } : {}),
      ...(posting?.netBase ? { ppc_netbaseamount: moneyValue(posting.netBase) } : {}),
      ...(payment.receivable
        ? {
            ppc_settlementcurrencycode: payment.receivable.currency,
            ppc_settlementamount: moneyValue(payment.receivable),
          }
        : {}),
      ppc_captureid: payment.paypalId,
      ...(payment.orderId ? { ppc_orderid: payment.orderId } : {}),
      ...(payer?.payerId ? { ppc_payerid: payer.payerId } : {}),
      ...(payer?.email ? { ppc_payeremail: payer.email } : {}),
      ...(payment.invoiceRef ? { ppc_invoicereference: payment.invoiceRef.slice(0, 127) } : {}),
      ...(payment.customId ? { ppc_customid: payment.customId.slice(0, 127) } : {}),
      ppc_lasteventid: input.eventId.slice(0, 100),
      ppc_transactiondate: payment.updateTime,
      [`ppc_${table}id@odata.bind`]: customerRef,
      ...(orderRef ? { 'ppc_salesorderid@odata.bind': orderRef } : {}),
      ...(invoiceRef ? { 'ppc_invoiceid@odata.bind': invoiceRef } : {}),
      ppc_unmatchedsku: flags.some((f) => f.startsWith('unmatched SKU')),
      ppc_fxratemissing: posting?.fxMissing ?? false,
      ...(fraud
        ? {
            ppc_fraudscore: fraud.assessment.score,
            ppc_riskband: RISK_BAND[fraud.assessment.band],
            ppc_fraudreasons: JSON.stringify(fraud.assessment.reasons).slice(0, 4000),
          }
        : {}),
      ppc_needsreview: flags.length > 0 || declined,
      ...(flags.length ? { ppc_flagreason: flags.join('\n').slice(0, 2000) } : {}),
      ...input.purpose?.transaction,
    },
  });

  // ── fraud: an alert on the transaction and the order (the FraudScore control on the order reads the alert) ──
  if (fraud?.alert && !prior) {
    const a = fraud.assessment;
    op({
      method: 'PATCH',
      // keyed by the PayPal id: the alert of a payment exists once (ppc_key_alertkey)
      url: `ppc_fraudalerts(ppc_alertkey=${odataString(`fraud|${payment.paypalId}`)})`,
      body: {
        ppc_name: `Fraud score ${a.score} on ${payment.kind} ${payment.paypalId}`.slice(0, 200),
        ppc_alerttype: AlertType.FraudScore,
        ppc_score: a.score,
        ppc_band: RISK_BAND[a.band],
        ppc_reasons: JSON.stringify(a.reasons).slice(0, 4000),
        'ppc_transactionid@odata.bind': txnRef,
        ...(orderRef ? { 'ppc_salesorderid@odata.bind': orderRef } : {}),
      },
    });
  }

  // ── ledger lines ──────────────────────────────────────────────────────────────────────────────────
  for (const line of posting?.lines ?? []) {
    op({
      method: 'PATCH',
      url: `ppc_ledgerentries(ppc_sourceid=${odataString(payment.paypalId)},ppc_lineno=${line.lineNo})`,
      body: {
        ppc_name: `${payment.paypalId} #${line.lineNo}`,
        ppc_sourcetype: LedgerSourceType.Capture,
        ppc_accountcode: line.accountCode,
        ppc_purpose: line.purpose,
        ppc_side: line.side,
        ppc_amount: moneyValue(line.amount),
        'transactioncurrencyid@odata.bind': currencyBind,
        ppc_basecurrencycode: ref.baseCurrency,
        ...(line.base ? { ppc_baseamount: moneyValue(line.base) } : {}),
        ...(posting?.rate ? { ppc_fxrate: Number(posting.rate) } : {}),
        ppc_postingdate: payment.updateTime.slice(0, 10),
        ppc_description: line.description.slice(0, 200),
        'ppc_transactionid@odata.bind': txnRef,
        ...(invoiceRef ? { 'ppc_invoiceid@odata.bind': invoiceRef } : {}),
      },
    });
  }

  return {
    ops,
    outcome: prior ? (completed ? 'completed' : 'updated') : 'created',
    flags,
    ...(posting ? { posting } : {}),
  };
}

export class CurrencyMissing extends Error {
  readonly currency: string;
  constructor(currency: string) {
    super(
      `currency ${currency} is not enabled in Dataverse (transactioncurrencies): add it, then replay the dead letter`,
    );
    this.currency = currency;
  }
}

function orderLines(
  order: OrderFacts | undefined,
  payment: PaymentFacts,
  products: Record<string, ExistingProduct>,
  ref: ReferenceData,
  flags: string[],
) {
  const lines = order?.lines.length
    ? order.lines
    : [{ name: `PayPal ${payment.kind} ${payment.paypalId}`, quantity: 1, unitAmount: payment.gross }];
  const fallback = ref.fallbackProductNumber ? products[ref.fallbackProductNumber] : undefined;
  return lines.map((l, i) => {
    const matched = 'sku' in l && l.sku ? products[l.sku] : undefined;
    if (!matched)
      flags.push(
        `unmatched SKU ${'sku' in l && l.sku ? l.sku : '(none)'} "${l.name}"${fallback ? ` → fallback product ${ref.fallbackProductNumber}` : ''}`,
      );
    const product = matched ?? fallback;
    const uom = product?.uomId ?? ref.defaultUomId;
    return {
      lineitemnumber: i + 1,
      quantity: l.quantity,
      priceperunit: moneyValue(l.unitAmount),
      ispriceoverridden: true,
      ...('tax' in l && l.tax ? { tax: toDecimal(l.tax.minor * l.quantity, l.tax.currency) } : {}),
      ...(product
        ? {
            'productid@odata.bind': `/products(${product.id})`,
            ...(uom ? { 'uomid@odata.bind': `/uoms(${uom})` } : {}),
            productdescription: l.name.slice(0, 500),
          }
        : { isproductoverridden: true, productdescription: l.name.slice(0, 500) }),
    };
  });
}

function stockChanges(
  order: OrderFacts | undefined,
  products: Record<string, ExistingProduct>,
  flags: string[],
): BatchOp[] {
  const qty = new Map<string, number>();
  for (const l of order?.lines ?? []) if (l.sku && products[l.sku]) qty.set(l.sku, (qty.get(l.sku) ?? 0) + l.quantity);
  return [...qty].map(([sku, n]) => {
    const p = products[sku]!;
    const onHand = p.quantityonhand ?? 0;
    // Quantity On Hand ranges 0 to 1,000,000,000 (Microsoft Learn, Dataverse table reference "product",
    // QuantityOnHand MinValue 0): Dataverse refuses a negative value, which would fail the whole payment. A sale
    // beyond the stock is booked, the stock stays at 0 and the payment is flagged for review (oversold).
    if (onHand - n < 0) flags.push(`oversold SKU ${sku}: ${n} sold, ${onHand} on hand; stock set to 0`);
    // If-Match: a concurrent sale of the same product fails this change set with 412; the job re-reads and retries.
    return {
      method: 'PATCH',
      url: `products(${p.id})`,
      body: { quantityonhand: Math.max(0, onHand - n) },
      ...(p.etag ? { ifMatch: p.etag } : { ifMatch: '*' }),
    };
  });
}

function customerTotals(
  c: ExistingCustomer | undefined,
  posting: Posting | undefined,
  payment: PaymentFacts,
  base: string,
  flags: string[],
): Record<string, unknown> {
  const spendMinor = decimalToMinor(c?.totalSpendBase, base);
  const refundedMinor = decimalToMinor(c?.totalRefundedBase, base);
  const add = posting?.grossBase?.minor ?? 0;
  if (!posting?.grossBase) flags.push('customer spend not updated: no base amount');
  const month = payment.updateTime.slice(0, 7);
  let monthly: Record<string, number> = {};
  try {
    monthly = c?.monthlySpendJson ? (JSON.parse(c.monthlySpendJson) as Record<string, number>) : {};
  } catch {
    monthly = {};
  }
  monthly[month] = toDecimal(decimalToMinor(monthly[month] ?? 0, base) + add, base);
  // Keep the last 24 months so the column stays small.
  const kept = Object.keys(monthly).sort().slice(-24);
  const total = spendMinor + add;
  return {
    ppc_totalspendbase: toDecimal(total, base),
    ppc_paymentcount: (c?.paymentCount ?? 0) + 1,
    ppc_firstpaymenton:
      c?.firstPaymentOn && c.firstPaymentOn < payment.updateTime ? c.firstPaymentOn : payment.updateTime,
    ppc_lastpaymenton: c?.lastPaymentOn && c.lastPaymentOn > payment.updateTime ? c.lastPaymentOn : payment.updateTime,
    ppc_monthlyspendjson: JSON.stringify(Object.fromEntries(kept.map((k) => [k, monthly[k]]))),
    ppc_refundratio: total > 0 ? Number((refundedMinor / total).toFixed(4)) : 0,
  };
}
