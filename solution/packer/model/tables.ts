// Custom tables of ARCHITECTURE.md §5 with the columns the flows of §3 write.
import type { Column, StateDef, StatusReason, TableDef } from './types.ts';
import * as O from './options.ts';

function reasons(values: Readonly<Record<string, number>>, names: readonly string[]): StatusReason[] {
  return names.map((n) => {
    const value = values[n];
    if (value === undefined) throw new Error(`unknown status ${n}`);
    return { value, label: n.replace(/([a-z])([A-Z])/g, '$1 $2') };
  });
}

/** Active state (0) with default status 1, Inactive state (1) with default status 2. */
function lifecycle(
  values: Readonly<Record<string, number>>,
  active: readonly string[],
  inactive: readonly string[],
): StateDef[] {
  return [
    { value: 0, label: 'Active', invariantName: 'Active', defaultStatus: 1, statuses: reasons(values, active) },
    { value: 1, label: 'Inactive', invariantName: 'Inactive', defaultStatus: 2, statuses: reasons(values, inactive) },
  ];
}
const defaultStates = lifecycle({ Active: 1, Inactive: 2 }, ['Active'], ['Inactive']);

const str = (name: string, label: string, maxLength: number, extra: Partial<Column> = {}): Column =>
  ({ type: 'string', name, label, maxLength, ...extra }) as Column;
const memo = (name: string, label: string, maxLength = 4000, description?: string): Column => ({
  type: 'memo',
  name,
  label,
  maxLength,
  description,
});
const money = (name: string, label: string, required: Column['required'] = 'none', description?: string): Column => ({
  type: 'money',
  name,
  label,
  required,
  description,
});
const int = (
  name: string,
  label: string,
  min = 0,
  max = 2147483647,
  required: Column['required'] = 'none',
): Column => ({ type: 'int', name, label, min, max, required });
const dec = (name: string, label: string, precision: number, description?: string): Column => ({
  type: 'decimal',
  name,
  label,
  precision,
  min: -100000000000,
  max: 100000000000,
  description,
});
const bool = (name: string, label: string, description?: string): Column => ({
  type: 'bool',
  name,
  label,
  defaultValue: false,
  description,
});
const date = (name: string, label: string, dateOnly = false, required: Column['required'] = 'none'): Column => ({
  type: 'datetime',
  name,
  label,
  dateOnly,
  required,
});
/** A record column of four-eyes: field-secured, written by the integration user only (field-security.ts). */
const secured = (c: Column): Column => ({ ...c, secured: true });
const choice = (
  name: string,
  label: string,
  values: Readonly<Record<string, number>>,
  required: Column['required'] = 'none',
): Column => ({ type: 'choice', name, label, options: O.optionsOf(values), required });
const lookup = (
  name: string,
  label: string,
  target: string,
  onDelete: 'Cascade' | 'RemoveLink' | 'Restrict',
  parental = false,
): Column => ({ type: 'lookup', name, label, target, onDelete, parental });

