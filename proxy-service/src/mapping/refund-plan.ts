// Money going back (ARCHITECTURE §3): a refund (from PayPal's webhook, or PayPal's answer to a refund
// the proxy asked for) or a PayPal-initiated reversal, as ONE Dataverse change set. Pure: all I/O is in the flows.
//
// Postings reverse the capture's with the refund's own figures, at the refund date's rate:
//   refund:   Dr Refunds gross     Cr Clearing (gross − fee returned)   Cr Fee Expense fee returned
//   reversal: Dr Chargeback gross  Cr Clearing (gross − fee returned)   Cr Chargeback Fee fee returned (PayPal keeps it: none)
// A fee PayPal keeps stays in Fee Expense; the FX difference between the capture's and the refund's rate is a
// realised gain/loss line in base currency (ledger.ts).
import type { BatchOp } from '../adapters/dataverse/types.ts';
import type { PayPalRefund, PayPalSaleRefund, PayPalWire } from '../adapters/paypal/types.ts';
import { errors } from '../errors.ts';
import {
  AlertType,
  CreditMemoOrigin,
  CreditMemoStatus,
  LedgerPurpose,
  LedgerSourceType,
  TransactionKind,
  decimalToMinor,
  moneyValue,
  odataString,
  toDecimal,
} from './dataverse-values.ts';
import { postPayment, type Posting, type PostingRules } from './ledger.ts';
import { fromPayPal, parseAmount, subtract, money, type Money } from './money.ts';
import type { PaymentFacts } from './payment-facts.ts';
import { DEFAULT_STATUS_MAP, type StatusMap } from './status-map.ts';

export interface RefundFacts {
  kind: 'refund' | 'reversal';
  refundId: string;
  /** the capture (v2) or sale (v1) refunded */
  parentId: string;
  status: string;
  gross: Money;
  /** fee PayPal returned to the seller with this refund */
  feeReturned: Money;
  /** what left the seller's balance: gross − fee returned */
  net: Money;
  totalRefunded?: Money;
  invoiceRef?: string;
  customId?: string;
  updateTime: string;
}

/** A v2 refund (PAYMENT.CAPTURE.REFUNDED/REVERSED resource, refund API answer), from PayPal's Payments v2 spec. */
type RefundResource = PayPalWire<PayPalRefund>;
/**
 * A v1 sale refund (PAYMENT.SALE.REFUNDED resource), from PayPal's Payments v1 spec, plus the fields the
 * webhook resource carries that the spec's refund schema lacks (PAYMENT.SALE.REFUNDED sample,
 * developer.paypal.com/api/rest/webhooks/event-names/#sales).
 */
type SaleRefundResource = PayPalWire<
  PayPalSaleRefund & {
    custom: string;
    refund_from_transaction_fee: { currency: string; value: string };
    total_refunded_amount: { currency: string; value: string };
  }
>;

/** A v2 refund object (PAYMENT.CAPTURE.REFUNDED / REVERSED resource, or the refund API's answer). The capture is only in the `up` link. */
export function refundFacts(r: RefundResource, kind: 'refund' | 'reversal' = 'refund'): RefundFacts {
  if (!r.id) throw errors.validation('refund has no id');
  const parentId = r.links
    ?.find((l) => l.rel === 'up' && l.href?.includes('/captures/'))
    ?.href?.split('/')
    .pop();
  if (!parentId) throw errors.validation(`refund ${r.id} has no "up" link to its capture`);
  const b = r.seller_payable_breakdown ?? {};
  const gross = fromPayPal(b.gross_amount) ?? fromPayPal(r.amount);
  if (!gross) throw errors.validation(`refund ${r.id} has no amount`);
  const fee = fromPayPal(b.paypal_fee);
  const feeReturned =
    fee && fee.currency === gross.currency ? money(Math.abs(fee.minor), gross.currency) : money(0, gross.currency);
  const net = fromPayPal(b.net_amount) ?? subtract(gross, feeReturned);
  const total = fromPayPal(b.total_refunded_amount);
  const time = r.update_time ?? r.create_time ?? new Date(0).toISOString();
  return {
    kind,
    refundId: r.id,
    parentId,
    status: (r.status ?? 'COMPLETED').toUpperCase(),
    gross,
    feeReturned,
    net: money(Math.abs(net.minor), net.currency),
    ...(total ? { totalRefunded: total } : {}),
    ...(r.invoice_id ? { invoiceRef: r.invoice_id } : {}),
    ...(r.custom_id ? { customId: r.custom_id } : {}),
    updateTime: new Date(time).toISOString().replace('.000Z', 'Z'),
  };
}

