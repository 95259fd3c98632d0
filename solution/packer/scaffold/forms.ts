// Main forms: one per custom table, plus a "PayPal" main form for order, invoice, account and contact with the
// PCF controls bound. Standard tables get an additional form rather than a rewrite of Microsoft's managed form.
import type { Column, TableDef, TableExtension } from '../model/types.ts';
import type { XmlNode } from '../lib/xml.ts';
import { stableGuid } from '../model/guid.ts';
import { PUBLISHER_PREFIX } from './solution-xml.ts';

const label = (d: string): XmlNode => ({ label: { '@_description': d, '@_languagecode': '1033' } });
const brace = (g: string): string => `{${g}}`;

/** Classic control class ids per column type (the default control a PCF binding falls back to). */
const CLASS_ID: Record<string, string> = {
  string: '{4273EDBD-AC1D-40d3-9FB2-095C621B552D}',
  memo: '{E0DECE4B-6FC8-4a8f-A065-082708572369}',
  money: '{533B9E00-756B-4312-95A0-DC888637AC78}',
  decimal: '{C3EFE0C3-0EC6-42be-8349-CBD9079DFD8E}',
  int: '{C6D124CA-7EDA-4a60-AEA9-7FB8D318B68F}',
  bool: '{67FAC785-CD58-4f9f-ABB3-4B7DDC6ED5ED}',
  datetime: '{5B773807-9FB2-42db-97C3-7A91EFF8ADFF}',
  choice: '{3EF39988-22BB-4f0b-BBBE-64B5A3748AEE}',
  lookup: '{270BD3DB-D9AF-4782-9025-509E298DEC0A}',
  status: '{5D68B988-0661-4db2-BC3E-17598AD3BE6C}',
};

/** PCF property type per column type (ControlManifest type-group). */
const PCF_TYPE: Record<string, string> = {
  string: 'SingleLine.Text',
  memo: 'Multiple',
  money: 'Currency',
  decimal: 'Decimal',
  int: 'Whole.None',
  bool: 'TwoOptions',
  datetime: 'DateAndTime.DateAndTime',
  choice: 'OptionSet',
};

export interface FieldRef {
  name: string;
  label: string;
  type: keyof typeof CLASS_ID;
  /** PCF control `<namespace>.<constructor>` to bind, e.g. PPC.PaymentStatus */
  pcf?: string;
}

/** A grid of related rows on the form (Microsoft Learn, "Enable SharePoint document management for specific
 * entities", XML sample for adding the documents tab: the subgrid control and its parameters). */
export interface SubgridRef {
  id: string;
  label: string;
  /** the related table shown */
  target: string;
  /** the 1:N relationship from the form's table to the target (its schema name) */
  relationship: string;
  /** the target's view the grid shows (its savedqueryid) */
  viewId: string;
  records: number;
}

export interface FormDef {
  table: string;
  id: string;
  name: string;
  tabs: {
    name: string;
    label: string;
    sections: { name: string; label: string; fields: FieldRef[]; subgrids?: SubgridRef[] }[];
  }[];
}

/** The classid of the subgrid control (Microsoft Learn's documents-tab XML sample). */
export const SUBGRID_CLASS_ID = '{E7A81278-8635-4d9e-8D4D-59480B391C5B}';

function subgridCell(form: FormDef, g: SubgridRef): XmlNode {
  // Attribute and parameter order as a real export writes them (solution/corpus: coe-starter-kit's Environment form).
  return {
    '@_id': brace(stableGuid(`cell:${form.id}:${g.id}`)),
    '@_rowspan': String(g.records),
    '@_colspan': '1',
    '@_auto': 'false',
    '@_showlabel': 'true',
    labels: label(g.label),
    control: {
      '@_id': g.id,
      '@_classid': SUBGRID_CLASS_ID,
      '@_indicationOfSubgrid': 'true',
      '@_uniqueid': brace(stableGuid(`control:${form.id}:${g.id}`)),
      parameters: {
        TargetEntityType: g.target,
        ViewId: brace(g.viewId),
        ViewIds: brace(g.viewId),
        EnableViewPicker: 'false',
        RelationshipName: g.relationship,
        AutoExpand: 'Fixed',
        RecordsPerPage: String(g.records),
        IsUserView: 'false',
        EnableQuickFind: 'false',
        EnableJumpBar: 'false',
        ChartGridMode: 'Grid',
        IsUserChart: 'false',
        EnableChartPicker: 'false',
      },
    },
  };
}