export const paypalTransaction: TableDef = {
  name: 'ppc_paypaltransaction',
  label: 'PayPal Transaction',
  pluralLabel: 'PayPal Transactions',
  description: 'Every PayPal money movement: capture, sale, refund, reversal, payout item, withdrawal.',
  entitySetName: 'ppc_paypaltransactions',
  ownership: 'UserOwned',
  primaryName: { name: 'ppc_name', label: 'Name', maxLength: 200 },
  hasCurrency: true,
  audit: true,
  columns: [
    str('ppc_paypalid', 'PayPal ID', 64, {
      required: 'required',
      description: 'Capture, sale, refund, payout item or T-code transaction id at PayPal. Alternate key.',
    }),
    choice('ppc_kind', 'Kind', O.TransactionKind, 'required'),
    str('ppc_paypalstatus', 'PayPal Status', 32, { description: 'Raw PayPal status, e.g. COMPLETED, PENDING.' }),
    str('ppc_statusdetails', 'Status Details', 100, {
      description: 'PayPal status_details.reason, e.g. PENDING_REVIEW.',
    }),
    money('ppc_grossamount', 'Gross Amount', 'required'),
    money('ppc_feeamount', 'Fee Amount'),
    money('ppc_netamount', 'Net Amount'),
    money('ppc_refundedamount', 'Refunded Amount', 'none', 'Sum of completed refunds against this capture.'),
    money('ppc_heldamount', 'Held Amount', 'none', 'Funds on hold because of a dispute.'),
    dec(
      'ppc_paypalexchangerate',
      'PayPal Exchange Rate',
      10,
      'exchange_rate PayPal applied when settling into another currency.',
    ),
    dec(
      'ppc_fxrate',
      'Base Exchange Rate',
      10,
      'Rate transaction currency → base currency used for the ledger (PayPal or ppc_fxrate).',
    ),
    str('ppc_basecurrencycode', 'Base Currency', 3),
    dec('ppc_grossbaseamount', 'Gross (Base)', 4, 'Gross in base currency at ppc_fxrate.'),
    dec('ppc_feebaseamount', 'Fee (Base)', 4),
    dec('ppc_netbaseamount', 'Net (Base)', 4),
    str('ppc_settlementcurrencycode', 'Settlement Currency', 3, {
      description: 'Currency PayPal credited (receivable_amount).',
    }),
    dec('ppc_settlementamount', 'Settlement Amount', 4),
    str('ppc_captureid', 'Capture ID', 64, { description: 'For refunds/reversals: the capture they belong to.' }),
    str('ppc_orderid', 'Order ID', 64),
    str('ppc_payerid', 'Payer ID', 64),
    str('ppc_payeremail', 'Payer Email', 254, { format: 'email' }),
    str('ppc_refundid', 'Refund ID', 64),
    str('ppc_invoicereference', 'PayPal invoice_id', 127),
    str('ppc_customid', 'PayPal custom_id', 127),
    str('ppc_lasteventid', 'Last Event ID', 100),
    date('ppc_transactiondate', 'Transaction Date'),
    lookup('ppc_parenttransactionid', 'Parent Transaction', 'ppc_paypaltransaction', 'Restrict'),
    lookup('ppc_invoiceid', 'Invoice', 'invoice', 'Restrict'),
    lookup('ppc_salesorderid', 'Sales Order', 'salesorder', 'Restrict'),
    lookup('ppc_contactid', 'Contact', 'contact', 'Restrict'),
    lookup('ppc_accountid', 'Account', 'account', 'Restrict'),
    lookup('ppc_creditmemoid', 'Credit Memo', 'ppc_creditmemo', 'RemoveLink'),
    lookup('ppc_payoutitemid', 'Payout Item', 'ppc_payoutitem', 'RemoveLink'),
    lookup('ppc_subscriptionid', 'Subscription', 'ppc_subscription', 'RemoveLink'),
    int('ppc_fraudscore', 'Fraud Score', 0, 100),
    choice('ppc_riskband', 'Risk Band', O.RiskBand),
    memo('ppc_fraudreasons', 'Fraud Reasons', 4000, 'JSON array of reason codes behind the score.'),
    bool('ppc_needsreview', 'Needs Review', 'Set when something could not be mapped automatically.'),
    bool('ppc_unmatchedsku', 'Unmatched SKU'),
    bool('ppc_fxratemissing', 'FX Rate Missing'),
    bool('ppc_disputed', 'Disputed'),
    memo('ppc_flagreason', 'Flag Reason', 2000),
  ],
  states: lifecycle(
    O.TransactionStatus,
    ['Pending', 'Completed', 'PartiallyRefunded', 'Refunded', 'Reversed', 'OnHold'],
    ['Declined', 'Failed', 'Voided'],
  ),
  keys: [{ name: 'ppc_key_paypalid', label: 'PayPal ID', columns: ['ppc_paypalid'] }],
};

export const ledgerEntry: TableDef = {
  name: 'ppc_ledgerentry',
  label: 'Ledger Entry',
  pluralLabel: 'Ledger Entries',
  description: 'General ledger journal line (one side of a balanced posting).',
  entitySetName: 'ppc_ledgerentries',
  ownership: 'OrganizationOwned',
  primaryName: { name: 'ppc_name', label: 'Name', maxLength: 200 },
  hasCurrency: true,
  audit: true,
  columns: [
    str('ppc_sourceid', 'Source ID', 100, {
      required: 'required',
      description: 'PayPal id or Dataverse id of the document posted.',
    }),
    int('ppc_lineno', 'Line No.', 1, 9999, 'required'),
    choice('ppc_sourcetype', 'Source Type', O.LedgerSourceType, 'required'),
    str('ppc_accountcode', 'Account Code', 20, { required: 'required' }),
    choice('ppc_purpose', 'Purpose', O.GlPurpose),
    choice('ppc_side', 'Debit/Credit', O.LedgerSide, 'required'),
    money('ppc_amount', 'Amount', 'required', 'Positive amount in the transaction currency.'),
    dec(
      'ppc_baseamount',
      'Base Amount',
      4,
      'Amount in base currency at ppc_fxrate (the posting rate, not the system rate).',
    ),
    str('ppc_basecurrencycode', 'Base Currency', 3),
    dec('ppc_fxrate', 'FX Rate', 10),
    date('ppc_postingdate', 'Posting Date', true),
    str('ppc_description', 'Description', 200),
    lookup('ppc_transactionid', 'PayPal Transaction', 'ppc_paypaltransaction', 'Restrict'),
    lookup('ppc_creditmemoid', 'Credit Memo', 'ppc_creditmemo', 'Restrict'),
    lookup('ppc_payoutbatchid', 'Payout Batch', 'ppc_payoutbatch', 'Restrict'),
    lookup('ppc_invoiceid', 'Invoice', 'invoice', 'Restrict'),
  ],
  states: defaultStates,
  keys: [{ name: 'ppc_key_source_line', label: 'Source and line', columns: ['ppc_sourceid', 'ppc_lineno'] }],
};

