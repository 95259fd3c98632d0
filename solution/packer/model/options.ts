// Choice and status values. Custom values use the publisher's option value prefix 41650
// (Solution.xml CustomizationOptionValuePrefix), so they read 4165000xx; 1/2 are the platform's
// default Active/Inactive status reasons, kept for the first status of each state.

export const OPTION_VALUE_PREFIX = 41650;
const o = (n: number): number => OPTION_VALUE_PREFIX * 10000 + n;

export const State = { Active: 0, Inactive: 1 } as const;

export const TransactionKind = {
  Capture: o(0),
  Sale: o(1),
  Refund: o(2),
  Reversal: o(3),
  PayoutItem: o(4),
  Withdrawal: o(5),
  Fee: o(6),
} as const;

/** ppc_paypaltransaction.statuscode (state Active 0 unless marked). */
export const TransactionStatus = {
  Pending: 1,
  Completed: o(10),
  PartiallyRefunded: o(11),
  Refunded: o(12),
  Reversed: o(13),
  OnHold: o(14),
  Declined: 2, // Inactive
  Failed: o(15), // Inactive
  Voided: o(16), // Inactive
} as const;

/** ppc_creditmemo.statuscode: Draft → (Pending approval →) Refund requested → Refunded | Failed. */
export const CreditMemoStatus = {
  Draft: 1,
  PendingApproval: o(20),
  RefundRequested: o(21),
  /** set by a PayPal Finance user other than the requester: the approval act the connector checks */
  Approved: o(24),
  Refunded: 2, // Inactive
  Failed: o(22), // Inactive
  Canceled: o(23), // Inactive
} as const;

export const CreditMemoOrigin = { Dynamics365: o(30), PayPal: o(31) } as const;

export const RefundReason = {
  ReturnedGoods: o(40),
  Damaged: o(41),
  NotDelivered: o(42),
  Duplicate: o(43),
  Goodwill: o(44),
  Other: o(45),
} as const;

/** ppc_dispute.statuscode, mirrors PayPal dispute status. */
export const DisputeStatus = {
  Open: 1,
  WaitingForSellerResponse: o(50),
  WaitingForBuyerResponse: o(51),
  UnderReview: o(52),
  Resolved: 2, // Inactive
  Other: o(53), // Inactive (PayPal status OTHER)
} as const;

export const DisputeReason = {
  MerchandiseOrServiceNotReceived: o(60),
  MerchandiseOrServiceNotAsDescribed: o(61),
  Unauthorised: o(62),
  CreditNotProcessed: o(63),
  DuplicateTransaction: o(64),
  IncorrectAmount: o(65),
  PaymentByOtherMeans: o(66),
  CanceledRecurringBilling: o(67),
  ProblemWithRemittance: o(68),
  Other: o(69),
} as const;

export const DisputeStage = { Inquiry: o(70), Chargeback: o(71), PreArbitration: o(72), Arbitration: o(73) } as const;

export const DisputeOutcome = {
  ResolvedBuyerFavour: o(80),
  ResolvedSellerFavour: o(81),
  ResolvedWithPayout: o(82),
  CanceledByBuyer: o(83),
  Accepted: o(84),
  Denied: o(85),
  None: o(86),
} as const;

export const VendorBillStatus = { Open: 1, InPayout: o(90), Paid: 2, Canceled: o(91) } as const;

/** ppc_payoutbatch.statuscode: Draft → Pending approval → Approved → Processing → Completed. */
export const PayoutBatchStatus = {
  Draft: 1,
  PendingApproval: o(100),
  Approved: o(101),
  Processing: o(102),
  Completed: 2, // Inactive
  Rejected: o(103), // Inactive
  Failed: o(104), // Inactive
  Canceled: o(105), // Inactive
} as const;

/** ppc_payoutitem.statuscode, mirrors PayPal's transaction_status of a payout item. */
export const PayoutItemStatus = {
  New: 1,
  Pending: o(110),
  Unclaimed: o(111),
  OnHold: o(112),
  Success: 2, // Inactive
  Failed: o(113),
  Returned: o(114),
  Blocked: o(115),
  Refunded: o(116),
  Reversed: o(117),
  /** left out of the batch before submission (the reason in ppc_errormessage); never sent to PayPal */
  Excluded: o(118),
} as const;

export const ReceiverType = { Email: o(120), Phone: o(121), PayPalId: o(122) } as const;

/** ppc_subscription.statuscode. Cancel/Suspend/Activate requested fire the webhook step. */
export const SubscriptionStatus = {
  ApprovalPending: 1,
  Active: o(130),
  Suspended: o(131),
  CancelRequested: o(132),
  SuspendRequested: o(133),
  ActivateRequested: o(134),
  /** Finance asks PayPal to capture the outstanding balance (POST /v1/billing/subscriptions/{id}/capture). */
  CollectRequested: o(136),
  Cancelled: 2, // Inactive
  Expired: o(135), // Inactive
} as const;

