// Every Dataverse table, column and choice value the controls use, as defined by the solution
// (solution/README.md "Data model", solution/packer/model/options.ts). Choice values are imported from the
// solution model; test/names.test.ts fails when a table or column here and the solution drift apart.

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
  envDefinition: 'environmentvariabledefinition',
  envValue: 'environmentvariablevalue',
} as const;

/** Environment variables (solution/src/environmentvariabledefinitions). */
export const EnvironmentVariable = {
  definitionId: 'environmentvariabledefinitionid',
  schemaName: 'schemaname',
  defaultValue: 'defaultvalue',
  value: 'value',
  definitionValue: '_environmentvariabledefinitionid_value',
  refundThreshold: 'ppc_RefundApprovalThreshold',
} as const;

/** Columns every table with money has, and the system columns we read. Lookups read as `_<lookup>_value`. */
export const Common = {
  stateCode: 'statecode',
  statusCode: 'statuscode',
  currencyValue: '_transactioncurrencyid_value',
  createdByValue: '_createdby_value',
  modifiedByValue: '_modifiedby_value',
} as const;

export const Currency = {
  isoCode: 'isocurrencycode',
  precision: 'currencyprecision',
  symbol: 'currencysymbol',
} as const;

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
  paypalStatus: 'ppc_paypalstatus',
  statusDetails: 'ppc_statusdetails',
  payerId: 'ppc_payerid',
  payerEmail: 'ppc_payeremail',
  fxRate: 'ppc_fxrate',
  creditMemoValue: '_ppc_creditmemoid_value',
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
  debugId: 'ppc_paypaldebugid',
  requestedByValue: '_ppc_requestedby_value',
  requestedOn: 'ppc_requestedon',
  approvedByValue: '_ppc_approvedby_value',
  approvedOn: 'ppc_approvedon',
  refundedOn: 'ppc_refundedon',
  paypalRefundId: 'ppc_paypalrefundid',
  refundTransactionValue: '_ppc_refundtransactionid_value',
  captureValue: '_ppc_transactionid_value',
  invoiceValue: '_ppc_invoiceid_value',
} as const;

export const PayoutBatch = {
  id: 'ppc_payoutbatchid',
  comment: 'ppc_approvalcomment',
  approvedByValue: '_ppc_approvedby_value',
  approvedOn: 'ppc_approvedon',
  failureReason: 'ppc_failurereason',
  /** the connector's warnings of the batch, one per line "<code> <text>" */
  warnings: 'ppc_warnings',
  /** the codes an approval acknowledges (sent with the status) */
  acknowledgedWarnings: 'ppc_acknowledgedwarnings',
} as const;

export const PayoutItem = {
  batchValue: '_ppc_payoutbatchid_value',
  receiver: 'ppc_receiver',
  amount: 'ppc_amount',
  errorName: 'ppc_errorname',
  errorMessage: 'ppc_errormessage',
} as const;

export const FraudAlert = {
  id: 'ppc_fraudalertid',
  alertType: 'ppc_alerttype',
  score: 'ppc_score',
  band: 'ppc_band',
  reasons: 'ppc_reasons',
  reviewNotes: 'ppc_reviewnotes',
  reviewedOn: 'ppc_reviewedon',
  reviewedByValue: '_ppc_reviewedby_value',
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
  paypalId: 'ppc_paypaldisputeid',
  reason: 'ppc_reason',
  stage: 'ppc_stage',
  due: 'ppc_sellerresponsedue',
  openedOn: 'ppc_openedon',
  transactionValue: '_ppc_transactionid_value',
} as const;

export const Customer = {
  totalSpendBase: 'ppc_totalspendbase',
  totalRefundedBase: 'ppc_totalrefundedbase',
  paymentCount: 'ppc_paymentcount',
  refundCount: 'ppc_refundcount',
  firstPayment: 'ppc_firstpaymenton',
  lastPayment: 'ppc_lastpaymenton',
  refundRatio: 'ppc_refundratio',
  monthlySpend: 'ppc_monthlyspendjson',
} as const;

// Choice values come from the solution model itself (the source solution/src is generated from); the
// options module has no imports, so the bundle only gains these constants.
export {
  AlertType,
  CreditMemoStatus,
  DisputeStatus,
  FraudAlertStatus,
  PayoutItemStatus,
  PayoutBatchStatus,
  RefundReason,
  RiskBand,
  State,
  TransactionKind,
  TransactionStatus,
} from '@ppc/solution/options';

/** PropertyHelper.Types.PrivilegeType / PrivilegeDepth values (componentframework.d.ts). */
export const Privilege = { create: 1, read: 2, write: 3 } as const;
export const PrivilegeDepth = { basic: 0 } as const;

/** The formatted-value annotation Dataverse adds to choice and lookup columns. */
export const FORMATTED = '@OData.Community.Display.V1.FormattedValue';

/** The solution's security roles by name (solution/packer/model/roles.ts; test/names.test.ts checks them). */
export const Roles = {
  viewer: 'PayPal Viewer',
  finance: 'PayPal Finance',
  refundAgent: 'Refund Agent',
  payoutApprover: 'Payout Approver',
} as const;