export const field = (c: Column, pcf?: string): FieldRef => ({ name: c.name, label: c.label, type: c.type, pcf });

function cell(form: FormDef, f: FieldRef): XmlNode {
  const control: XmlNode = {
    '@_id': f.name,
    '@_classid': CLASS_ID[f.type]!,
    '@_datafieldname': f.name,
    '@_disabled': 'false',
  };
  if (f.pcf) control['@_uniqueid'] = brace(stableGuid(`control:${form.id}:${f.name}`));
  return {
    '@_id': brace(stableGuid(`cell:${form.id}:${f.name}`)),
    '@_showlabel': 'true',
    labels: label(f.label),
    control,
  };
}

function controlDescription(form: FormDef, f: FieldRef): XmlNode {
  const pcfName = `${PUBLISHER_PREFIX}_${f.pcf!}`;
  const bound = { '@_type': PCF_TYPE[f.type] ?? 'SingleLine.Text', '#text': f.name };
  return {
    '@_forControl': brace(stableGuid(`control:${form.id}:${f.name}`)),
    customControl: [
      { '@_id': CLASS_ID[f.type]!, parameters: { datafieldname: f.name } },
      ...[0, 1, 2].map((formFactor) => ({
        '@_formFactor': formFactor,
        '@_name': pcfName,
        parameters: { boundField: bound },
      })),
    ],
  };
}

export function formXml(form: FormDef): XmlNode {
  const all = form.tabs.flatMap((t) => t.sections.flatMap((s) => s.fields));
  const withPcf = all.filter((f) => f.pcf);
  return {
    forms: {
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      systemform: {
        formid: brace(form.id),
        IntroducedVersion: '1.0.0.0',
        FormPresentation: 1,
        FormActivationState: 1,
        form: {
          '@_headerdensity': 'HighWithControls',
          tabs: {
            tab: form.tabs.map((t) => ({
              '@_name': t.name,
              '@_id': brace(stableGuid(`tab:${form.id}:${t.name}`)),
              '@_IsUserDefined': '0',
              '@_showlabel': 'true',
              '@_expanded': 'true',
              labels: label(t.label),
              columns: {
                column: {
                  '@_width': '100%',
                  sections: {
                    section: t.sections.map((s) => ({
                      '@_name': s.name,
                      '@_id': brace(stableGuid(`section:${form.id}:${s.name}`)),
                      '@_showlabel': 'true',
                      '@_showbar': 'false',
                      '@_IsUserDefined': '0',
                      '@_columns': '1',
                      labels: label(s.label),
                      rows: {
                        row: [
                          ...s.fields.map((f) => ({ cell: cell(form, f) })),
                          // A cell spanning N rows is followed by N-1 empty rows, as in real exports.
                          ...(s.subgrids ?? []).flatMap((g) => [
                            { cell: subgridCell(form, g) },
                            ...Array.from({ length: g.records - 1 }, () => ''),
                          ]),
                        ],
                      },
                    })),
                  },
                },
              },
            })),
          },
          ...(withPcf.length
            ? { controlDescriptions: { controlDescription: withPcf.map((f) => controlDescription(form, f)) } }
            : {}),
        },
        IsCustomizable: 1,
        CanBeDeleted: 1,
        LocalizedNames: { LocalizedName: { '@_description': form.name, '@_languagecode': '1033' } },
        Descriptions: { Description: { '@_description': `${form.name} (PayPal Connector)`, '@_languagecode': '1033' } },
      },
    },
  };
}

/** PCF bindings per table: column → control. */
const PCF_BINDINGS: Record<string, Record<string, string>> = {
  ppc_paypaltransaction: { ppc_fraudscore: 'PPC.FraudScore' },
  ppc_creditmemo: { ppc_amount: 'PPC.RefundButton' },
  ppc_payoutbatch: { ppc_totalamount: 'PPC.PayoutApproval' },
  salesorder: { ppc_paymentstatus: 'PPC.PaymentStatus', ppc_fraudscore: 'PPC.FraudScore' },
  invoice: { ppc_paymentstatus: 'PPC.PaymentStatus' },
  account: { ppc_totalspendbase: 'PPC.CustomerSpend' },
  contact: { ppc_totalspendbase: 'PPC.CustomerSpend' },
};

