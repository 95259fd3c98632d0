// Columns the solution adds to standard Dynamics 365 tables (contact, account, salesorder, invoice).
import type { Column, TableExtension } from './types.ts';
import * as O from './options.ts';

const customerColumns: Column[] = [
  {
    type: 'string',
    name: 'ppc_paypalpayerid',
    label: 'PayPal Payer ID',
    maxLength: 64,
    description: 'payer.payer_id. Alternate key.',
  },
  {
    type: 'decimal',
    name: 'ppc_totalspendbase',
    label: 'Total Spend (Base)',
    precision: 4,
    min: -100000000000,
    max: 100000000000,
    description: 'Captured minus refunded, in the base currency (env var ppc_BaseCurrency).',
  },
  {
    type: 'decimal',
    name: 'ppc_totalrefundedbase',
    label: 'Total Refunded (Base)',
    precision: 4,
    min: 0,
    max: 100000000000,
  },
  { type: 'int', name: 'ppc_paymentcount', label: 'PayPal Payments', min: 0, max: 2147483647 },
  { type: 'int', name: 'ppc_refundcount', label: 'PayPal Refunds', min: 0, max: 2147483647 },
  { type: 'datetime', name: 'ppc_firstpaymenton', label: 'First PayPal Payment' },
  { type: 'datetime', name: 'ppc_lastpaymenton', label: 'Last PayPal Payment' },
  {
    type: 'decimal',
    name: 'ppc_refundratio',
    label: 'Refund Ratio',
    precision: 4,
    min: 0,
    max: 1,
    description: 'Refunded / captured, base currency.',
  },
  {
    type: 'memo',
    name: 'ppc_monthlyspendjson',
    label: 'Monthly Spend',
    maxLength: 4000,
    description: 'JSON {"2026-01": "123.45", …} of the last 12 months in base currency, for the CustomerSpend chart.',
  },
  { type: 'bool', name: 'ppc_addressstandardized', label: 'Address Standardized', defaultValue: false },
  {
    type: 'string',
    name: 'ppc_subscriptionstatus',
    label: 'PayPal Subscriptions',
    maxLength: 400,
    description:
      'Status and dunning of the customer’s PayPal subscriptions, written by the connector (e.g. "I-… Suspended, owes 9.99 USD since 2026-05-01").',
  },
];

/** Vendors (accounts or contacts) are paid through PayPal Payouts: the receiver and its type, checked when a batch is built. */
const vendorColumns: Column[] = [
  {
    type: 'choice',
    name: 'ppc_payoutreceivertype',
    label: 'PayPal Payout Receiver Type',
    options: O.optionsOf(O.ReceiverType),
  },
  {
    type: 'string',
    name: 'ppc_payoutreceiver',
    label: 'PayPal Payout Receiver',
    maxLength: 127,
    description: 'Email, phone (E.164) or PayPal payer id vendor bills are paid to.',
  },
  {
    type: 'bool',
    name: 'ppc_payoutreceivervalid',
    label: 'PayPal Payout Receiver Valid',
    defaultValue: false,
    description: 'Written by the connector when the receiver or its type changes (the batch build checks again).',
  },
  {
    type: 'string',
    name: 'ppc_payoutreceivercheck',
    label: 'PayPal Payout Receiver Check',
    maxLength: 400,
    description: 'Why the receiver cannot be paid, or "valid", with the time of the check (written by the connector).',
  },
];

export const contactExtension: TableExtension = {
  name: 'contact',
  label: 'Contact',
  entitySetName: 'contacts',
  columns: [...customerColumns, ...vendorColumns],
  keys: [{ name: 'ppc_key_contact_paypalpayerid', label: 'PayPal Payer ID', columns: ['ppc_paypalpayerid'] }],
};

export const accountExtension: TableExtension = {
  name: 'account',
  label: 'Account',
  entitySetName: 'accounts',
  columns: [...customerColumns, ...vendorColumns],
  keys: [{ name: 'ppc_key_account_paypalpayerid', label: 'PayPal Payer ID', columns: ['ppc_paypalpayerid'] }],
};

const paymentColumns = (table: string): Column[] => [
  { type: 'string', name: 'ppc_paypalorderid', label: 'PayPal Order ID', maxLength: 64 },
  { type: 'string', name: 'ppc_paypalcaptureid', label: 'PayPal Capture ID', maxLength: 64 },
  {
    type: 'choice',
    name: 'ppc_paymentstatus',
    label: 'PayPal Payment Status',
    options: O.optionsOf(O.PaymentStatus),
    defaultValue: O.PaymentStatus.None,
  },
  {
    type: 'lookup',
    name: 'ppc_transactionid',
    label: 'PayPal Transaction',
    target: 'ppc_paypaltransaction',
    onDelete: 'RemoveLink',
  },
  { type: 'int', name: 'ppc_fraudscore', label: 'Fraud Score', min: 0, max: 100 },
  {
    type: 'bool',
    name: 'ppc_fraudhold',
    label: 'Fraud Hold',
    defaultValue: false,
    description: 'Score above the fraud threshold: do not fulfil before review.',
  },
  {
    type: 'bool',
    name: 'ppc_needsreview',
    label: 'Needs Review',
    defaultValue: false,
    description: 'Unmatched SKU, missing FX rate, declined capture…',
  },
  { type: 'memo', name: 'ppc_flagreason', label: 'Flag Reason', maxLength: 2000 },
  { type: 'bool', name: 'ppc_hasdispute', label: 'Has Dispute', defaultValue: false },
  ...(table === 'invoice'
    ? ([
        { type: 'money', name: 'ppc_paidamount', label: 'Paid via PayPal' },
        { type: 'money', name: 'ppc_refundedamount', label: 'Refunded via PayPal' },
      ] as Column[])
    : []),
];

export const salesOrderExtension: TableExtension = {
  name: 'salesorder',
  label: 'Order',
  entitySetName: 'salesorders',
  columns: paymentColumns('salesorder'),
  keys: [],
};

export const invoiceExtension: TableExtension = {
  name: 'invoice',
  label: 'Invoice',
  entitySetName: 'invoices',
  columns: paymentColumns('invoice'),
  keys: [],
};

export const tableExtensions: readonly TableExtension[] = [
  accountExtension,
  contactExtension,
  salesOrderExtension,
  invoiceExtension,
];

/** Standard tables referenced by lookups or privileges but not shipped by this solution. */
export const platformTables = [
  'account',
  'contact',
  'salesorder',
  'salesorderdetail',
  'invoice',
  'invoicedetail',
  'product',
  'transactioncurrency',
  'pricelevel',
  'uom',
  'systemuser',
  'team',
  'businessunit',
  'organization',
] as const;