/** Derived by the proxy from PayPal's subscription (proxy-service/src/mapping/subscriptions/). */
export const DunningState = {
  Current: o(140),
  Retrying: o(141),
  PastDue: o(142),
  Suspended: o(144),
  Cancelled: o(145),
} as const;

/**
 * ppc_subscription.ppc_dunningnotice: the last dunning notice raised by the proxy (issue #19). The cloud flow
 * "PayPal subscription dunning notice" mails it; the proxy writes it once per stage of a dunning episode.
 */
export const DunningNotice = {
  Retrying: o(146),
  PastDue: o(147),
  Suspended: o(148),
  /** the amount owed was collected (retry succeeded, or the outstanding balance captured) */
  Paid: o(149),
} as const;

export const ReconciliationRunStatus = { Running: 1, Completed: 2, Failed: o(150) } as const;
export const ReconciliationSource = {
  TransactionSearch: o(160),
  SettlementReport: o(161),
  TransactionDetailReport: o(162),
  OnDemand: o(163),
} as const;

export const ReconciliationBreakStatus = {
  Open: 1,
  UnderInvestigation: o(170),
  Resolved: 2, // Inactive
  AutoResolved: o(171), // Inactive (caught up by a replayed event)
  WrittenOff: o(172), // Inactive
} as const;
export const BreakType = {
  MissingInDynamics: o(180),
  MissingInPayPal: o(181),
  AmountMismatch: o(182),
  FeeMismatch: o(183),
  FxMismatch: o(184),
  StatusMismatch: o(185),
  Duplicate: o(186),
  /** the day's balance does not add up (opening + movements ≠ closing / PayPal's balance), or a movement with no counterpart */
  UnexplainedMovement: o(187),
  /** a PayPal transaction event code the connector does not know how to book */
  UnknownEventCode: o(188),
} as const;

export const FraudAlertStatus = {
  New: 1,
  UnderReview: o(190),
  Closed: 2, // Inactive
  ConfirmedFraud: o(191), // Inactive
  MarkedSafe: o(192), // Inactive
} as const;
export const AlertType = {
  FraudScore: o(200),
  Reversal: o(201),
  MissingFxRate: o(202),
  Dispute: o(203),
  UnmatchedProduct: o(204),
  // A webhook body that disagrees with PayPal's own answer for the resource (or names one PayPal does not know).
  ForgedNotification: o(205),
} as const;
export const RiskBand = { Low: o(210), Medium: o(211), High: o(212) } as const;

/** ppc_integrationevent.statuscode; Dead letter is what the admin flow alerts on. */
export const IntegrationEventStatus = {
  Received: 1,
  Processing: o(220),
  Retrying: o(221),
  DeadLetter: o(222),
  Processed: 2, // Inactive
  Ignored: o(223), // Inactive
  Replayed: o(224), // Inactive
} as const;
export const EventSource = {
  PayPalWebhook: o(230),
  DataverseWebhook: o(231),
  Schedule: o(232),
  Reconciliation: o(233),
  Outbound: o(234),
} as const;

export const GlPurpose = {
  Clearing: o(240),
  FeeExpense: o(241),
  FxGain: o(242),
  FxLoss: o(243),
  Receivable: o(244),
  Refunds: o(245),
  Chargeback: o(246),
  ChargebackFee: o(247),
  Payable: o(248),
  Bank: o(249),
  HeldFunds: o(250),
} as const;

export const LedgerSide = { Debit: o(260), Credit: o(261) } as const;
export const LedgerSourceType = {
  Capture: o(270),
  Refund: o(271),
  Reversal: o(272),
  Payout: o(273),
  Withdrawal: o(274),
  Dispute: o(275),
  FxRevaluation: o(276),
} as const;

export const FxRateSource = { PayPal: o(280), CentralBank: o(281), Manual: o(282) } as const;

/** salesorder / invoice ppc_paymentstatus. */
export const PaymentStatus = {
  None: o(290),
  Pending: o(291),
  Paid: o(292),
  PartiallyRefunded: o(293),
  Refunded: o(294),
  Declined: o(295),
  Reversed: o(296),
  Disputed: o(297),
} as const;

/** Turns a `{ Label: value }` record into choice options with readable labels. */
export function optionsOf(values: Readonly<Record<string, number>>): (readonly [number, string])[] {
  return Object.entries(values).map(([k, v]) => [v, k.replace(/([a-z])([A-Z])/g, '$1 $2')] as const);
}
