// The four security roles. Depth: Basic = own rows, Local = business unit, Deep = BU + children, Global = organization.
import { customTables } from './tables.ts';
import { stableGuid } from './guid.ts';

export type Depth = 'Basic' | 'Local' | 'Deep' | 'Global';
export type Verb = 'Create' | 'Read' | 'Write' | 'Delete' | 'Append' | 'AppendTo' | 'Assign' | 'Share';
export type Grants = Partial<Record<Verb, Depth>>;

export interface RoleDef {
  id: string;
  name: string;
  description: string;
  grants: Readonly<Record<string, Grants>>;
}

/** Privilege names of standard tables (Dataverse uses the privilege's entity name, not always the table's). */
export const standardPrivilegeEntity: Readonly<Record<string, string>> = {
  account: 'Account',
  contact: 'Contact',
  salesorder: 'SalesOrder',
  invoice: 'Invoice',
  product: 'Product',
  transactioncurrency: 'TransactionCurrency',
  pricelevel: 'PriceLevel',
  uom: 'UoM',
  systemuser: 'User',
  role: 'Role',
  environmentvariabledefinition: 'EnvironmentVariableDefinition',
  environmentvariablevalue: 'EnvironmentVariableValue',
};

/** `prvCreateppc_creditmemo`, `prvReadSalesOrder`… */
export function privilegeName(verb: Verb, table: string): string {
  return `prv${verb}${standardPrivilegeEntity[table] ?? table}`;
}

const all = (depth: Depth): Grants => ({ Create: depth, Read: depth, Write: depth, Append: depth, AppendTo: depth });
const read: Grants = { Read: 'Global' };
const readLink: Grants = { Read: 'Global', Append: 'Global', AppendTo: 'Global' };

const customNames = customTables.map((t) => t.name);
const readAllCustom = Object.fromEntries(customNames.map((n) => [n, readLink] as const));

export const ROLE_FINANCE = 'PayPal Finance';
export const ROLE_REFUND_AGENT = 'Refund Agent';
export const ROLE_PAYOUT_APPROVER = 'Payout Approver';
export const ROLE_INTEGRATION = 'Integration Service';
export const ROLE_VIEWER = 'PayPal Viewer';

