// System views (savedquery): active, quick find, lookup per table, and the work queues finance uses.
import type { TableDef } from '../model/types.ts';
import type { XmlNode } from '../lib/xml.ts';
import { stableGuid } from '../model/guid.ts';
import * as O from '../model/options.ts';

export interface ViewDef {
  table: string;
  id: string;
  name: string;
  /** 0 public, 1 advanced find, 2 associated, 4 quick find, 64 lookup (savedquery querytype) */
  queryType: 0 | 1 | 2 | 4 | 64;
  isDefault: boolean;
  columns: string[];
  conditions: { attribute: string; operator: string; value?: string | number }[];
  /** Quick Find only: the find columns, written as Dataverse does (an `or` filter with isquickfindfields="1"). */
  findColumns?: string[];
  order: { attribute: string; descending: boolean };
}

export function viewXml(t: TableDef, v: ViewDef): XmlNode {
  return {
    savedqueries: {
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      savedquery: {
        IsCustomizable: 1,
        CanBeDeleted: v.queryType === 0 && !v.isDefault ? 1 : 0,
        isquickfindquery: v.queryType === 4 ? 1 : 0,
        isprivate: 0,
        isdefault: v.isDefault ? 1 : 0,
        savedqueryid: `{${v.id}}`,
        layoutxml: {
          grid: {
            '@_name': 'resultset',
            '@_jump': t.primaryName.name,
            '@_select': '1',
            '@_icon': '1',
            '@_preview': '1',
            row: {
              '@_name': 'result',
              '@_id': `${t.name}id`,
              cell: v.columns.map((c, i) => ({ '@_name': c, '@_width': i === 0 ? '200' : '125' })),
            },
          },
        },
        querytype: v.queryType,
        fetchxml: {
          fetch: {
            '@_version': '1.0',
            '@_mapping': 'logical',
            entity: {
              '@_name': t.name,
              attribute: [...new Set([`${t.name}id`, ...v.columns])].map((name) => ({ '@_name': name })),
              order: { '@_attribute': v.order.attribute, '@_descending': String(v.order.descending) },
              filter: [
                {
                  '@_type': 'and',
                  condition: v.conditions.map((c) => ({
                    '@_attribute': c.attribute,
                    '@_operator': c.operator,
                    ...(c.value !== undefined ? { '@_value': String(c.value) } : {}),
                  })),
                },
                ...(v.findColumns?.length
                  ? [
                      {
                        '@_type': 'or',
                        '@_isquickfindfields': '1',
                        condition: v.findColumns.map((c) => ({
                          '@_attribute': c,
                          '@_operator': 'like',
                          '@_value': '{0}',
                        })),
                      },
                    ]
                  : []),
              ],
            },
          },
        },
        IntroducedVersion: '1.0.0.0',
        LocalizedNames: { LocalizedName: { '@_description': v.name, '@_languagecode': '1033' } },
      },
    },
  };
}

