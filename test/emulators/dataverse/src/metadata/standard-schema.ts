// Microsoft's standard tables from Microsoft's own table reference (metadata/microsoft/*.md, converted to
// metadata/standard-schema.json by scripts/convert-microsoft-metadata.ts). The model builder lays the
// solution over them; only platform tables (system-tables.ts, alm-tables.ts) remain hand-listed. Columns of types the emulator does not store (EntityName, Image, …) and
// lookups whose every target table is absent from the emulator are left out and listed in `skipped`.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { attr } from './model.ts';
import type { AttributeMeta, AttributeType, OptionMeta, RequiredLevel } from './model.ts';
import { parseReferencePage } from './microsoft-reference.ts';
import type { MsColumn, MsTable } from './microsoft-reference.ts';
import type { TableSpec } from './table-builder.ts';

export interface StandardSchema {
  source: string;
  tables: MsTable[];
}

const PAGES = new URL('../../metadata/microsoft/', import.meta.url);
const JSON_FILE = new URL('../../metadata/standard-schema.json', import.meta.url);

/** Parses every vendored page (the converter script's work; also used by the freshness test). */
export function convertVendoredPages(): StandardSchema {
  const dir = fileURLToPath(PAGES);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort();
  return {
    source: 'learn.microsoft.com/power-apps/developer/data-platform/reference/entities (see metadata/SOURCES.md)',
    tables: files.map((f) => parseReferencePage(readFileSync(`${dir}/${f}`, 'utf8'))),
  };
}

let cached: StandardSchema | undefined;
export function loadStandardSchema(): StandardSchema {
  cached ??= JSON.parse(readFileSync(JSON_FILE, 'utf8')) as StandardSchema;
  return cached;
}

const TYPES: Record<string, AttributeType> = {
  String: 'string',
  Memo: 'memo',
  Integer: 'integer',
  BigInt: 'bigint',
  Decimal: 'decimal',
  Double: 'double',
  Money: 'money',
  Boolean: 'boolean',
  DateTime: 'datetime',
  Picklist: 'picklist',
  State: 'state',
  Status: 'status',
  Lookup: 'lookup',
  Customer: 'customer',
  Owner: 'owner',
  Uniqueidentifier: 'uniqueidentifier',
  EntityName: 'entityname',
};

const LEVELS: Record<string, RequiredLevel> = {
  None: 'none',
  Recommended: 'recommended',
  ApplicationRequired: 'applicationrequired',
  SystemRequired: 'systemrequired',
};

/** Columns table-builder.ts adds to every table itself (ids, audit, owner, state/status). */
const BUILT_IN = new Set([
  'createdon',
  'modifiedon',
  'createdby',
  'modifiedby',
  'versionnumber',
  'ownerid',
  'statecode',
  'statuscode',
]);

/**
 * Microsoft's OwnershipType as the emulator keeps it. BusinessOwned tables (systemuser, businessunit, team) have no
 * `ownerid`: they belong to a business unit, so no user/business-unit depth applies to them (principal.ts), as for
 * the emulator's other tables without an owner.
 */
const OWNERSHIP: Record<string, TableSpec['ownership']> = {
  UserOwned: 'UserOwned',
  OrganizationOwned: 'OrganizationOwned',
  BusinessOwned: 'None',
  None: 'None',
};

export interface StandardTables {
  specs: TableSpec[];
  skipped: { table: string; column: string; reason: string }[];
}