export const glAccountMap: TableDef = {
  name: 'ppc_glaccountmap',
  label: 'GL Account Map',
  pluralLabel: 'GL Account Maps',
  description:
    'Purpose (clearing per currency, fee expense, FX gain/loss, AR, refunds) → GL account code. Currency XXX = any currency.',
  entitySetName: 'ppc_glaccountmaps',
  ownership: 'OrganizationOwned',
  primaryName: { name: 'ppc_name', label: 'Name', maxLength: 100 },
  hasCurrency: false,
  audit: true,
  columns: [
    choice('ppc_purpose', 'Purpose', O.GlPurpose, 'required'),
    str('ppc_currencycode', 'Currency Code', 3, {
      required: 'required',
      description: 'ISO 4217 code; XXX applies to every currency without its own row.',
    }),
    str('ppc_accountcode', 'Account Code', 20, { required: 'required' }),
    str('ppc_accountname', 'Account Name', 100),
  ],
  states: defaultStates,
  keys: [
    { name: 'ppc_key_purpose_currency', label: 'Purpose and currency', columns: ['ppc_purpose', 'ppc_currencycode'] },
  ],
};

export const creditMemo: TableDef = {
  name: 'ppc_creditmemo',
  label: 'Credit Memo',
  pluralLabel: 'Credit Memos',
  description:
    'Refund document for an invoice and its capture; setting it to Refund requested starts the PayPal refund.',
  entitySetName: 'ppc_creditmemos',
  ownership: 'UserOwned',
  primaryName: { name: 'ppc_name', label: 'Credit Memo No.', maxLength: 100 },
  hasCurrency: true,
  audit: true,
  columns: [
    money('ppc_amount', 'Amount', 'required', 'Refund amount in the capture currency.'),
    choice('ppc_reasoncode', 'Reason', O.RefundReason),
    str('ppc_reason', 'Reason Note', 255, { description: 'Sent to PayPal as note_to_payer.' }),
    lookup('ppc_invoiceid', 'Invoice', 'invoice', 'Restrict'),
    lookup('ppc_transactionid', 'Capture', 'ppc_paypaltransaction', 'Restrict'),
    lookup('ppc_refundtransactionid', 'Refund Transaction', 'ppc_paypaltransaction', 'RemoveLink'),
    lookup('ppc_contactid', 'Contact', 'contact', 'Restrict'),
    lookup('ppc_accountid', 'Account', 'account', 'Restrict'),
    choice('ppc_origin', 'Origin', O.CreditMemoOrigin),
    lookup('ppc_requestedby', 'Requested By', 'systemuser', 'RemoveLink'),
    secured(date('ppc_requestedon', 'Requested On')),
    lookup('ppc_approvedby', 'Approved By', 'systemuser', 'RemoveLink'),
    secured(date('ppc_approvedon', 'Approved On')),
    str('ppc_paypalrefundid', 'PayPal Refund ID', 64, {
      description:
        'Set once PayPal created the refund. Alternate key (empty while Draft), so the refund webhook upserts instead of duplicating.',
    }),
    date('ppc_refundedon', 'Refunded On'),
    memo('ppc_failurereason', 'Failure Reason', 2000),
    str('ppc_paypalerror', 'PayPal Error', 100, { description: 'PayPal issue code, e.g. CAPTURE_FULLY_REFUNDED.' }),
    str('ppc_paypaldebugid', 'PayPal Debug ID', 64),
  ],
  states: lifecycle(
    O.CreditMemoStatus,
    ['Draft', 'PendingApproval', 'RefundRequested', 'Approved'],
    ['Refunded', 'Failed', 'Canceled'],
  ),
  keys: [{ name: 'ppc_key_paypalrefundid', label: 'PayPal Refund ID', columns: ['ppc_paypalrefundid'] }],
};