const SUBSCRIPTION_DUNNING_COLUMNS = [
  'ppc_name',
  'ppc_contactid',
  'ppc_accountid',
  'ppc_dunningstate',
  'ppc_amountdue',
  'ppc_outstandingbalance',
  'ppc_dunningsince',
  'ppc_failedpaymentcount',
  'statuscode',
];
const LIST_COLUMNS: Record<string, string[]> = {
  ppc_paypaltransaction: [
    'ppc_name',
    'ppc_kind',
    'ppc_grossamount',
    'ppc_feeamount',
    'ppc_netamount',
    'transactioncurrencyid',
    'statuscode',
    'ppc_fraudscore',
    'ppc_transactiondate',
  ],
  ppc_ledgerentry: [
    'ppc_name',
    'ppc_sourceid',
    'ppc_lineno',
    'ppc_accountcode',
    'ppc_side',
    'ppc_amount',
    'transactioncurrencyid',
    'ppc_baseamount',
    'ppc_postingdate',
  ],
  ppc_creditmemo: [
    'ppc_name',
    'ppc_invoiceid',
    'ppc_amount',
    'transactioncurrencyid',
    'statuscode',
    'ppc_requestedby',
    'ppc_failurereason',
  ],
  ppc_integrationevent: [
    'ppc_name',
    'ppc_eventtype',
    'ppc_source',
    'statuscode',
    'ppc_attempts',
    'ppc_lasterror',
    'ppc_receivedon',
  ],
  ppc_reconciliationbreak: [
    'ppc_name',
    'ppc_breaktype',
    'ppc_paypalid',
    'ppc_difference',
    'transactioncurrencyid',
    'statuscode',
    'ppc_runid',
  ],
  ppc_payoutbatch: [
    'ppc_name',
    'ppc_senderbatchid',
    'ppc_totalamount',
    'transactioncurrencyid',
    'ppc_itemcount',
    'statuscode',
    'createdby',
    'ppc_approvedby',
  ],
  ppc_payoutitem: [
    'ppc_name',
    'ppc_receiver',
    'ppc_amount',
    'transactioncurrencyid',
    'statuscode',
    'ppc_errorname',
    'ppc_errormessage',
    'ppc_payoutbatchid',
  ],
};

function defaultColumns(t: TableDef): string[] {
  const picked = t.columns
    .filter((c) => c.type !== 'memo' && c.type !== 'lookup')
    .slice(0, 5)
    .map((c) => c.name);
  return [t.primaryName.name, ...picked, 'statuscode', 'createdon'];
}

const v = (
  t: TableDef,
  key: string,
  name: string,
  queryType: ViewDef['queryType'],
  isDefault: boolean,
  conditions: ViewDef['conditions'],
  columns?: string[],
): ViewDef => ({
  table: t.name,
  id: stableGuid(`view:${t.name}:${key}`),
  name,
  queryType,
  isDefault,
  columns: columns ?? LIST_COLUMNS[t.name] ?? defaultColumns(t),
  conditions,
  order: { attribute: 'createdon', descending: true },
});

const active = [{ attribute: 'statecode', operator: 'eq', value: 0 }];
const status = (value: number) => [{ attribute: 'statuscode', operator: 'eq', value }];