/** A v1 sale refund (PAYMENT.SALE.REFUNDED resource): negative `amount.total`, the sale in `sale_id`. */
export function saleRefundFacts(r: SaleRefundResource): RefundFacts {
  if (!r.id) throw errors.validation('sale refund has no id');
  if (!r.sale_id) throw errors.validation(`sale refund ${r.id} has no sale_id`);
  if (!r.amount?.total || !r.amount.currency) throw errors.validation(`sale refund ${r.id} has no amount`);
  const g = parseAmount(r.amount.total, r.amount.currency);
  const gross = money(Math.abs(g.minor), g.currency);
  const f = r.refund_from_transaction_fee?.value
    ? parseAmount(r.refund_from_transaction_fee.value, r.refund_from_transaction_fee.currency ?? gross.currency)
    : undefined;
  const feeReturned =
    f && f.currency === gross.currency ? money(Math.abs(f.minor), gross.currency) : money(0, gross.currency);
  const total = r.total_refunded_amount?.value
    ? parseAmount(r.total_refunded_amount.value, r.total_refunded_amount.currency ?? gross.currency)
    : undefined;
  const time = r.update_time ?? r.create_time ?? new Date(0).toISOString();
  return {
    kind: 'refund',
    refundId: r.id,
    parentId: r.sale_id,
    status: (r.state ?? 'completed').toUpperCase(),
    gross,
    feeReturned,
    net: subtract(gross, feeReturned),
    ...(total ? { totalRefunded: money(Math.abs(total.minor), total.currency) } : {}),
    ...(r.invoice_number ? { invoiceRef: r.invoice_number } : {}),
    ...(r.custom ? { customId: r.custom } : {}),
    updateTime: new Date(time).toISOString().replace('.000Z', 'Z'),
  };
}

/** The capture (or sale) transaction being refunded, as Dataverse holds it. */
export interface ParentTransaction {
  id: string;
  paypalId: string;
  kind: number;
  statuscode: number;
  etag?: string;
  gross: Money;
  refundedMinor: number;
  invoiceId?: string;
  orderId?: string;
  customer?: { table: 'contact' | 'account'; id: string };
}

export interface ExistingInvoiceTotals {
  id: string;
  totalMinor: number;
  refundedMinor: number;
  /** a Paid/Canceled invoice is read-only: reactivated, updated and closed again (three operations) in the same change set */
  state?: DocumentState;
  /** the state of its sales order (fulfilled/canceled orders are read-only too) */
  orderState?: DocumentState;
}

export interface DocumentState {
  statecode: number;
  statuscode: number;
}

/**
 * PATCH an invoice or sales order. One that is read-only in its state (Paid, Fulfilled, Canceled) is
 * reactivated, edited and put back as three operations of the same change set: Dataverse processes an
 * update carrying state/status and other columns as two operations, the other columns first
 * (learn.microsoft.com/power-apps/developer/data-platform/special-update-operation-behavior), so editing
 * in the request that reactivates would write to a record that is still read-only.
 */
export function documentPatch(url: string, body: Record<string, unknown>, state?: DocumentState): BatchOp[] {
  if (!state || state.statecode === 0) return [{ method: 'PATCH', url, body, ifMatch: '*' }];
  return [
    { method: 'PATCH', url, body: { statecode: 0, statuscode: 1 }, ifMatch: '*' },
    { method: 'PATCH', url, body, ifMatch: '*' },
    { method: 'PATCH', url, body: { statecode: state.statecode, statuscode: state.statuscode }, ifMatch: '*' },
  ];
}

