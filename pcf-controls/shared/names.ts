// Every Dataverse table, column and choice value the controls use, as defined by the solution
// (solution/README.md "Data model", solution/packer/model/options.ts). A rename there is one edit here;
// test/names.test.ts fails when this file and the solution drift apart.

export const Tables = {
  transaction: 'ppc_paypaltransaction',
  creditMemo: 'ppc_creditmemo',
  payoutBatch: 'ppc_payoutbatch',
  payoutItem: 'ppc_payoutitem',
  fraudAlert: 'ppc_fraudalert',
  dispute: 'ppc_dispute',
  salesOrder: 'salesorder',
  invoice: 'invoice',
  account: 'account',
  contact: 'contact',
  currency: 'transactioncurrency',
} as const;

/** Columns every table with money has, and the system columns we read. Lookups read as `_<lookup>_value`. */
export const Common = {
  stateCode: 'statecode',
  statusCode: 'statuscode',
  currencyValue: '_transactioncurrencyid_value',
  createdByValue: '_createdby_value',
} as const;

export const Currency = { isoCode: 'isocurrencycode' } as const;

export const Transaction = {
  id: 'ppc_paypaltransactionid',
  paypalId: 'ppc_paypalid',
  kind: 'ppc_kind',
  gross: 'ppc_grossamount',
  fee: 'ppc_feeamount',
  net: 'ppc_netamount',
  refunded: 'ppc_refundedamount',
  baseCurrency: 'ppc_basecurrencycode',
  grossBase: 'ppc_grossbaseamount',
  feeBase: 'ppc_feebaseamount',
  netBase: 'ppc_netbaseamount',
  date: 'ppc_transactiondate',
  fraudScore: 'ppc_fraudscore',
  riskBand: 'ppc_riskband',
  fraudReasons: 'ppc_fraudreasons',
  parentValue: '_ppc_parenttransactionid_value',
  salesOrderValue: '_ppc_salesorderid_value',
  invoiceValue: '_ppc_invoiceid_value',
  accountValue: '_ppc_accountid_value',
  contactValue: '_ppc_contactid_value',
} as const;

export const CreditMemo = {
  id: 'ppc_creditmemoid',
  amount: 'ppc_amount',
  reasonCode: 'ppc_reasoncode',
  reasonNote: 'ppc_reason',
  failureReason: 'ppc_failurereason',
  paypalError: 'ppc_paypalerror',
  requestedOn: 'ppc_requestedon',
  captureValue: '_ppc_transactionid_value',
  invoiceValue: '_ppc_invoiceid_value',
} as const;

export const PayoutBatch = {
  id: 'ppc_payoutbatchid',
  comment: 'ppc_approvalcomment',
  approvedOn: 'ppc_approvedon',
} as const;

export const PayoutItem = {
  batchValue: '_ppc_payoutbatchid_value',
  receiver: 'ppc_receiver',
  amount: 'ppc_amount',
} as const;

export const FraudAlert = {
  id: 'ppc_fraudalertid',
  alertType: 'ppc_alerttype',
  score: 'ppc_score',
  band: 'ppc_band',
  reasons: 'ppc_reasons',
  reviewNotes: 'ppc_reviewnotes',
  reviewedOn: 'ppc_reviewedon',
  transactionValue: '_ppc_transactionid_value',
  salesOrderValue: '_ppc_salesorderid_value',
} as const;

/** Fraud columns on salesorder and invoice. */
export const SalesOrderFraud = {
  score: 'ppc_fraudscore',
  transactionValue: '_ppc_transactionid_value',
} as const;

export const Dispute = {
  amount: 'ppc_disputedamount',
  transactionValue: '_ppc_transactionid_value',
} as const;

export const Customer = {
  totalSpendBase: 'ppc_totalspendbase',
  totalRefundedBase: 'ppc_totalrefundedbase',
  paymentCount: 'ppc_paymentcount',
  firstPayment: 'ppc_firstpaymenton',
  lastPayment: 'ppc_lastpaymenton',
  refundRatio: 'ppc_refundratio',
  monthlySpend: 'ppc_monthlyspendjson',
} as const;

// Choice values: same keys and values as @ppc/solution's options.ts (checked by test/names.test.ts).
const o = (n: number): number => 416500000 + n;

export const State = { Active: 0, Inactive: 1 } as const;
export const TransactionKind = { Capture: o(0), Sale: o(1), Refund: o(2), Reversal: o(3) } as const;
export const TransactionStatus = {
  Pending: 1,
  Completed: o(10),
  PartiallyRefunded: o(11),
  Refunded: o(12),
  Reversed: o(13),
  OnHold: o(14),
  Declined: 2,
  Failed: o(15),
  Voided: o(16),
} as const;
export const CreditMemoStatus = {
  Draft: 1,
  PendingApproval: o(20),
  RefundRequested: o(21),
  Refunded: 2,
  Failed: o(22),
  Canceled: o(23),
} as const;
export const RefundReason = {
  ReturnedGoods: o(40),
  Damaged: o(41),
  NotDelivered: o(42),
  Duplicate: o(43),
  Goodwill: o(44),
  Other: o(45),
} as const;
export const PayoutBatchStatus = {
  Draft: 1,
  PendingApproval: o(100),
  Approved: o(101),
  Processing: o(102),
  Completed: 2,
  Rejected: o(103),
  Failed: o(104),
  Canceled: o(105),
} as const;
export const FraudAlertStatus = {
  New: 1,
  UnderReview: o(190),
  Closed: 2,
  ConfirmedFraud: o(191),
  MarkedSafe: o(192),
} as const;
export const AlertType = { FraudScore: o(200) } as const;
export const RiskBand = { Low: o(210), Medium: o(211), High: o(212) } as const;

/** PropertyHelper.Types.PrivilegeType / PrivilegeDepth values (componentframework.d.ts). */
export const Privilege = { create: 1, read: 2, write: 3 } as const;
export const PrivilegeDepth = { basic: 0 } as const;

/** The formatted-value annotation Dataverse adds to choice and lookup columns. */
export const FORMATTED = '@OData.Community.Display.V1.FormattedValue';