export const dispute: TableDef = {
  name: 'ppc_dispute',
  label: 'PayPal Dispute',
  pluralLabel: 'PayPal Disputes',
  description: 'PayPal dispute lifecycle (inquiry → chargeback → arbitration) and its outcome.',
  entitySetName: 'ppc_disputes',
  ownership: 'UserOwned',
  primaryName: { name: 'ppc_name', label: 'Name', maxLength: 200 },
  hasCurrency: true,
  audit: true,
  columns: [
    str('ppc_paypaldisputeid', 'PayPal Dispute ID', 64, {
      required: 'required',
      description: 'PP-D-… id. Alternate key (ppc_disputeid is the primary key column name).',
    }),
    choice('ppc_reason', 'Reason', O.DisputeReason),
    choice('ppc_stage', 'Stage', O.DisputeStage),
    str('ppc_paypalstatus', 'PayPal Status', 50),
    choice('ppc_outcome', 'Outcome', O.DisputeOutcome),
    money('ppc_disputedamount', 'Disputed Amount'),
    date('ppc_sellerresponsedue', 'Seller Response Due'),
    date('ppc_openedon', 'Opened On'),
    date('ppc_resolvedon', 'Resolved On'),
    str('ppc_captureid', 'Capture ID', 64),
    lookup('ppc_transactionid', 'Transaction', 'ppc_paypaltransaction', 'Restrict'),
    lookup('ppc_invoiceid', 'Invoice', 'invoice', 'RemoveLink'),
    lookup('ppc_contactid', 'Contact', 'contact', 'RemoveLink'),
    str('ppc_lasteventid', 'Last Event ID', 100),
  ],
  states: lifecycle(
    O.DisputeStatus,
    ['Open', 'WaitingForSellerResponse', 'WaitingForBuyerResponse', 'UnderReview'],
    ['Resolved', 'Other'],
  ),
  keys: [{ name: 'ppc_key_paypaldisputeid', label: 'PayPal Dispute ID', columns: ['ppc_paypaldisputeid'] }],
};

export const vendorBill: TableDef = {
  name: 'ppc_vendorbill',
  label: 'Vendor Bill',
  pluralLabel: 'Vendor Bills',
  description: 'Accounts payable bill to be paid through a PayPal payout.',
  entitySetName: 'ppc_vendorbills',
  ownership: 'UserOwned',
  primaryName: { name: 'ppc_name', label: 'Bill No.', maxLength: 100 },
  hasCurrency: true,
  audit: true,
  columns: [
    lookup('ppc_vendorid', 'Vendor', 'account', 'Restrict'),
    money('ppc_amount', 'Amount', 'required'),
    date('ppc_duedate', 'Due Date', true),
    choice('ppc_receivertype', 'Receiver Type', O.ReceiverType),
    str('ppc_receiver', 'Receiver', 254, { description: 'Email, phone or PayPal id the payout goes to.' }),
    lookup('ppc_payoutitemid', 'Payout Item', 'ppc_payoutitem', 'RemoveLink'),
    date('ppc_paidon', 'Paid On'),
    // A vendor may be a person: a contact with a PayPal Payout Receiver (used when no account vendor is set).
    lookup('ppc_vendorcontactid', 'Vendor (Contact)', 'contact', 'Restrict'),
  ],
  states: lifecycle(O.VendorBillStatus, ['Open', 'InPayout'], ['Paid', 'Canceled']),
  keys: [],
};