/** Work-queue views named in the issue: by status, open breaks, dead letters, pending approvals. */
const EXTRA: Record<string, (t: TableDef) => ViewDef[]> = {
  ppc_paypaltransaction: (t) => [
    v(t, 'needsreview', 'Transactions Needing Review', 0, false, [
      { attribute: 'ppc_needsreview', operator: 'eq', value: 1 },
    ]),
    v(t, 'pending', 'Pending Captures', 0, false, status(O.TransactionStatus.Pending)),
    v(t, 'disputed', 'Disputed or Reversed', 0, false, [{ attribute: 'ppc_disputed', operator: 'eq', value: 1 }]),
  ],
  ppc_creditmemo: (t) => [
    v(t, 'pendingapproval', 'Credit Memos Pending Approval', 0, false, status(O.CreditMemoStatus.PendingApproval)),
    v(t, 'failed', 'Failed Refunds', 0, false, status(O.CreditMemoStatus.Failed)),
  ],
  ppc_payoutbatch: (t) => [
    v(t, 'pendingapproval', 'Payout Batches Pending Approval', 0, false, status(O.PayoutBatchStatus.PendingApproval)),
  ],
  ppc_payoutitem: (t) => [
    // ended without paying: FAILED, BLOCKED, RETURNED, REFUNDED, REVERSED, or excluded before submission
    v(t, 'failed', 'Failed Payout Items', 0, false, [
      { attribute: 'statecode', operator: 'eq', value: 1 },
      { attribute: 'statuscode', operator: 'ne', value: O.PayoutItemStatus.Success },
    ]),
    v(t, 'unclaimed', 'Unclaimed Payout Items', 0, false, status(O.PayoutItemStatus.Unclaimed)),
  ],
  ppc_reconciliationbreak: (t) => [v(t, 'open', 'Open Reconciliation Breaks', 0, false, active)],
  ppc_integrationevent: (t) => [
    v(t, 'deadletters', 'Dead Letters', 0, false, status(O.IntegrationEventStatus.DeadLetter)),
  ],
  ppc_fraudalert: (t) => [v(t, 'new', 'New Payment Alerts', 0, false, status(O.FraudAlertStatus.New))],
  ppc_dispute: (t) => [
    v(t, 'awaiting', 'Disputes Awaiting Our Response', 0, false, status(O.DisputeStatus.WaitingForSellerResponse)),
  ],
  ppc_subscription: (t) => [
    v(t, 'dunning', 'Subscriptions in Dunning', 0, false, [
      { attribute: 'ppc_failedpaymentcount', operator: 'gt', value: 0 },
    ]),
    // Finance's work lists: what is owed and since when (ppc_amountdue, ppc_dunningsince), newest first.
    {
      ...v(
        t,
        'pastdue',
        'Past-Due Subscriptions',
        0,
        false,
        [
          // Retrying and Past Due are adjacent values (options.ts DunningState); the filter is 'and' only.
          { attribute: 'ppc_dunningstate', operator: 'ge', value: O.DunningState.Retrying },
          { attribute: 'ppc_dunningstate', operator: 'le', value: O.DunningState.PastDue },
        ],
        SUBSCRIPTION_DUNNING_COLUMNS,
      ),
      order: { attribute: 'ppc_dunningsince', descending: false },
    },
    {
      ...v(
        t,
        'suspended',
        'Suspended Subscriptions',
        0,
        false,
        status(O.SubscriptionStatus.Suspended),
        SUBSCRIPTION_DUNNING_COLUMNS,
      ),
      order: { attribute: 'ppc_dunningsince', descending: false },
    },
  ],
};

export function viewsFor(t: TableDef): ViewDef[] {
  return [
    v(t, 'active', `Active ${t.pluralLabel}`, 0, true, active),
    v(t, 'inactive', `Inactive ${t.pluralLabel}`, 0, false, [{ attribute: 'statecode', operator: 'eq', value: 1 }]),
    {
      ...v(t, 'bystatus', `All ${t.pluralLabel} by Status`, 0, false, []),
      order: { attribute: 'statuscode', descending: false },
    },
    {
      ...v(t, 'quickfind', `Quick Find Active ${t.pluralLabel}`, 4, true, active, [t.primaryName.name, 'createdon']),
      findColumns: [t.primaryName.name],
    },
    v(t, 'lookup', `${t.label} Lookup View`, 64, true, active, [t.primaryName.name, 'createdon']),
    // Every table Dataverse creates has these two system views; real exports always carry them.
    v(t, 'advancedfind', `${t.label} Advanced Find View`, 1, true, active),
    v(t, 'associated', `${t.label} Associated View`, 2, true, active),
    ...(EXTRA[t.name]?.(t) ?? []),
  ];
}

/**
 * Views on standard tables the solution extends (their own views are Microsoft's): sales orders on fraud hold,
 * the orders fulfilment must not ship before a PayPal Finance review (proxy-service/src/fraud).
 */
export function extensionViews(table: string): (ViewDef & { owner: TableDef })[] {
  if (table !== 'salesorder') return [];
  const owner = { name: 'salesorder', primaryName: { name: 'name' } } as TableDef;
  return [
    {
      ...v(
        owner,
        'fraudhold',
        'Orders on Fraud Hold (PayPal)',
        0,
        false,
        [{ attribute: 'ppc_fraudhold', operator: 'eq', value: 1 }, ...active],
        ['name', 'customerid', 'totalamount', 'ppc_fraudscore', 'ppc_paymentstatus', 'createdon'],
      ),
      owner,
    },
  ];
}