export interface ExistingCustomerTotals {
  table: 'contact' | 'account';
  id: string;
  etag?: string;
  totalSpendBase: unknown;
  totalRefundedBase: unknown;
  refundCount: number;
}

export interface RefundPlanInput {
  eventId: string;
  refund: RefundFacts;
  parent: ParentTransaction;
  /** the refund transaction already recorded (a replay, or the other path got there first) */
  alreadyRecorded: boolean;
  /** a credit memo that began in D365 (found by its id in custom_id, or by ppc_paypalrefundid) */
  memo?: { id: string; fields?: Record<string, unknown> };
  invoice?: ExistingInvoiceTotals;
  customer?: ExistingCustomerTotals;
  rules: PostingRules;
  currencyId: string;
  /** PayPal status → status reasons (ppc_StatusMap); the shipped default when absent */
  statuses?: StatusMap;
}

export interface RefundPlan {
  ops: BatchOp[];
  outcome: 'recorded' | 'unchanged';
  posting?: Posting;
  /** Σ refunds on the capture after this one */
  refundedAfterMinor: number;
}

/** The refund as payment facts, so postPayment(…, −1) reverses it at the refund's date. */
export function refundAsPayment(r: RefundFacts): PaymentFacts {
  return {
    kind: 'capture',
    paypalId: r.refundId,
    status: 'COMPLETED',
    gross: r.gross,
    fee: r.feeReturned,
    net: r.net,
    createTime: r.updateTime,
    updateTime: r.updateTime,
  };
}

/** Reversing lines: the Receivable side goes to Refunds (refund) or Chargeback (reversal); the returned fee to Chargeback Fee for a reversal. */
export function postRefund(r: RefundFacts, rules: PostingRules): Posting {
  const debitPurpose = r.kind === 'refund' ? LedgerPurpose.Refunds : LedgerPurpose.Chargeback;
  const feePurpose = r.kind === 'refund' ? LedgerPurpose.FeeExpense : LedgerPurpose.ChargebackFee;
  const swap = (p: number) =>
    p === LedgerPurpose.Receivable ? debitPurpose : p === LedgerPurpose.FeeExpense ? feePurpose : p;
  const posting = postPayment(refundAsPayment(r), { ...rules, account: (p, c) => rules.account(swap(p), c) }, -1);
  return {
    ...posting,
    lines: posting.lines.map((l) => ({
      ...l,
      purpose: swap(l.purpose),
      description: l.description.replace(/^PayPal capture/, `PayPal ${r.kind}`),
    })),
  };
}

