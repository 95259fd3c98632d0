// Column → <attribute> element in the shape Dataverse exports (see contoso-real-estate Entity.xml files).
import type { Column, RequiredLevel, StateDef } from '../model/types.ts';
import type { XmlNode } from '../lib/xml.ts';

const label = (description: string): XmlNode => ({ '@_description': description, '@_languagecode': '1033' });
const names = (display: string, description = ''): XmlNode => ({
  displaynames: { displayname: label(display) },
  Descriptions: { Description: label(description) },
});

interface Common {
  type: string;
  name: string;
  required: RequiredLevel;
  displayMask: string;
  custom: boolean;
  audit: boolean;
  secured?: boolean;
  create?: boolean;
  update?: boolean;
  filterable?: boolean;
  searchable?: boolean;
}

function common(c: Common): XmlNode {
  return {
    Type: c.type,
    Name: c.name,
    LogicalName: c.name,
    RequiredLevel: c.required,
    DisplayMask: c.displayMask,
    ImeMode: 'auto',
    ValidForUpdateApi: c.update === false ? 0 : 1,
    ValidForReadApi: 1,
    ValidForCreateApi: c.create === false ? 0 : 1,
    IsCustomField: c.custom ? 1 : 0,
    IsAuditEnabled: c.audit ? 1 : 0,
    IsSecured: c.secured ? 1 : 0,
    IntroducedVersion: '1.0.0.0',
    IsCustomizable: 1,
    IsRenameable: 1,
    CanModifySearchSettings: 1,
    CanModifyRequirementLevelSettings: c.required === 'systemrequired' ? 0 : 1,
    CanModifyAdditionalSettings: 1,
    SourceType: 0,
    IsGlobalFilterEnabled: 0,
    IsSortableEnabled: 0,
    CanModifyGlobalFilterSettings: 1,
    CanModifyIsSortableSettings: 1,
    IsDataSourceSecret: 0,
    IsSearchable: c.searchable ? 1 : 0,
    IsFilterable: c.filterable ? 1 : 0,
    IsRetrievable: 1,
    IsLocalizable: 0,
  };
}

const MASK = 'ValidForAdvancedFind|ValidForForm|ValidForGrid';

function optionSet(
  name: string,
  type: 'picklist' | 'bit',
  display: string,
  options: readonly (readonly [number, string])[],
): XmlNode {
  return {
    '@_Name': name,
    OptionSetType: type,
    IntroducedVersion: '1.0.0.0',
    IsCustomizable: 1,
    ...names(display),
    options: { option: options.map(([value, text]) => ({ '@_value': value, labels: { label: label(text) } })) },
  };
}

/** One or two <attribute> nodes (money adds its `_base` twin). */
export function columnAttributes(table: string, col: Column, tableAudit: boolean): XmlNode[] {
  const required: RequiredLevel = col.required ?? 'none';
  const audit = col.audit ?? tableAudit;
  const base = { name: col.name, required, custom: true, audit, secured: col.secured ?? false, displayMask: MASK };
  const tail = names(col.label, col.description ?? '');
  switch (col.type) {
    case 'string':
      return [
        {
          '@_PhysicalName': col.name,
          ...common({ ...base, type: 'nvarchar', searchable: true, filterable: true }),
          Format: col.format ?? 'text',
          MaxLength: col.maxLength,
          Length: col.maxLength * 2,
          ...tail,
        },
      ];
    case 'memo':
      return [
        {
          '@_PhysicalName': col.name,
          ...common({ ...base, type: 'ntext' }),
          Format: 'textarea',
          MaxLength: col.maxLength,
          ...tail,
        },
      ];
    case 'int':
      return [
        {
          '@_PhysicalName': col.name,
          ...common({ ...base, type: 'int', filterable: true }),
          Format: 'none',
          MinValue: col.min,
          MaxValue: col.max,
          ...tail,
        },
      ];
    case 'decimal':
      return [
        {
          '@_PhysicalName': col.name,
          ...common({ ...base, type: 'decimal', filterable: true }),
          MinValue: col.min,
          MaxValue: col.max,
          Accuracy: col.precision,
          ...tail,
        },
      ];
    case 'datetime':
      return [
        {
          '@_PhysicalName': col.name,
          ...common({ ...base, type: 'datetime', filterable: true }),
          Format: col.dateOnly ? 'date' : 'datetime',
          CanChangeDateTimeBehavior: 1,
          Behavior: col.dateOnly ? 2 : 1,
          ...tail,
        },
      ];
    case 'bool':
      return [
        {
          '@_PhysicalName': col.name,
          ...common({ ...base, type: 'bit', filterable: true }),
          AppDefaultValue: col.defaultValue ? 1 : 0,
          optionset: optionSet(`${table}_${col.name}`, 'bit', col.label, [
            [1, 'Yes'],
            [0, 'No'],
          ]),
          ...tail,
        },
      ];
    case 'choice':
      return [
        {
          '@_PhysicalName': col.name,
          ...common({ ...base, type: 'picklist', filterable: true }),
          AppDefaultValue: col.defaultValue ?? -1,
          optionset: optionSet(`${table}_${col.name}`, 'picklist', col.label, col.options),
          ...tail,
        },
      ];
    case 'lookup':
      return [
        {
          '@_PhysicalName': col.name,
          ...common({ ...base, type: 'lookup', filterable: true }),
          LookupStyle: 'single',
          LookupTypes: '',
          ...tail,
        },
      ];
    case 'money':
      return [
        {
          '@_PhysicalName': col.name,
          ...common({ ...base, type: 'money', filterable: true }),
          MinValue: -922337203685477,
          MaxValue: 922337203685477,
          Accuracy: 2,
          AccuracySource: 2,
          ...tail,
        },
        {
          '@_PhysicalName': `${col.name}_base`,
          ...common({
            ...base,
            name: `${col.name}_base`,
            required: 'none',
            type: 'money',
            create: false,
            update: false,
          }),
          MinValue: -922337203685477,
          MaxValue: 922337203685477,
          Accuracy: 2,
          AccuracySource: 2,
          CalculationOf: col.name,
          ...names(`${col.label} (Base)`, `Value of ${col.label} in base currency.`),
        },
      ];
  }
}

