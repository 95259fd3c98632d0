// Model-driven app "PayPal Finance" and its site map.
import type { XmlNode } from '../lib/xml.ts';
import { roles } from '../model/roles.ts';

export const APP_UNIQUE_NAME = 'ppc_PayPalFinance';

const SUB = 'All,Outlook,OutlookLaptopClient,OutlookWorkstationClient,Web';

const areas: { id: string; title: string; groups: { id: string; title: string; tables: [string, string][] }[] }[] = [
  {
    id: 'ppc_area_finance',
    title: 'PayPal Finance',
    groups: [
      {
        id: 'ppc_group_payments',
        title: 'Payments',
        tables: [
          ['ppc_paypaltransaction', 'PayPal Transactions'],
          ['ppc_creditmemo', 'Credit Memos'],
          ['ppc_dispute', 'Disputes'],
          ['ppc_fraudalert', 'Payment Alerts'],
          ['ppc_subscription', 'Subscriptions'],
        ],
      },
      {
        id: 'ppc_group_sales',
        title: 'Sales',
        tables: [
          ['salesorder', 'Orders'],
          ['invoice', 'Invoices'],
          ['account', 'Accounts'],
          ['contact', 'Contacts'],
        ],
      },
      {
        id: 'ppc_group_payables',
        title: 'Payables',
        tables: [
          ['ppc_vendorbill', 'Vendor Bills'],
          ['ppc_payoutbatch', 'Payout Batches'],
          ['ppc_payoutitem', 'Payout Items'],
        ],
      },
      {
        id: 'ppc_group_accounting',
        title: 'Accounting',
        tables: [
          ['ppc_ledgerentry', 'Ledger Entries'],
          ['ppc_reconciliationrun', 'Reconciliation Runs'],
          ['ppc_reconciliationbreak', 'Reconciliation Breaks'],
        ],
      },
      {
        id: 'ppc_group_settings',
        title: 'Settings',
        tables: [
          ['ppc_glaccountmap', 'GL Account Map'],
          ['ppc_fxrate', 'FX Rates'],
          ['ppc_integrationevent', 'Integration Events'],
        ],
      },
    ],
  },
];

export const appTables = areas.flatMap((a) => a.groups.flatMap((g) => g.tables.map(([t]) => t)));

export function siteMapXml(): XmlNode {
  return {
    AppModuleSiteMap: {
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      SiteMapUniqueName: APP_UNIQUE_NAME,
      EnableCollapsibleGroups: 'False',
      ShowHome: 'True',
      ShowPinned: 'True',
      ShowRecents: 'True',
      SiteMap: {
        '@_IntroducedVersion': '7.0.0.0',
        Area: areas.map((a) => ({
          '@_Id': a.id,
          '@_ShowGroups': 'true',
          '@_IntroducedVersion': '7.0.0.0',
          Titles: { Title: { '@_LCID': '1033', '@_Title': a.title } },
          Group: a.groups.map((g) => ({
            '@_Id': g.id,
            '@_IntroducedVersion': '7.0.0.0',
            '@_IsProfile': 'false',
            Titles: { Title: { '@_LCID': '1033', '@_Title': g.title } },
            SubArea: g.tables.map(([t, title]) => ({
              '@_Id': `ppc_sub_${t}`,
              '@_Entity': t,
              '@_Client': SUB,
              '@_AvailableOffline': 'true',
              '@_PassParams': 'false',
              '@_Sku': 'All,OnPremise,Live,SPLA',
              Titles: { Title: { '@_LCID': '1033', '@_Title': title } },
            })),
          })),
        })),
      },
      LocalizedNames: { LocalizedName: { '@_description': 'PayPal Finance', '@_languagecode': '1033' } },
    },
  };
}

export function appModuleXml(formIds: string[], viewIds: string[]): XmlNode {
  return {
    AppModule: {
      UniqueName: APP_UNIQUE_NAME,
      IntroducedVersion: '1.0.0.0',
      WebResourceId: '953b9fac-1e5e-e611-80d6-00155ded156f',
      OptimizedFor: '',
      statecode: 0,
      statuscode: 1,
      FormFactor: 1,
      ClientType: 4,
      NavigationType: 0,
      AppModuleComponents: {
        AppModuleComponent: [
          ...[...new Set(appTables)].sort().map((t) => ({ '@_type': '1', '@_schemaName': t })),
          ...[...formIds].sort().map((id) => ({ '@_type': '60', '@_id': `{${id}}` })),
          ...[...viewIds].sort().map((id) => ({ '@_type': '26', '@_id': `{${id}}` })),
          { '@_type': '62', '@_schemaName': APP_UNIQUE_NAME },
        ],
      },
      AppModuleRoleMaps: {
        Role: roles
          .filter((r) => r.name !== 'Integration Service' && r.name !== 'PayPal Viewer')
          .map((r) => ({ '@_id': `{${r.id}}` })),
      },
      LocalizedNames: { LocalizedName: { '@_description': 'PayPal Finance', '@_languagecode': '1033' } },
      Descriptions: {
        Description: {
          '@_description': 'Payments, refunds, disputes, payouts and reconciliation with PayPal.',
          '@_languagecode': '1033',
        },
      },
      appsettings: '',
    },
  };
}