export const payoutBatch: TableDef = {
  name: 'ppc_payoutbatch',
  label: 'Payout Batch',
  pluralLabel: 'Payout Batches',
  description: 'Mass payout; needs a Payout Approver other than its creator before money moves.',
  entitySetName: 'ppc_payoutbatches',
  ownership: 'UserOwned',
  primaryName: { name: 'ppc_name', label: 'Name', maxLength: 200 },
  hasCurrency: true,
  audit: true,
  columns: [
    str('ppc_senderbatchid', 'Sender Batch ID', 64, {
      required: 'required',
      description: 'sender_batch_id sent to PayPal (idempotency). Alternate key.',
    }),
    str('ppc_paypalbatchid', 'PayPal Batch ID', 64),
    str('ppc_paypalstatus', 'PayPal Batch Status', 32),
    money('ppc_totalamount', 'Total Amount'),
    money('ppc_feeamount', 'Fee Amount'),
    int('ppc_itemcount', 'Item Count'),
    str('ppc_emailsubject', 'Email Subject', 255),
    lookup('ppc_submittedby', 'Submitted By', 'systemuser', 'RemoveLink'),
    secured(date('ppc_submittedon', 'Submitted On')),
    lookup('ppc_approvedby', 'Approved By', 'systemuser', 'RemoveLink'),
    secured(date('ppc_approvedon', 'Approved On')),
    memo('ppc_approvalcomment', 'Approval Comment', 2000),
    memo('ppc_failurereason', 'Failure Reason', 2000),
    memo(
      'ppc_currencytotals',
      'Totals per Currency',
      2000,
      'Items, amount and fee estimate per currency of the valid items (written by the connector when it builds the batch).',
    ),
    memo(
      'ppc_warnings',
      'Warnings',
      2000,
      'One warning per line, "<code> <text>", written by the connector when it builds the batch; an approval must acknowledge every code.',
    ),
    memo(
      'ppc_acknowledgedwarnings',
      'Acknowledged Warnings',
      2000,
      'The warning codes the approver acknowledges, sent with the approval (one per line).',
    ),
  ],
  states: lifecycle(
    O.PayoutBatchStatus,
    ['Draft', 'PendingApproval', 'Approved', 'Processing'],
    ['Completed', 'Rejected', 'Failed', 'Canceled'],
  ),
  keys: [{ name: 'ppc_key_senderbatchid', label: 'Sender Batch ID', columns: ['ppc_senderbatchid'] }],
};

export const payoutItem: TableDef = {
  name: 'ppc_payoutitem',
  label: 'Payout Item',
  pluralLabel: 'Payout Items',
  description: 'One receiver of a payout batch and its PayPal item status.',
  entitySetName: 'ppc_payoutitems',
  ownership: 'UserOwned',
  primaryName: { name: 'ppc_name', label: 'Name', maxLength: 200 },
  hasCurrency: true,
  audit: true,
  columns: [
    str('ppc_senderitemid', 'Sender Item ID', 64, {
      required: 'required',
      description: 'sender_item_id sent to PayPal. Alternate key.',
    }),
    str('ppc_paypalitemid', 'PayPal Item ID', 64),
    str('ppc_paypaltransactionref', 'PayPal Transaction ID', 64),
    lookup('ppc_payoutbatchid', 'Payout Batch', 'ppc_payoutbatch', 'Cascade', true),
    lookup('ppc_vendorbillid', 'Vendor Bill', 'ppc_vendorbill', 'RemoveLink'),
    choice('ppc_receivertype', 'Receiver Type', O.ReceiverType, 'required'),
    str('ppc_receiver', 'Receiver', 254, { required: 'required' }),
    money('ppc_amount', 'Amount', 'required'),
    money('ppc_feeamount', 'Fee Amount'),
    str('ppc_note', 'Note', 4000),
    str('ppc_errorname', 'Error', 100),
    memo('ppc_errormessage', 'Error Message', 2000),
    bool(
      'ppc_cancelrequested',
      'Cancel Requested',
      'Set by the "Cancel unclaimed payout" command; the connector checks the user, cancels at PayPal and clears it.',
    ),
  ],
  states: lifecycle(
    O.PayoutItemStatus,
    ['New', 'Pending', 'Unclaimed', 'OnHold'],
    ['Success', 'Failed', 'Returned', 'Blocked', 'Refunded', 'Reversed', 'Excluded'],
  ),
  keys: [{ name: 'ppc_key_senderitemid', label: 'Sender Item ID', columns: ['ppc_senderitemid'] }],
};