/** Table specs for the emulator; `known` = every table the emulator hosts (lookup targets are filtered by it). */
export function standardTableSpecs(schema: StandardSchema, known: Set<string>): StandardTables {
  const skipped: StandardTables['skipped'] = [];
  const specs: TableSpec[] = [];
  for (const t of schema.tables) {
    const attributes: AttributeMeta[] = [];
    const states = t.columns.find((c) => c.logicalName === 'statecode')?.options;
    const statuses = t.columns.find((c) => c.logicalName === 'statuscode')?.options;
    for (const c of t.columns) {
      if (c.logicalName === t.primaryIdAttribute || BUILT_IN.has(c.logicalName)) continue;
      const a = typeOfLookup(c, t) ?? toAttribute(c, known);
      if (typeof a === 'string') skipped.push({ table: t.logicalName, column: c.logicalName, reason: a });
      else attributes.push(a);
    }
    const collectionNames: Record<string, string> = {};
    const navigationNames: Record<string, string> = {};
    for (const r of schema.tables.flatMap((x) => x.relationships)) {
      if (r.referencingEntity !== t.logicalName || !r.referencingAttribute || !r.referencedEntity) continue;
      const key = `${r.referencingAttribute}_${r.referencedEntity}`;
      if (r.referencedNavigation) collectionNames[key] = r.referencedNavigation;
      else collectionNames[key] ??= r.schemaName;
      if (r.referencingNavigation) navigationNames[key] = r.referencingNavigation;
    }
    specs.push({
      logicalName: t.logicalName,
      entitySetName: t.entitySetName,
      schemaName: t.schemaName,
      objectTypeCode: 0,
      primaryIdAttribute: t.primaryIdAttribute,
      primaryNameAttribute: t.primaryNameAttribute,
      ownership: OWNERSHIP[t.ownership] ?? 'UserOwned',
      attributes,
      ...(states?.length ? { states: states as OptionMeta[], statuses: (statuses ?? []) as OptionMeta[] } : {}),
      collectionNames,
      navigationNames,
    });
  }
  return { specs, skipped };
}

/**
 * An EntityName column that only names the table of a polymorphic lookup on the same page (`owneridtype`,
 * `regardingobjecttypecode`, `customeridtype`, `partyobjecttypecode`): the Web API gives that as the lookup's
 * `@Microsoft.Dynamics.CRM.lookuplogicalname` annotation, not as a property, so it is left out. Other EntityName
 * columns (activitypointer.activitytypecode) are loaded.
 */
function typeOfLookup(c: MsColumn, t: MsTable): string | undefined {
  if (c.type !== 'EntityName') return undefined;
  for (const l of t.columns) {
    if (!l.targets) continue;
    const stem = l.logicalName.replace(/id$/, '');
    if ([`${l.logicalName}type`, `${stem}typecode`, `${stem}objecttypecode`].includes(c.logicalName))
      return `the table of the lookup ${l.logicalName} (its lookuplogicalname annotation)`;
  }
  return undefined;
}

function toAttribute(c: MsColumn, known: Set<string>): AttributeMeta | string {
  const type = TYPES[c.type];
  if (!type) return `type ${c.type} is not stored by the emulator`;
  const extra: Partial<AttributeMeta> = {
    schemaName: c.schemaName,
    requiredLevel: LEVELS[c.requiredLevel] ?? 'none',
    validForCreate: c.validForCreate,
    validForUpdate: c.validForUpdate,
  };
  if (c.maxLength !== undefined) extra.maxLength = c.maxLength;
  if (c.minValue !== undefined) extra.minValue = c.minValue;
  if (c.maxValue !== undefined) extra.maxValue = c.maxValue;
  if (c.precision !== undefined) extra.precision = c.precision;
  if (c.options) extra.options = c.options;
  // only where the platform cannot leave the column empty (SystemRequired): see AttributeMeta.defaultValue
  if (c.defaultValue !== undefined && c.requiredLevel === 'SystemRequired') extra.defaultValue = c.defaultValue;
  if ((type === 'lookup' || type === 'customer' || type === 'owner') && !c.targets?.length)
    return 'no target table named on the page';
  if (c.targets) {
    const targets = c.targets.filter((x) => known.has(x));
    if (targets.length === 0) return `no target table hosted (${c.targets.join(', ')})`;
    extra.targets = targets;
  }
  return attr(c.logicalName, type, extra);
}