export function customTableForm(t: TableDef): FormDef {
  const id = stableGuid(`form:main:${t.name}`);
  const bindings = PCF_BINDINGS[t.name] ?? {};
  const fields = t.columns
    .filter((c) => c.type !== 'memo' || c.maxLength <= 4000)
    .map((c) => field(c, bindings[c.name]));
  const money = fields.filter((f) => f.type === 'money');
  const rest = fields.filter((f) => f.type !== 'money');
  const header: FieldRef[] = [
    { name: t.primaryName.name, label: t.primaryName.label, type: 'string' },
    { name: 'statuscode', label: 'Status Reason', type: 'status' },
    ...(t.hasCurrency ? [{ name: 'transactioncurrencyid', label: 'Currency', type: 'lookup' } as FieldRef] : []),
    ...(t.ownership === 'UserOwned' ? [{ name: 'ownerid', label: 'Owner', type: 'lookup' } as FieldRef] : []),
  ];
  return {
    table: t.name,
    id,
    name: t.label,
    tabs: [
      {
        name: 'general',
        label: 'General',
        sections: [
          { name: 'summary', label: 'Summary', fields: header },
          ...(money.length ? [{ name: 'amounts', label: 'Amounts', fields: money }] : []),
          { name: 'details', label: 'Details', fields: rest },
        ],
      },
    ],
  };
}

const STANDARD_HEADER: Record<string, FieldRef[]> = {
  salesorder: [
    { name: 'name', label: 'Name', type: 'string' },
    { name: 'customerid', label: 'Customer', type: 'lookup' },
    { name: 'totalamount', label: 'Total Amount', type: 'money' },
    { name: 'statuscode', label: 'Status Reason', type: 'status' },
  ],
  invoice: [
    { name: 'name', label: 'Name', type: 'string' },
    { name: 'customerid', label: 'Customer', type: 'lookup' },
    { name: 'salesorderid', label: 'Order', type: 'lookup' },
    { name: 'totalamount', label: 'Total Amount', type: 'money' },
    { name: 'statuscode', label: 'Status Reason', type: 'status' },
  ],
  account: [
    { name: 'name', label: 'Account Name', type: 'string' },
    { name: 'emailaddress1', label: 'Email', type: 'string' },
    { name: 'primarycontactid', label: 'Primary Contact', type: 'lookup' },
  ],
  contact: [
    { name: 'fullname', label: 'Full Name', type: 'string' },
    { name: 'emailaddress1', label: 'Email', type: 'string' },
    { name: 'parentcustomerid', label: 'Company Name', type: 'lookup' },
  ],
};

/** Related rows shown on a standard table's PayPal form: a customer's PayPal subscriptions (issue #19: subscription
 * status on account and contact), through the lookup's relationship and the subscription's Associated view. */
const SUBGRIDS: Record<string, SubgridRef[]> = Object.fromEntries(
  (['account', 'contact'] as const).map((table) => [
    table,
    [
      {
        id: 'ppc_subscriptions',
        label: 'PayPal Subscriptions',
        target: 'ppc_subscription',
        relationship: `ppc_${table}_ppc_subscription_${table}id`,
        viewId: stableGuid('view:ppc_subscription:associated'),
        records: 5,
      },
    ],
  ]),
);

export function extensionForm(t: TableExtension): FormDef {
  const bindings = PCF_BINDINGS[t.name] ?? {};
  const subgrids = SUBGRIDS[t.name] ?? [];
  return {
    table: t.name,
    id: stableGuid(`form:main:${t.name}:paypal`),
    name: `${t.label} (PayPal)`,
    tabs: [
      {
        name: 'summary',
        label: 'Summary',
        sections: [{ name: 'summary', label: t.label, fields: STANDARD_HEADER[t.name] ?? [] }],
      },
      {
        name: 'paypal',
        label: 'PayPal',
        sections: [{ name: 'paypal', label: 'PayPal', fields: t.columns.map((c) => field(c, bindings[c.name])) }],
      },
      ...(subgrids.length
        ? [
            {
              name: 'paypal_subscriptions',
              label: 'Subscriptions',
              sections: [{ name: 'paypal_subscriptions', label: 'PayPal Subscriptions', fields: [], subgrids }],
            },
          ]
        : []),
    ],
  };
}