export const roles: readonly RoleDef[] = [
  {
    id: stableGuid('role:PayPal Finance'),
    name: ROLE_FINANCE,
    description:
      'Finance users: read every PayPal record, maintain GL map and FX rates, prepare vendor bills and payout batches (own rows), ' +
      'review alerts and reconciliation breaks. Approves refunds above the threshold requested by someone else (sets the credit memo to Approved); cannot request a refund or approve a payout.',
    grants: {
      ...readAllCustom,
      ppc_glaccountmap: { ...all('Global'), Delete: 'Global' },
      ppc_fxrate: { ...all('Global'), Delete: 'Global' },
      ppc_vendorbill: { ...all('Global') },
      ppc_payoutbatch: { ...all('Basic'), Read: 'Global', Delete: 'Basic' },
      // Write (Global): "Cancel unclaimed payout" sets ppc_cancelrequested on an item the connector created; the
      // proxy checks the user's role and pays nothing from item columns (it pays what the build recorded).
      ppc_payoutitem: { ...all('Basic'), Read: 'Global', Write: 'Global', Delete: 'Basic' },
      ppc_reconciliationbreak: { ...readLink, Write: 'Global' },
      // "Reconcile now": create an On Demand run or ask a run again (ppc_runrequested); the proxy re-checks the
      // initiating user holds this role before it runs.
      ppc_reconciliationrun: { ...readLink, Create: 'Global', Write: 'Global' },
      ppc_fraudalert: { ...readLink, Write: 'Global' },
      ppc_integrationevent: { ...readLink, Write: 'Global' },
      // Write on credit memos so a finance user can set one above the refund threshold to Approved: the approval
      // is that update, and the proxy checks its initiating user (PayPal Finance, not the requester). A request
      // (Refund requested) by anyone without Refund Agent is refused by the proxy, which reads the event's
      // initiating user; the Requested/Approved By columns are field-secured and written by the proxy alone.
      ppc_creditmemo: { ...readLink, Write: 'Global' },
      // Write on subscriptions: cancel / suspend / activate / collect are requested by setting the status reason
      // (with ppc_actionreason); the proxy checks the update's initiating user holds this role.
      ppc_subscription: { ...readLink, Write: 'Global' },
      account: readLink,
      contact: readLink,
      salesorder: readLink,
      invoice: readLink,
      product: read,
      transactioncurrency: read,
      systemuser: read,
      environmentvariabledefinition: read,
      environmentvariablevalue: read,
    },
  },
  {
    id: stableGuid('role:Refund Agent'),
    name: ROLE_REFUND_AGENT,
    description: 'The only human role that can create and write credit memos, i.e. set one to Refund requested.',
    grants: {
      ppc_creditmemo: { ...all('Global') },
      // Read the integration events and press Retry on one (the proxy replays only refunds for this role).
      ppc_integrationevent: { Read: 'Global', Write: 'Global' },
      ppc_paypaltransaction: { Read: 'Global', AppendTo: 'Global' },
      ppc_ledgerentry: read,
      ppc_dispute: read,
      invoice: { Read: 'Global', AppendTo: 'Global' },
      salesorder: read,
      contact: { Read: 'Global', AppendTo: 'Global' },
      account: { Read: 'Global', AppendTo: 'Global' },
      transactioncurrency: read,
      systemuser: read,
      environmentvariabledefinition: read,
      environmentvariablevalue: read,
    },
  },
  {
    id: stableGuid('role:Payout Approver'),
    name: ROLE_PAYOUT_APPROVER,
    description:
      'Approves or rejects payout batches created by someone else (four-eyes; the proxy re-checks role and creator before paying).',
    grants: {
      ppc_payoutbatch: { Read: 'Global', Write: 'Global', Append: 'Global', AppendTo: 'Global' },
      // Read the integration events and press Retry on one (the proxy replays only payouts for this role).
      ppc_integrationevent: { Read: 'Global', Write: 'Global' },
      // Write: "Cancel unclaimed payout" (ppc_cancelrequested); the proxy re-checks the role from the event's user.
      ppc_payoutitem: { Read: 'Global', Write: 'Global' },
      ppc_vendorbill: read,
      account: read,
      contact: read,
      transactioncurrency: read,
      systemuser: read,
      environmentvariabledefinition: read,
      environmentvariablevalue: read,
    },
  },
  {
    id: stableGuid('role:Integration Service'),
    name: ROLE_INTEGRATION,
    description:
      "For the proxy's application user: creates and updates what the flows write (no delete anywhere), reads configuration, users and roles.",
    grants: {
      ...Object.fromEntries(customNames.map((n) => [n, all('Global')] as const)),
      account: all('Global'),
      contact: all('Global'),
      salesorder: all('Global'),
      invoice: all('Global'),
      product: { Read: 'Global', Write: 'Global', AppendTo: 'Global' },
      transactioncurrency: read,
      pricelevel: { Read: 'Global', AppendTo: 'Global' },
      uom: { Read: 'Global', AppendTo: 'Global' },
      systemuser: { Read: 'Global', AppendTo: 'Global' },
      role: read,
      environmentvariabledefinition: read,
      environmentvariablevalue: read,
    },
  },
  {
    id: stableGuid('role:PayPal Viewer'),
    name: ROLE_VIEWER,
    description:
      'For sales users (together with their Sales role): read the PayPal data the order, invoice, account and contact forms show ' +
      '(payment status, refunds, disputes, fraud score, subscriptions). No write access to anything PayPal.',
    grants: {
      ppc_paypaltransaction: read,
      ppc_dispute: read,
      ppc_fraudalert: read,
      ppc_subscription: read,
      ppc_creditmemo: read,
      transactioncurrency: read,
      environmentvariabledefinition: read,
      environmentvariablevalue: read,
    },
  },
];