export const subscription: TableDef = {
  name: 'ppc_subscription',
  label: 'PayPal Subscription',
  pluralLabel: 'PayPal Subscriptions',
  description:
    'Mirror of a PayPal subscription with its dunning state; cancel/suspend/activate are requested from D365.',
  entitySetName: 'ppc_subscriptions',
  ownership: 'UserOwned',
  primaryName: { name: 'ppc_name', label: 'Name', maxLength: 200 },
  hasCurrency: true,
  audit: true,
  columns: [
    str('ppc_paypalsubscriptionid', 'PayPal Subscription ID', 64, {
      required: 'required',
      description: 'I-… id. Alternate key.',
    }),
    str('ppc_planid', 'Plan ID', 64),
    str('ppc_paypalstatus', 'PayPal Status', 32),
    lookup('ppc_productid', 'Product', 'product', 'RemoveLink'),
    lookup('ppc_contactid', 'Contact', 'contact', 'Restrict'),
    lookup('ppc_accountid', 'Account', 'account', 'Restrict'),
    money('ppc_amount', 'Amount per Cycle'),
    money('ppc_outstandingbalance', 'Outstanding Balance'),
    date('ppc_starton', 'Start'),
    date('ppc_nextbillingon', 'Next Billing'),
    date('ppc_lastpaymenton', 'Last Payment'),
    int('ppc_failedpaymentcount', 'Failed Payments'),
    choice('ppc_dunningstate', 'Dunning State', O.DunningState),
    str('ppc_actionreason', 'Action Reason', 128, {
      description: 'Reason sent with a cancel/suspend/activate request.',
    }),
    str('ppc_lasteventid', 'Last Event ID', 100),
    int('ppc_quantity', 'Quantity', 0, 100000),
    int('ppc_cyclescompleted', 'Cycles Completed', 0, 100000),
    int('ppc_failurethreshold', 'Failure Threshold', 0, 999, 'none'),
    money('ppc_lastpaymentamount', 'Last Payment Amount'),
    money(
      'ppc_amountdue',
      'Amount Due',
      'none',
      'What PayPal has failed to collect: the last failed payment, or the outstanding balance.',
    ),
    date('ppc_dunningsince', 'In Dunning Since'),
    date('ppc_paypalupdatedon', 'PayPal Updated On'),
    memo('ppc_actionresult', 'Action Result', 2000, 'What PayPal answered to the last request from D365.'),
    choice('ppc_dunningnotice', 'Dunning Notice', O.DunningNotice),
    str('ppc_dunningnoticekey', 'Dunning Notice Key', 100, {
      description:
        'Stage and episode of the last dunning notice (e.g. suspended@2026-03-01T10:00:00Z). Changes once per notice; the dunning notice flow triggers on it.',
    }),
    date('ppc_dunningnoticeon', 'Dunning Notice On'),
    memo(
      'ppc_planhistory',
      'Plan History',
      4000,
      'Plan and price changes read from PayPal, newest first: when, event, from → to.',
    ),
  ],
  states: lifecycle(
    O.SubscriptionStatus,
    [
      'ApprovalPending',
      'Active',
      'Suspended',
      'CancelRequested',
      'SuspendRequested',
      'ActivateRequested',
      'CollectRequested',
    ],
    ['Cancelled', 'Expired'],
  ),
  keys: [
    { name: 'ppc_key_paypalsubscriptionid', label: 'PayPal Subscription ID', columns: ['ppc_paypalsubscriptionid'] },
  ],
};

export const reconciliationRun: TableDef = {
  name: 'ppc_reconciliationrun',
  label: 'Reconciliation Run',
  pluralLabel: 'Reconciliation Runs',
  description:
    'One reconciliation of PayPal activity against Dataverse for a date and source, with totals per currency.',
  entitySetName: 'ppc_reconciliationruns',
  ownership: 'OrganizationOwned',
  primaryName: { name: 'ppc_name', label: 'Name', maxLength: 200 },
  hasCurrency: false,
  audit: false,
  columns: [
    date('ppc_rundate', 'Run Date', true, 'required'),
    choice('ppc_source', 'Source', O.ReconciliationSource, 'required'),
    date('ppc_startedon', 'Started On'),
    date('ppc_completedon', 'Completed On'),
    int('ppc_rowsread', 'Rows Read'),
    int('ppc_matchedcount', 'Matched'),
    int('ppc_breakcount', 'Breaks'),
    int('ppc_caughtupcount', 'Events Caught Up'),
    memo(
      'ppc_totalsjson',
      'Totals per Currency',
      20000,
      'JSON: { "USD": { "gross": "…", "fee": "…", "net": "…" } } in minor units.',
    ),
    memo('ppc_errormessage', 'Error', 2000),
    // "Reconcile now" (command bar): a PayPal Finance user creates an On Demand run (date, optional currency) or
    // asks an existing run again; the step posts it to the proxy, which checks the initiating user's role, runs
    // the day once and writes the result back on this row (clearing the request).
    str('ppc_currencyscope', 'Currency Scope', 3, {
      description: 'ISO currency code the run is limited to (empty: every currency of the day).',
    }),
    bool(
      'ppc_runrequested',
      'Run Requested',
      'Set by "Reconcile now"; the connector runs the day once and clears it when the result is written.',
    ),
  ],
  states: lifecycle(O.ReconciliationRunStatus, ['Running'], ['Completed', 'Failed']),
  keys: [{ name: 'ppc_key_rundate_source', label: 'Run date and source', columns: ['ppc_rundate', 'ppc_source'] }],
};