const sys = (
  type: string,
  name: string,
  display: string,
  description: string,
  extra: Partial<Common> = {},
  more: XmlNode = {},
): XmlNode => ({
  '@_PhysicalName': name,
  ...common({
    type,
    name,
    required: 'none',
    custom: false,
    audit: false,
    displayMask: MASK,
    create: false,
    update: false,
    filterable: true,
    ...extra,
  }),
  ...more,
  ...names(display, description),
});

/** Platform columns every custom table has (primary key, name, audit stamps, owner or organization, state/status, currency). */
export function systemAttributes(o: {
  table: string;
  label: string;
  primaryName: { name: string; label: string; maxLength: number };
  ownership: 'UserOwned' | 'OrganizationOwned';
  hasCurrency: boolean;
  audit: boolean;
  states: readonly StateDef[];
}): XmlNode[] {
  const t = o.table;
  const out: XmlNode[] = [
    sys('primarykey', `${t}id`, o.label, 'Unique identifier for entity instances', {
      required: 'systemrequired',
      create: true,
      displayMask: 'ValidForAdvancedFind|RequiredForGrid',
    }),
    {
      '@_PhysicalName': o.primaryName.name,
      ...common({
        type: 'nvarchar',
        name: o.primaryName.name,
        required: 'required',
        custom: true,
        audit: o.audit,
        displayMask: 'PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm',
        searchable: true,
        filterable: true,
      }),
      Format: 'text',
      MaxLength: o.primaryName.maxLength,
      Length: o.primaryName.maxLength * 2,
      ...names(o.primaryName.label, 'The primary name of the record.'),
    },
    sys(
      'lookup',
      'createdby',
      'Created By',
      'Unique identifier of the user who created the record.',
      {},
      { LookupStyle: 'single', LookupTypes: '' },
    ),
    sys(
      'datetime',
      'createdon',
      'Created On',
      'Date and time when the record was created.',
      {},
      { Format: 'datetime', CanChangeDateTimeBehavior: 0, Behavior: 1 },
    ),
    sys(
      'lookup',
      'createdonbehalfby',
      'Created By (Delegate)',
      'Unique identifier of the delegate user who created the record.',
      {},
      { LookupStyle: 'single', LookupTypes: '' },
    ),
    sys(
      'lookup',
      'modifiedby',
      'Modified By',
      'Unique identifier of the user who modified the record.',
      {},
      { LookupStyle: 'single', LookupTypes: '' },
    ),
    sys(
      'datetime',
      'modifiedon',
      'Modified On',
      'Date and time when the record was modified.',
      {},
      { Format: 'datetime', CanChangeDateTimeBehavior: 0, Behavior: 1 },
    ),
    sys(
      'lookup',
      'modifiedonbehalfby',
      'Modified By (Delegate)',
      'Unique identifier of the delegate user who modified the record.',
      {},
      { LookupStyle: 'single', LookupTypes: '' },
    ),
    sys(
      'int',
      'importsequencenumber',
      'Import Sequence Number',
      'Sequence number of the import that created this record.',
      { create: true },
      { Format: '', MinValue: -2147483648, MaxValue: 2147483647 },
    ),
    sys(
      'datetime',
      'overriddencreatedon',
      'Record Created On',
      'Date and time that the record was migrated.',
      { create: true },
      { Format: 'date', CanChangeDateTimeBehavior: 0, Behavior: 1 },
    ),
    sys(
      'int',
      'timezoneruleversionnumber',
      'Time Zone Rule Version Number',
      'For internal use only.',
      { create: true, update: true },
      { Format: '', MinValue: -1, MaxValue: 2147483647 },
    ),
    sys(
      'int',
      'utcconversiontimezonecode',
      'UTC Conversion Time Zone Code',
      'Time zone code that was in use when the record was created.',
      { create: true, update: true },
      { Format: '', MinValue: -1, MaxValue: 2147483647 },
    ),
    // versionnumber (the row version) is not written: Dataverse creates it with every table and real exports
    // omit it (solution/corpus).
  ];
  if (o.ownership === 'UserOwned') {
    out.push(
      sys(
        'owner',
        'ownerid',
        'Owner',
        'Owner Id',
        { required: 'systemrequired', create: true, update: true },
        {
          LookupStyle: 'single',
          LookupTypes: {
            LookupType: [
              { '@_id': '00000000-0000-0000-0000-000000000000', '#text': 8 },
              { '@_id': '00000000-0000-0000-0000-000000000000', '#text': 9 },
            ],
          },
        },
      ),
      sys(
        'lookup',
        'owningbusinessunit',
        'Owning Business Unit',
        'Unique identifier for the business unit that owns the record',
        {},
        { LookupStyle: 'single', LookupTypes: '' },
      ),
      sys(
        'lookup',
        'owningteam',
        'Owning Team',
        'Unique identifier for the team that owns the record.',
        {},
        { LookupStyle: 'single', LookupTypes: '' },
      ),
      sys(
        'lookup',
        'owninguser',
        'Owning User',
        'Unique identifier for the user that owns the record.',
        {},
        { LookupStyle: 'single', LookupTypes: '' },
      ),
    );
  } else {
    out.push(
      sys(
        'lookup',
        'organizationid',
        'Organization Id',
        'Unique identifier for the organization',
        {},
        { LookupStyle: 'single', LookupTypes: '' },
      ),
    );
  }
  if (o.hasCurrency) {
    out.push(
      sys(
        'lookup',
        'transactioncurrencyid',
        'Currency',
        'Unique identifier of the currency associated with the entity.',
        { create: true, update: true, audit: o.audit },
        { LookupStyle: 'single', LookupTypes: '' },
      ),
      sys(
        'decimal',
        'exchangerate',
        'Exchange Rate',
        'Exchange rate for the currency associated with the entity with respect to the base currency.',
        {},
        { MinValue: '0.0000000001', MaxValue: 100000000000, Accuracy: 10 },
      ),
    );
  }
  out.push(
    sys(
      'state',
      'statecode',
      'Status',
      `Status of the ${o.label}`,
      { required: 'systemrequired', update: true, audit: o.audit },
      {
        optionset: {
          '@_Name': `${t}_statecode`,
          OptionSetType: 'state',
          IntroducedVersion: '1.0.0.0',
          IsCustomizable: 1,
          ...names('Status', `Status of the ${o.label}`),
          states: {
            state: o.states.map((s) => ({
              '@_value': s.value,
              '@_defaultstatus': s.defaultStatus,
              '@_invariantname': s.invariantName,
              labels: { label: label(s.label) },
            })),
          },
        },
      },
    ),
    sys(
      'status',
      'statuscode',
      'Status Reason',
      `Reason for the status of the ${o.label}`,
      { create: true, update: true, audit: o.audit },
      {
        optionset: {
          '@_Name': `${t}_statuscode`,
          OptionSetType: 'status',
          IntroducedVersion: '1.0.0.0',
          IsCustomizable: 1,
          ...names('Status Reason', `Reason for the status of the ${o.label}`),
          statuses: {
            status: o.states.flatMap((s) =>
              s.statuses.map((r) => ({ '@_value': r.value, '@_state': s.value, labels: { label: label(r.label) } })),
            ),
          },
        },
      },
    ),
  );
  return out;
}