export function planRefund(input: RefundPlanInput): RefundPlan {
  const { refund, parent } = input;
  const statuses = input.statuses ?? DEFAULT_STATUS_MAP;
  if (refund.gross.currency !== parent.gross.currency)
    throw errors.validation(
      `refund ${refund.refundId} is in ${refund.gross.currency}, its capture in ${parent.gross.currency}`,
    );
  if (input.alreadyRecorded) return { ops: [], outcome: 'unchanged', refundedAfterMinor: parent.refundedMinor };
  const cur = refund.gross.currency;
  const reversal = refund.kind === 'reversal';
  const posting = postRefund(refund, input.rules);
  const ops: BatchOp[] = [];
  let nextId = 1;
  const op = (o: Omit<BatchOp, 'contentId'>): string => {
    const contentId = String(nextId++);
    ops.push({ ...o, contentId });
    return `$${contentId}`;
  };
  const currencyBind = `/transactioncurrencies(${input.currencyId})`;
  const customerBind = parent.customer
    ? { [`ppc_${parent.customer.table}id@odata.bind`]: `/${parent.customer.table}s(${parent.customer.id})` }
    : {};
  const invoiceBind = parent.invoiceId ? { 'ppc_invoiceid@odata.bind': `/invoices(${parent.invoiceId})` } : {};

  // ── the refund / reversal transaction ─────────────────────────────────────────────────────────────
  const txnRef = op({
    method: 'PATCH',
    url: `ppc_paypaltransactions(ppc_paypalid=${odataString(refund.refundId)})`,
    body: {
      ppc_name: `${reversal ? 'Reversal' : 'Refund'} ${refund.refundId}`,
      ppc_kind: reversal ? TransactionKind.Reversal : TransactionKind.Refund,
      // the refund's own row: PayPal refund status PENDING or done (COMPLETED)
      ...statuses.transaction[refund.status === 'PENDING' ? 'PENDING' : 'COMPLETED'],
      ppc_paypalstatus: refund.status.slice(0, 32),
      'transactioncurrencyid@odata.bind': currencyBind,
      ppc_grossamount: moneyValue(refund.gross),
      ppc_feeamount: moneyValue(refund.feeReturned),
      ppc_netamount: moneyValue(refund.net),
      ppc_basecurrencycode: input.rules.baseCurrency,
      ...(posting.rate ? { ppc_fxrate: Number(posting.rate) } : {}),
      ...(posting.grossBase ? { ppc_grossbaseamount: moneyValue(posting.grossBase) } : {}),
      ...(posting.feeBase ? { ppc_feebaseamount: moneyValue(posting.feeBase) } : {}),
      ...(posting.netBase ? { ppc_netbaseamount: moneyValue(posting.netBase) } : {}),
      ppc_captureid: parent.paypalId,
      ppc_refundid: refund.refundId,
      ...(refund.invoiceRef ? { ppc_invoicereference: refund.invoiceRef.slice(0, 127) } : {}),
      ppc_lasteventid: input.eventId.slice(0, 100),
      ppc_transactiondate: refund.updateTime,
      'ppc_parenttransactionid@odata.bind': `/ppc_paypaltransactions(${parent.id})`,
      ...invoiceBind,
      ...(parent.orderId ? { 'ppc_salesorderid@odata.bind': `/salesorders(${parent.orderId})` } : {}),
      ...customerBind,
      ppc_fxratemissing: posting.fxMissing,
      ppc_needsreview: posting.fxMissing || reversal,
      ...(reversal
        ? {
            ppc_flagreason: `PayPal reversed ${toDecimal(refund.gross.minor, cur)} ${cur} of capture ${parent.paypalId}`,
          }
        : {}),
    },
  });

  // ── the credit memo (refunds only): the D365 one completed, or one created for a PayPal-initiated refund ──
  let memoRef: string | undefined;
  if (!reversal) {
    memoRef = op({
      method: 'PATCH',
      url: input.memo
        ? `ppc_creditmemos(${input.memo.id})`
        : `ppc_creditmemos(ppc_paypalrefundid=${odataString(refund.refundId)})`,
      body: {
        ...(input.memo
          ? { ...input.memo.fields, ppc_paypalrefundid: refund.refundId }
          : {
              ppc_name: `PayPal refund ${refund.refundId}`,
              ppc_origin: CreditMemoOrigin.PayPal,
              ppc_amount: moneyValue(refund.gross),
              'transactioncurrencyid@odata.bind': currencyBind,
              ppc_reason: 'Refunded in PayPal',
              ...customerBind,
            }),
        ...(refund.status === 'COMPLETED' ? CreditMemoStatus.Refunded : CreditMemoStatus.RefundRequested),
        ppc_refundedon: refund.updateTime,
        'ppc_transactionid@odata.bind': `/ppc_paypaltransactions(${parent.id})`,
        'ppc_refundtransactionid@odata.bind': txnRef,
        ...invoiceBind,
      },
      ...(input.memo ? { ifMatch: '*' } : {}),
    });
  }

  // ── ledger lines ──────────────────────────────────────────────────────────────────────────────────
  for (const line of posting.lines) {
    op({
      method: 'PATCH',
      url: `ppc_ledgerentries(ppc_sourceid=${odataString(refund.refundId)},ppc_lineno=${line.lineNo})`,
      body: {
        ppc_name: `${refund.refundId} #${line.lineNo}`,
        ppc_sourcetype: reversal ? LedgerSourceType.Reversal : LedgerSourceType.Refund,
        ppc_accountcode: line.accountCode,
        ppc_purpose: line.purpose,
        ppc_side: line.side,
        ppc_amount: moneyValue(line.amount),
        'transactioncurrencyid@odata.bind': currencyBind,
        ppc_basecurrencycode: input.rules.baseCurrency,
        ...(line.base ? { ppc_baseamount: moneyValue(line.base) } : {}),
        ...(posting.rate ? { ppc_fxrate: Number(posting.rate) } : {}),
        ppc_postingdate: refund.updateTime.slice(0, 10),
        ppc_description: line.description.slice(0, 200),
        'ppc_transactionid@odata.bind': txnRef,
        ...invoiceBind,
        ...(memoRef ? { 'ppc_creditmemoid@odata.bind': memoRef } : {}),
      },
    });
  }

  // ── the capture: refunded so far, status. If-Match on its ETag: a concurrent refund fails this set (412) and the job re-reads. ──
  // PayPal's own running total wins when it reports one (it also counts refunds we have not seen yet).
  const refundedAfter = Math.max(
    parent.refundedMinor + refund.gross.minor,
    refund.totalRefunded?.currency === cur ? refund.totalRefunded.minor : 0,
  );
  const full = refundedAfter >= parent.gross.minor;
  const parentStatus = reversal ? 'REVERSED' : full ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  const captureStatus = statuses.transaction[parentStatus];
  op({
    method: 'PATCH',
    url: `ppc_paypaltransactions(${parent.id})`,
    body: {
      ppc_refundedamount: toDecimal(refundedAfter, cur),
      ...captureStatus,
      ...(reversal
        ? {
            ppc_disputed: false,
            ppc_heldamount: 0,
            ppc_needsreview: true,
            ppc_flagreason: `Reversed by PayPal (${refund.refundId})`,
          }
        : {}),
    },
    ifMatch: parent.etag ?? '*',
  });

  // ── invoice and order: refunded amount, payment status ────────────────────────────────────────────
  const paymentStatus = statuses.paymentStatus[parentStatus];
  if (input.invoice) {
    for (const o of documentPatch(
      `invoices(${input.invoice.id})`,
      {
        ppc_refundedamount: toDecimal(input.invoice.refundedMinor + refund.gross.minor, cur),
        ppc_paymentstatus: paymentStatus,
      },
      input.invoice.state,
    ))
      op(o);
  }
  if (parent.orderId)
    for (const o of documentPatch(
      `salesorders(${parent.orderId})`,
      { ppc_paymentstatus: paymentStatus },
      input.invoice?.orderState,
    ))
      op(o);

  // ── customer refund totals (refunds, not chargebacks) ─────────────────────────────────────────────
  const c = input.customer;
  if (c && !reversal && posting.grossBase) {
    const base = input.rules.baseCurrency;
    const refunded = decimalToMinor(c.totalRefundedBase, base) + posting.grossBase.minor;
    const spend = decimalToMinor(c.totalSpendBase, base);
    op({
      method: 'PATCH',
      url: `${c.table}s(${c.id})`,
      body: {
        ppc_totalrefundedbase: toDecimal(refunded, base),
        ppc_refundcount: c.refundCount + 1,
        ppc_refundratio: spend > 0 ? Number((refunded / spend).toFixed(4)) : 0,
      },
      ifMatch: c.etag ?? '*',
    });
  }

  // ── reversal: an alert row for finance ────────────────────────────────────────────────────────────
  if (reversal) {
    op({
      method: 'PATCH',
      url: `ppc_fraudalerts(ppc_alertkey=${odataString(`reversal:${refund.refundId}`)})`,
      body: {
        ppc_name: `PayPal reversed capture ${parent.paypalId}`.slice(0, 100),
        ppc_alerttype: AlertType.Reversal,
        ppc_reasons: `PayPal reversed ${toDecimal(refund.gross.minor, cur)} ${cur} of capture ${parent.paypalId} (reversal ${refund.refundId}); fee returned ${toDecimal(refund.feeReturned.minor, cur)} ${cur}.`,
        'ppc_transactionid@odata.bind': txnRef,
        ...(parent.orderId ? { 'ppc_salesorderid@odata.bind': `/salesorders(${parent.orderId})` } : {}),
      },
    });
  }
  return { ops, outcome: 'recorded', posting, refundedAfterMinor: refundedAfter };
}
