export declare const OPTION_VALUE_PREFIX = 41650;
export declare const State: {
  readonly Active: 0;
  readonly Inactive: 1;
};
export declare const TransactionKind: {
  readonly Capture: number;
  readonly Sale: number;
  readonly Refund: number;
  readonly Reversal: number;
  readonly PayoutItem: number;
  readonly Withdrawal: number;
  readonly Fee: number;
};
/** ppc_paypaltransaction.statuscode (state Active 0 unless marked). */
export declare const TransactionStatus: {
  readonly Pending: 1;
  readonly Completed: number;
  readonly PartiallyRefunded: number;
  readonly Refunded: number;
  readonly Reversed: number;
  readonly OnHold: number;
  readonly Declined: 2;
  readonly Failed: number;
  readonly Voided: number;
};
/** ppc_creditmemo.statuscode: Draft → (Pending approval →) Refund requested → Refunded | Failed. */
export declare const CreditMemoStatus: {
  readonly Draft: 1;
  readonly PendingApproval: number;
  readonly RefundRequested: number;
  readonly Refunded: 2;
  readonly Failed: number;
  readonly Canceled: number;
};
export declare const CreditMemoOrigin: {
  readonly Dynamics365: number;
  readonly PayPal: number;
};
export declare const RefundReason: {
  readonly ReturnedGoods: number;
  readonly Damaged: number;
  readonly NotDelivered: number;
  readonly Duplicate: number;
  readonly Goodwill: number;
  readonly Other: number;
};
/** ppc_dispute.statuscode, mirrors PayPal dispute status. */
export declare const DisputeStatus: {
  readonly Open: 1;
  readonly WaitingForSellerResponse: number;
  readonly WaitingForBuyerResponse: number;
  readonly UnderReview: number;
  readonly Resolved: 2;
  readonly Other: number;
};
export declare const DisputeReason: {
  readonly MerchandiseOrServiceNotReceived: number;
  readonly MerchandiseOrServiceNotAsDescribed: number;
  readonly Unauthorised: number;
  readonly CreditNotProcessed: number;
  readonly DuplicateTransaction: number;
  readonly IncorrectAmount: number;
  readonly PaymentByOtherMeans: number;
  readonly CanceledRecurringBilling: number;
  readonly ProblemWithRemittance: number;
  readonly Other: number;
};
export declare const DisputeStage: {
  readonly Inquiry: number;
  readonly Chargeback: number;
  readonly PreArbitration: number;
  readonly Arbitration: number;
};
export declare const DisputeOutcome: {
  readonly ResolvedBuyerFavour: number;
  readonly ResolvedSellerFavour: number;
  readonly ResolvedWithPayout: number;
  readonly CanceledByBuyer: number;
  readonly Accepted: number;
  readonly Denied: number;
  readonly None: number;
};
export declare const VendorBillStatus: {
  readonly Open: 1;
  readonly InPayout: number;
  readonly Paid: 2;
  readonly Canceled: number;
};
/** ppc_payoutbatch.statuscode: Draft → Pending approval → Approved → Processing → Completed. */
export declare const PayoutBatchStatus: {
  readonly Draft: 1;
  readonly PendingApproval: number;
  readonly Approved: number;
  readonly Processing: number;
  readonly Completed: 2;
  readonly Rejected: number;
  readonly Failed: number;
  readonly Canceled: number;
};
/** ppc_payoutitem.statuscode, mirrors PayPal's transaction_status of a payout item. */
export declare const PayoutItemStatus: {
  readonly New: 1;
  readonly Pending: number;
  readonly Unclaimed: number;
  readonly OnHold: number;
  readonly Success: 2;
  readonly Failed: number;
  readonly Returned: number;
  readonly Blocked: number;
  readonly Refunded: number;
  readonly Reversed: number;
};
export declare const ReceiverType: {
  readonly Email: number;
  readonly Phone: number;
  readonly PayPalId: number;
};
/** ppc_subscription.statuscode. Cancel/Suspend/Activate requested fire the webhook step. */
export declare const SubscriptionStatus: {
  readonly ApprovalPending: 1;
  readonly Active: number;
  readonly Suspended: number;
  readonly CancelRequested: number;
  readonly SuspendRequested: number;
  readonly ActivateRequested: number;
  readonly Cancelled: 2;
  readonly Expired: number;
};
export declare const DunningState: {
  readonly None: number;
  readonly FirstRetry: number;
  readonly SecondRetry: number;
  readonly FinalNotice: number;
  readonly SuspendedForNonPayment: number;
};
export declare const ReconciliationRunStatus: {
  readonly Running: 1;
  readonly Completed: 2;
  readonly Failed: number;
};
export declare const ReconciliationSource: {
  readonly TransactionSearch: number;
  readonly SettlementReport: number;
  readonly TransactionDetailReport: number;
  readonly OnDemand: number;
};
export declare const ReconciliationBreakStatus: {
  readonly Open: 1;
  readonly UnderInvestigation: number;
  readonly Resolved: 2;
  readonly AutoResolved: number;
  readonly WrittenOff: number;
};
export declare const BreakType: {
  readonly MissingInDynamics: number;
  readonly MissingInPayPal: number;
  readonly AmountMismatch: number;
  readonly FeeMismatch: number;
  readonly FxMismatch: number;
  readonly StatusMismatch: number;
  readonly Duplicate: number;
};
export declare const FraudAlertStatus: {
  readonly New: 1;
  readonly UnderReview: number;
  readonly Closed: 2;
  readonly ConfirmedFraud: number;
  readonly MarkedSafe: number;
};
export declare const AlertType: {
  readonly FraudScore: number;
  readonly Reversal: number;
  readonly MissingFxRate: number;
  readonly Dispute: number;
  readonly UnmatchedProduct: number;
};
export declare const RiskBand: {
  readonly Low: number;
  readonly Medium: number;
  readonly High: number;
};
/** ppc_integrationevent.statuscode; Dead letter is what the admin flow alerts on. */
export declare const IntegrationEventStatus: {
  readonly Received: 1;
  readonly Processing: number;
  readonly Retrying: number;
  readonly DeadLetter: number;
  readonly Processed: 2;
  readonly Ignored: number;
  readonly Replayed: number;
};
export declare const EventSource: {
  readonly PayPalWebhook: number;
  readonly DataverseWebhook: number;
  readonly Schedule: number;
  readonly Reconciliation: number;
  readonly Outbound: number;
};
export declare const GlPurpose: {
  readonly Clearing: number;
  readonly FeeExpense: number;
  readonly FxGain: number;
  readonly FxLoss: number;
  readonly Receivable: number;
  readonly Refunds: number;
  readonly Chargeback: number;
  readonly ChargebackFee: number;
  readonly Payable: number;
  readonly Bank: number;
  readonly HeldFunds: number;
};
export declare const LedgerSide: {
  readonly Debit: number;
  readonly Credit: number;
};
export declare const LedgerSourceType: {
  readonly Capture: number;
  readonly Refund: number;
  readonly Reversal: number;
  readonly Payout: number;
  readonly Withdrawal: number;
  readonly Dispute: number;
  readonly FxRevaluation: number;
};
export declare const FxRateSource: {
  readonly PayPal: number;
  readonly CentralBank: number;
  readonly Manual: number;
};
/** salesorder / invoice ppc_paymentstatus. */
export declare const PaymentStatus: {
  readonly None: number;
  readonly Pending: number;
  readonly Paid: number;
  readonly PartiallyRefunded: number;
  readonly Refunded: number;
  readonly Declined: number;
  readonly Reversed: number;
  readonly Disputed: number;
};
/** Turns a `{ Label: value }` record into choice options with readable labels. */
export declare function optionsOf(values: Readonly<Record<string, number>>): (readonly [number, string])[];