export const reconciliationBreak: TableDef = {
  name: 'ppc_reconciliationbreak',
  label: 'Reconciliation Break',
  pluralLabel: 'Reconciliation Breaks',
  description: 'A difference found by a reconciliation run (missing, amount, fee, FX, status).',
  entitySetName: 'ppc_reconciliationbreaks',
  ownership: 'UserOwned',
  primaryName: { name: 'ppc_name', label: 'Name', maxLength: 200 },
  hasCurrency: true,
  audit: true,
  columns: [
    str('ppc_breakkey', 'Break Key', 200, {
      required: 'required',
      description: 'run date|source|PayPal id|type. Alternate key, so a re-run does not duplicate.',
    }),
    // Not parental: the run is organization-owned and a break is user-owned (assigned to whoever works it), so
    // assign/share/reparent cannot follow the run; deleting a run still deletes its breaks.
    lookup('ppc_runid', 'Reconciliation Run', 'ppc_reconciliationrun', 'Cascade'),
    choice('ppc_breaktype', 'Break Type', O.BreakType, 'required'),
    str('ppc_paypalid', 'PayPal ID', 64),
    str('ppc_eventcode', 'PayPal Event Code', 10, { description: 'Transaction event code, e.g. T0006.' }),
    lookup('ppc_transactionid', 'Transaction', 'ppc_paypaltransaction', 'RemoveLink'),
    money('ppc_paypalamount', 'PayPal Amount'),
    money('ppc_dataverseamount', 'Dataverse Amount'),
    money('ppc_difference', 'Difference'),
    memo('ppc_details', 'Details', 4000),
    memo('ppc_resolution', 'Resolution', 2000),
    lookup('ppc_resolvedby', 'Resolved By', 'systemuser', 'RemoveLink'),
  ],
  states: lifecycle(
    O.ReconciliationBreakStatus,
    ['Open', 'UnderInvestigation'],
    ['Resolved', 'AutoResolved', 'WrittenOff'],
  ),
  keys: [{ name: 'ppc_key_breakkey', label: 'Break Key', columns: ['ppc_breakkey'] }],
};

export const fraudAlert: TableDef = {
  name: 'ppc_fraudalert',
  label: 'Payment Alert',
  pluralLabel: 'Payment Alerts',
  description: 'Fraud score above threshold, reversal/chargeback, missing FX rate: something finance must review.',
  entitySetName: 'ppc_fraudalerts',
  ownership: 'UserOwned',
  primaryName: { name: 'ppc_name', label: 'Name', maxLength: 200 },
  hasCurrency: false,
  audit: true,
  columns: [
    str('ppc_alertkey', 'Alert Key', 200, {
      required: 'required',
      description: 'type|PayPal id. Alternate key, so a replay does not raise a second alert.',
    }),
    choice('ppc_alerttype', 'Alert Type', O.AlertType, 'required'),
    int('ppc_score', 'Score', 0, 100),
    choice('ppc_band', 'Risk Band', O.RiskBand),
    memo('ppc_reasons', 'Reasons', 4000, 'JSON array of reason codes.'),
    lookup('ppc_transactionid', 'Transaction', 'ppc_paypaltransaction', 'RemoveLink'),
    lookup('ppc_salesorderid', 'Sales Order', 'salesorder', 'RemoveLink'),
    lookup('ppc_reviewedby', 'Reviewed By', 'systemuser', 'RemoveLink'),
    date('ppc_reviewedon', 'Reviewed On'),
    memo('ppc_reviewnotes', 'Review Notes', 2000),
  ],
  states: lifecycle(O.FraudAlertStatus, ['New', 'UnderReview'], ['Closed', 'ConfirmedFraud', 'MarkedSafe']),
  keys: [{ name: 'ppc_key_alertkey', label: 'Alert Key', columns: ['ppc_alertkey'] }],
};

