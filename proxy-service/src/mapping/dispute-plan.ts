// CUSTOMER.DISPUTE.CREATED|UPDATED|RESOLVED → ppc_dispute upserted by its PayPal id, and the disputed
// transaction's hold (ppc_disputed, ppc_heldamount), the invoice/order flags. Pure. Resource shape:
// developer.paypal.com/docs/api/customer-disputes/v1/#disputes_get
import type { BatchOp } from '../adapters/dataverse/types.ts';
import type { PayPalDispute, PayPalWire } from '../adapters/paypal/types.ts';
import { errors } from '../errors.ts';
import {
  AlertType,
  DisputeOutcome as Outcome,
  DisputeReason as Reason,
  DisputeStage as Stage,
  DisputeStatus,
  PaymentStatusChoice,
  moneyValue,
  odataString,
} from './dataverse-values.ts';
import { fromPayPal, type Money } from './money.ts';
import { documentPatch, type DocumentState } from './refund-plan.ts';

// PayPal's dispute enums (developer.paypal.com/docs/api/customer-disputes/v1/#definition-dispute) → the
// solution's choice values.
export const DisputeReason: Record<string, number> = {
  MERCHANDISE_OR_SERVICE_NOT_RECEIVED: Reason.MerchandiseOrServiceNotReceived,
  MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED: Reason.MerchandiseOrServiceNotAsDescribed,
  UNAUTHORISED: Reason.Unauthorised,
  CREDIT_NOT_PROCESSED: Reason.CreditNotProcessed,
  DUPLICATE_TRANSACTION: Reason.DuplicateTransaction,
  INCORRECT_AMOUNT: Reason.IncorrectAmount,
  PAYMENT_BY_OTHER_MEANS: Reason.PaymentByOtherMeans,
  CANCELED_RECURRING_BILLING: Reason.CanceledRecurringBilling,
  PROBLEM_WITH_REMITTANCE: Reason.ProblemWithRemittance,
  OTHER: Reason.Other,
};
export const DisputeStage: Record<string, number> = {
  INQUIRY: Stage.Inquiry,
  CHARGEBACK: Stage.Chargeback,
  PRE_ARBITRATION: Stage.PreArbitration,
  ARBITRATION: Stage.Arbitration,
};
export const DisputeOutcome: Record<string, number> = {
  RESOLVED_BUYER_FAVOUR: Outcome.ResolvedBuyerFavour,
  RESOLVED_SELLER_FAVOUR: Outcome.ResolvedSellerFavour,
  RESOLVED_WITH_PAYOUT: Outcome.ResolvedWithPayout,
  CANCELED_BY_BUYER: Outcome.CanceledByBuyer,
  ACCEPTED: Outcome.Accepted,
  DENIED: Outcome.Denied,
  NONE: Outcome.None,
};
const STATUS: Record<string, { statecode: number; statuscode: number }> = {
  OPEN: DisputeStatus.Open,
  WAITING_FOR_SELLER_RESPONSE: DisputeStatus.WaitingForSellerResponse,
  WAITING_FOR_BUYER_RESPONSE: DisputeStatus.WaitingForBuyerResponse,
  UNDER_REVIEW: DisputeStatus.UnderReview,
  RESOLVED: DisputeStatus.Resolved,
  OTHER: DisputeStatus.Other,
};

export interface DisputeFacts {
  disputeId: string;
  status: string;
  reason?: string;
  stage?: string;
  amount?: Money;
  sellerResponseDue?: string;
  outcome?: string;
  captureId?: string;
  createTime?: string;
  updateTime: string;
}

/** A dispute (CUSTOMER.DISPUTE.* resource), generated from PayPal's Customer Disputes v1 spec. */
type DisputeResource = PayPalWire<PayPalDispute>;

export function disputeFacts(r: DisputeResource): DisputeFacts {
  if (!r.dispute_id) throw errors.validation('dispute has no dispute_id');
  const amount = fromPayPal(r.dispute_amount);
  const captureId = r.disputed_transactions?.find((t) => t.seller_transaction_id)?.seller_transaction_id;
  return {
    disputeId: r.dispute_id,
    status: (r.status ?? 'OPEN').toUpperCase(),
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.dispute_life_cycle_stage ? { stage: r.dispute_life_cycle_stage } : {}),
    ...(amount ? { amount } : {}),
    ...(r.seller_response_due_date ? { sellerResponseDue: r.seller_response_due_date } : {}),
    ...(r.dispute_outcome?.outcome_code ? { outcome: r.dispute_outcome.outcome_code } : {}),
    ...(captureId ? { captureId } : {}),
    ...(r.create_time ? { createTime: r.create_time } : {}),
    updateTime: r.update_time ?? r.create_time ?? new Date(0).toISOString(),
  };
}

