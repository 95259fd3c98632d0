// $metadata (CSDL XML, namespace Microsoft.Dynamics.CRM) and EntityDefinitions JSON for the model.
import type { AttributeMeta, EntityMeta, Model } from './model.ts';

const EDM: Record<AttributeMeta['type'], string> = {
  uniqueidentifier: 'Edm.Guid',
  string: 'Edm.String',
  memo: 'Edm.String',
  integer: 'Edm.Int32',
  bigint: 'Edm.Int64',
  decimal: 'Edm.Decimal',
  double: 'Edm.Double',
  money: 'Edm.Decimal',
  boolean: 'Edm.Boolean',
  datetime: 'Edm.DateTimeOffset',
  picklist: 'Edm.Int32',
  state: 'Edm.Int32',
  status: 'Edm.Int32',
  lookup: 'Edm.Guid',
  customer: 'Edm.Guid',
  owner: 'Edm.Guid',
  entityname: 'Edm.String',
};

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function csdl(model: Model): string {
  const types: string[] = [];
  const sets: string[] = [];
  for (const e of model.entities.values()) {
    const props = [...e.attributes.values()].map((a) => {
      const name = a.targets ? `_${a.logicalName}_value` : a.logicalName;
      const max = a.maxLength && (a.type === 'string' || a.type === 'memo') ? ` MaxLength="${a.maxLength}"` : '';
      return `<Property Name="${esc(name)}" Type="${EDM[a.type]}"${max} />`;
    });
    const navs = [
      ...model.relationships
        .filter((r) => r.referencingEntity === e.logicalName)
        .map(
          (r) =>
            `<NavigationProperty Name="${esc(r.referencingNavigation)}" Type="mscrm.${r.referencedEntity}" Nullable="false" Partner="${esc(r.referencedNavigation)}"><ReferentialConstraint Property="_${r.referencingAttribute}_value" ReferencedProperty="${r.referencedAttribute}" /></NavigationProperty>`,
        ),
      ...model.relationships
        .filter((r) => r.referencedEntity === e.logicalName)
        .map(
          (r) =>
            `<NavigationProperty Name="${esc(r.referencedNavigation)}" Type="Collection(mscrm.${r.referencingEntity})" Partner="${esc(r.referencingNavigation)}" />`,
        ),
    ];
    types.push(
      `<EntityType Name="${e.logicalName}" BaseType="mscrm.crmbaseentity"><Key><PropertyRef Name="${e.primaryIdAttribute}" /></Key>${props.join('')}${navs.join('')}</EntityType>`,
    );
    sets.push(`<EntitySet Name="${e.entitySetName}" EntityType="Microsoft.Dynamics.CRM.${e.logicalName}" />`);
  }
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
    '<edmx:DataServices>',
    '<Schema Namespace="Microsoft.Dynamics.CRM" Alias="mscrm" xmlns="http://docs.oasis-open.org/odata/ns/edm">',
    '<EntityType Name="crmbaseentity" Abstract="true" />',
    ...types,
    '<EntityContainer Name="System">',
    ...sets,
    '</EntityContainer>',
    '</Schema>',
    '</edmx:DataServices>',
    '</edmx:Edmx>',
  ].join('\n');
}

const ATTR_TYPE: Record<AttributeMeta['type'], string> = {
  uniqueidentifier: 'Uniqueidentifier',
  string: 'String',
  memo: 'Memo',
  integer: 'Integer',
  bigint: 'BigInt',
  decimal: 'Decimal',
  double: 'Double',
  money: 'Money',
  boolean: 'Boolean',
  datetime: 'DateTime',
  picklist: 'Picklist',
  state: 'State',
  status: 'Status',
  lookup: 'Lookup',
  customer: 'Customer',
  owner: 'Owner',
  entityname: 'EntityName',
};

const label = (text: string): unknown => ({
  LocalizedLabels: [{ Label: text, LanguageCode: 1033 }],
  UserLocalizedLabel: { Label: text, LanguageCode: 1033 },
});

export function attributeDefinition(e: EntityMeta, a: AttributeMeta): Record<string, unknown> {
  const def: Record<string, unknown> = {
    LogicalName: a.logicalName,
    SchemaName: a.schemaName,
    EntityLogicalName: e.logicalName,
    AttributeType: ATTR_TYPE[a.type],
    AttributeTypeName: { Value: `${ATTR_TYPE[a.type]}Type` },
    IsCustomAttribute: a.isCustom,
    IsPrimaryId: a.logicalName === e.primaryIdAttribute,
    IsPrimaryName: a.logicalName === e.primaryNameAttribute,
    IsValidForCreate: a.validForCreate,
    IsValidForUpdate: a.validForUpdate,
    RequiredLevel: {
      Value: {
        none: 'None',
        recommended: 'Recommended',
        applicationrequired: 'ApplicationRequired',
        systemrequired: 'SystemRequired',
      }[a.requiredLevel],
    },
  };
  if (a.maxLength !== undefined) def.MaxLength = a.maxLength;
  if (a.targets) def.Targets = a.targets;
  if (a.options)
    def.OptionSet = {
      Options: a.options.map((o) => ({
        Value: o.value,
        Label: label(o.label),
        State: o.state,
        DefaultStatus: o.defaultStatus,
      })),
    };
  return def;
}

export function entityDefinition(model: Model, e: EntityMeta, withAttributes: boolean): Record<string, unknown> {
  const def: Record<string, unknown> = {
    MetadataId: metadataId(e.logicalName),
    LogicalName: e.logicalName,
    SchemaName: e.schemaName,
    EntitySetName: e.entitySetName,
    LogicalCollectionName: e.entitySetName,
    ObjectTypeCode: e.objectTypeCode,
    PrimaryIdAttribute: e.primaryIdAttribute,
    PrimaryNameAttribute: e.primaryNameAttribute,
    IsCustomEntity: e.isCustom,
    OwnershipType:
      e.ownership === 'OrganizationOwned' ? 'OrganizationOwned' : e.ownership === 'UserOwned' ? 'UserOwned' : 'None',
    DisplayName: label(e.displayName),
    DisplayCollectionName: label(e.displayCollectionName),
    Keys: e.keys.map((k) => ({ LogicalName: k.name, KeyAttributes: k.attributes })),
  };
  if (withAttributes) def.Attributes = [...e.attributes.values()].map((a) => attributeDefinition(e, a));
  void model;
  return def;
}

/** Stable pseudo MetadataId per table. */
export function metadataId(logicalName: string): string {
  let h = 2166136261;
  for (const c of logicalName) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const hex = (h.toString(16).padStart(8, '0') + logicalName.length.toString(16).padStart(4, '0')).padEnd(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4000-8000-${hex.slice(20, 32)}`;
}