export const integrationEvent: TableDef = {
  name: 'ppc_integrationevent',
  label: 'Integration Event',
  pluralLabel: 'Integration Events',
  description: 'Inbound/outbound event log and dead letters, visible to finance.',
  entitySetName: 'ppc_integrationevents',
  ownership: 'OrganizationOwned',
  primaryName: { name: 'ppc_name', label: 'Name', maxLength: 200 },
  hasCurrency: false,
  audit: false,
  columns: [
    str('ppc_eventid', 'Event ID', 100, {
      required: 'required',
      description: 'PayPal event id (WH-…) or Dataverse correlation id. Alternate key.',
    }),
    choice('ppc_source', 'Source', O.EventSource, 'required'),
    str('ppc_eventtype', 'Event Type', 100),
    str('ppc_resourceid', 'Resource ID', 100),
    int('ppc_attempts', 'Attempts'),
    memo('ppc_lasterror', 'Last Error', 4000),
    str('ppc_errorcode', 'Error Code', 100),
    memo('ppc_payload', 'Payload', 1048576, 'Raw event body (PII redacted).'),
    date('ppc_receivedon', 'Received On'),
    date('ppc_processedon', 'Processed On'),
    str('ppc_jobid', 'Job ID', 64),
    str('ppc_correlationid', 'Correlation ID', 100),
    // Written by the proxy's mirror (proxy-service/src/ops): what a finance user reads, what an admin debugs,
    // and the record the event is about.
    memo('ppc_technicaldetail', 'Technical Detail', 4000, 'Error code, PayPal debug id, queue and job: for the admin.'),
    str('ppc_recordtable', 'Affected Table', 64),
    str('ppc_recordid', 'Affected Record ID', 36),
    lookup('ppc_creditmemoid', 'Credit Memo', 'ppc_creditmemo', 'RemoveLink'),
    lookup('ppc_transactionid', 'PayPal Transaction', 'ppc_paypaltransaction', 'RemoveLink'),
    // The "Retry" command sets ppc_retryrequested; the proxy (step on this column) checks the initiating user's
    // role, replays the event and records who asked and when (the two columns below, written by it alone).
    bool(
      'ppc_retryrequested',
      'Retry Requested',
      'Set by the Retry command; the proxy replays the event and clears it.',
    ),
    lookup('ppc_retryrequestedby', 'Retry Requested By', 'systemuser', 'RemoveLink'),
    date('ppc_retryrequestedon', 'Retry Requested On'),
  ],
  states: lifecycle(
    O.IntegrationEventStatus,
    ['Received', 'Processing', 'Retrying', 'DeadLetter'],
    ['Processed', 'Ignored', 'Replayed'],
  ),
  keys: [{ name: 'ppc_key_eventid', label: 'Event ID', columns: ['ppc_eventid'] }],
};

export const fxRate: TableDef = {
  name: 'ppc_fxrate',
  label: 'FX Rate',
  pluralLabel: 'FX Rates',
  description:
    'Exchange rates used for conversions, with source and date. ppc_rate = units of ppc_tocurrency per 1 ppc_fromcurrency.',
  entitySetName: 'ppc_fxrates',
  ownership: 'OrganizationOwned',
  primaryName: { name: 'ppc_name', label: 'Name', maxLength: 100 },
  hasCurrency: false,
  audit: true,
  columns: [
    str('ppc_pair', 'Pair', 7, { required: 'required', description: 'FROM/TO, e.g. EUR/USD.' }),
    str('ppc_fromcurrency', 'From Currency', 3, { required: 'required' }),
    str('ppc_tocurrency', 'To Currency', 3, { required: 'required' }),
    date('ppc_ratedate', 'Rate Date', true, 'required'),
    dec('ppc_rate', 'Rate', 10),
    choice('ppc_source', 'Source', O.FxRateSource),
  ],
  states: defaultStates,
  keys: [{ name: 'ppc_key_pair_date', label: 'Pair and date', columns: ['ppc_pair', 'ppc_ratedate'] }],
};

export const customTables: readonly TableDef[] = [
  paypalTransaction,
  ledgerEntry,
  glAccountMap,
  creditMemo,
  dispute,
  vendorBill,
  payoutBatch,
  payoutItem,
  subscription,
  reconciliationRun,
  reconciliationBreak,
  fraudAlert,
  integrationEvent,
  fxRate,
];

/**
 * Each status reason of `values` as the `{ statecode, statuscode }` pair Dataverse needs to set it, the state taken
 * from the table's state model (a status reason is only valid in the state it belongs to).
 */
export function statusPairs<T extends Readonly<Record<string, number>>>(
  table: TableDef,
  values: T,
): { readonly [K in keyof T]: { readonly statecode: number; readonly statuscode: T[K] } } {
  return Object.fromEntries(
    Object.entries(values).map(([name, statuscode]) => {
      const state = table.states.find((s) => s.statuses.some((r) => r.value === statuscode));
      if (!state) throw new Error(`${table.name} has no status reason ${name} (${statuscode})`);
      return [name, { statecode: state.value, statuscode }];
    }),
  ) as { readonly [K in keyof T]: { readonly statecode: number; readonly statuscode: T[K] } };
}