export interface DisputePlanInput {
  eventId: string;
  eventType: string;
  dispute: DisputeFacts;
  /** the dispute as Dataverse holds it: a resolved one is not reopened by a late update */
  existing?: { statecode: number; updateTime?: string };
  transaction?: {
    id: string;
    invoiceId?: string;
    orderId?: string;
    contactId?: string;
    invoiceState?: DocumentState;
    orderState?: DocumentState;
  };
  currencyId?: string;
}

export function planDispute(input: DisputePlanInput): BatchOp[] {
  const d = input.dispute;
  const resolved = d.status === 'RESOLVED';
  if (input.existing?.statecode === 1 && !resolved) return []; // late UPDATED after RESOLVED
  const t = input.transaction;
  const status = STATUS[d.status] ?? STATUS.OPEN!;
  const ops: BatchOp[] = [];
  ops.push({
    method: 'PATCH',
    url: `ppc_disputes(ppc_paypaldisputeid=${odataString(d.disputeId)})`,
    body: {
      ppc_name: `PayPal dispute ${d.disputeId}`,
      ppc_paypalstatus: d.status.slice(0, 50),
      ...status,
      ...(d.reason ? { ppc_reason: DisputeReason[d.reason] ?? DisputeReason.OTHER } : {}),
      ...(d.stage && DisputeStage[d.stage] ? { ppc_stage: DisputeStage[d.stage] } : {}),
      ...(d.amount ? { ppc_disputedamount: moneyValue(d.amount) } : {}),
      ...(input.currencyId
        ? { 'transactioncurrencyid@odata.bind': `/transactioncurrencies(${input.currencyId})` }
        : {}),
      ppc_sellerresponsedue: resolved ? null : (d.sellerResponseDue ?? null),
      ...(d.outcome ? { ppc_outcome: DisputeOutcome[d.outcome] ?? DisputeOutcome.NONE } : {}),
      ...(d.createTime ? { ppc_openedon: d.createTime } : {}),
      ...(resolved ? { ppc_resolvedon: d.updateTime } : {}),
      ...(d.captureId ? { ppc_captureid: d.captureId } : {}),
      ppc_lasteventid: input.eventId.slice(0, 100),
      ...(t ? { 'ppc_transactionid@odata.bind': `/ppc_paypaltransactions(${t.id})` } : {}),
      ...(t?.invoiceId ? { 'ppc_invoiceid@odata.bind': `/invoices(${t.invoiceId})` } : {}),
      ...(t?.contactId ? { 'ppc_contactid@odata.bind': `/contacts(${t.contactId})` } : {}),
    },
  });
  if (!t) return ops;
  // Funds on hold while the dispute is open; released on resolution (a buyer-favour reversal is its own event).
  ops.push({
    method: 'PATCH',
    url: `ppc_paypaltransactions(${t.id})`,
    body: { ppc_disputed: !resolved, ppc_heldamount: resolved || !d.amount ? 0 : moneyValue(d.amount) },
    ifMatch: '*',
  });
  const sellerKept = resolved && d.outcome !== 'RESOLVED_BUYER_FAVOUR' && d.outcome !== 'ACCEPTED';
  const docBody = {
    ppc_hasdispute: !resolved,
    ...(resolved
      ? sellerKept
        ? { ppc_paymentstatus: PaymentStatusChoice.Paid }
        : {}
      : { ppc_paymentstatus: PaymentStatusChoice.Disputed }),
  };
  if (t.invoiceId) ops.push(...documentPatch(`invoices(${t.invoiceId})`, docBody, t.invoiceState));
  if (t.orderId) ops.push(...documentPatch(`salesorders(${t.orderId})`, docBody, t.orderState));
  if (input.eventType === 'CUSTOMER.DISPUTE.CREATED') {
    ops.push({
      method: 'PATCH',
      url: `ppc_fraudalerts(ppc_alertkey=${odataString(`dispute:${d.disputeId}`)})`,
      body: {
        ppc_name: `PayPal dispute ${d.disputeId}`,
        ppc_alerttype: AlertType.Dispute,
        ppc_reasons: `Dispute ${d.disputeId} (${d.reason ?? 'no reason'}, ${d.stage ?? ''}) on ${d.captureId ?? 'unknown transaction'}${d.sellerResponseDue ? `; respond by ${d.sellerResponseDue}` : ''}`,
        'ppc_transactionid@odata.bind': `/ppc_paypaltransactions(${t.id})`,
        ...(t.orderId ? { 'ppc_salesorderid@odata.bind': `/salesorders(${t.orderId})` } : {}),
      },
    });
  }
  return ops;
}
