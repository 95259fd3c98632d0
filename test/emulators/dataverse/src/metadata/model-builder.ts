// Assembles the emulator's model: standard and platform tables from code, then our solution's tables,
// columns, keys and relationships on top, so tests fail when the emulator and the solution drift.
import { addEntity, attr, emptyModel } from './model.ts';
import type { EntityMeta, KeyMeta, Model, OptionMeta, RelationshipMeta } from './model.ts';
import { addCurrencyColumns, buildTable, relationshipsOf } from './table-builder.ts';
import type { TableSpec } from './table-builder.ts';
import { loadStandardSchema, standardTableSpecs } from './standard-schema.ts';
import { SYSTEM_TABLES } from './system-tables.ts';
import { ALM_TABLES } from './alm-tables.ts';
import type { SolutionContent, SolutionEntity } from './solution-reader.ts';

const DEFAULT_STATES: OptionMeta[] = [
  { value: 0, label: 'Active', defaultStatus: 1 },
  { value: 1, label: 'Inactive', defaultStatus: 2 },
];
const DEFAULT_STATUSES: OptionMeta[] = [
  { value: 1, label: 'Active', state: 0 },
  { value: 2, label: 'Inactive', state: 1 },
];

/** Columns Dataverse maintains itself; the solution's copies of them are ignored. */
const PLATFORM_COLUMNS = new Set([
  'createdon',
  'modifiedon',
  'createdby',
  'modifiedby',
  'versionnumber',
  'createdonbehalfby',
  'modifiedonbehalfby',
  'owningbusinessunit',
  'owninguser',
  'owningteam',
  'importsequencenumber',
  'overriddencreatedon',
  'timezoneruleversionnumber',
  'utcconversiontimezonecode',
]);

export function buildModel(solution: SolutionContent): Model {
  const model = emptyModel();
  const collectionNames = new Map<string, Record<string, string>>();
  const navigationNames = new Map<string, Record<string, string>>();
  for (const spec of standardSpecs()) {
    addEntity(model, buildTable(spec));
    collectionNames.set(spec.logicalName, spec.collectionNames ?? {});
    navigationNames.set(spec.logicalName, spec.navigationNames ?? {});
  }
  let nextTypeCode = 10000;
  for (const se of solution.entities) {
    const existing = model.entities.get(se.logicalName);
    if (existing) extendTable(existing, se);
    else addEntity(model, customTable(se, nextTypeCode++));
  }
  for (const sr of solution.relationships) {
    const a = model.entities.get(sr.referencingEntity)?.attributes.get(sr.referencingAttribute);
    if (a && (a.type === 'lookup' || a.type === 'customer') && !a.targets?.includes(sr.referencedEntity)) {
      a.targets = [...(a.targets ?? []), sr.referencedEntity];
    }
  }
  for (const e of model.entities.values()) {
    model.relationships.push(
      ...relationshipsOf(e, collectionNames.get(e.logicalName), navigationNames.get(e.logicalName)).map((r) =>
        customNavigation(e, r),
      ),
    );
  }
  applySolutionRelationships(model, solution);
  return model;
}

/**
 * Platform tables (system-tables.ts, alm-tables.ts), then Microsoft's standard and Sales tables from the vendored
 * reference pages (standard-schema.ts). A vendored page replaces a hand-listed table of the same name.
 */
export function standardSpecs(): TableSpec[] {
  const handListed = [...SYSTEM_TABLES, ...ALM_TABLES];
  const schema = loadStandardSchema();
  const known = new Set([...handListed.map((t) => t.logicalName), ...schema.tables.map((t) => t.logicalName)]);
  const vendored = new Map(standardTableSpecs(schema, known).specs.map((s) => [s.logicalName, s]));
  let nextTypeCode = 20000;
  const out: TableSpec[] = [];
  for (const spec of handListed) {
    const v = vendored.get(spec.logicalName);
    // Microsoft's reference pages carry no ObjectTypeCode: keep the hand-listed one
    out.push(v ? { ...v, objectTypeCode: spec.objectTypeCode } : spec);
    vendored.delete(spec.logicalName);
  }
  for (const v of vendored.values())
    out.push({
      ...v,
      objectTypeCode: OBJECT_TYPE_CODES[v.logicalName] ?? nextTypeCode++,
      ...(KEYS[v.logicalName] ? { keys: KEYS[v.logicalName] } : {}),
      collectionNames: { ...OTHER_PAGE_COLLECTION_NAMES[v.logicalName], ...v.collectionNames },
    });
  return out;
}

/**
 * Collection-valued navigation names a vendored page of the 2023 layout does not give itself: its Many-To-One
 * entries only name the relationship (the heading) and link to the other table's page, which is not vendored. The
 * name is that heading, Microsoft's relationship schema name, which Dataverse also uses as the collection name
 * (key: `<lookup>_<referenced table>`).
 */
const OTHER_PAGE_COLLECTION_NAMES: Record<string, Record<string, string>> = {
  // sdkmessageprocessingstepimage.md: "sdkmessageprocessingstepid_sdkmessageprocessingstepimage"
  sdkmessageprocessingstepimage: {
    sdkmessageprocessingstepid_sdkmessageprocessingstep: 'sdkmessageprocessingstepid_sdkmessageprocessingstepimage',
  },
};

/**
 * Alternate keys the emulator keeps on vendored platform tables. Microsoft's reference pages list no keys; these are
 * the emulator's own (they were on the hand-listed tables before the pages replaced them) so rows stay addressable
 * by their unique name, e.g. `sdkmessages(name='Create')`.
 */
const KEYS: Record<string, KeyMeta[]> = {
  sdkmessage: [{ name: 'name', attributes: ['name'] }],
  connectionreference: [{ name: 'connectionreferencelogicalname', attributes: ['connectionreferencelogicalname'] }],
};

/** ObjectTypeCode of the vendored tables (Microsoft's values; the reference pages carry none). */
const OBJECT_TYPE_CODES: Record<string, number> = {
  systemuser: 8,
  team: 9,
  businessunit: 10,
  account: 1,
  contact: 2,
  transactioncurrency: 9105,
  task: 4212,
  activitypointer: 4200,
  activityparty: 135,
  uomschedule: 1056,
  uom: 1055,
  pricelevel: 1022,
  product: 1024,
  productpricelevel: 1026,
  salesorder: 1088,
  salesorderdetail: 1089,
  invoice: 1090,
  invoicedetail: 1091,
  sdkmessage: 4606,
  sdkmessagefilter: 4607,
  environmentvariablevalue: 381,
  sdkmessageprocessingstepimage: 4615,
  connectionreference: 10100,
  role: 1036,
};

function extendTable(e: EntityMeta, se: SolutionEntity): void {
  for (const a of se.attributes) {
    if (!e.attributes.has(a.logicalName) && !PLATFORM_COLUMNS.has(a.logicalName)) e.attributes.set(a.logicalName, a);
  }
  for (const k of se.keys) if (!e.keys.some((x) => x.name === k.name)) e.keys.push(k);
  addCurrencyColumns(e.attributes);
}

function customTable(se: SolutionEntity, objectTypeCode: number): EntityMeta {
  const id = se.primaryIdAttribute ?? `${se.logicalName}id`;
  const own = se.attributes.filter((a) => !PLATFORM_COLUMNS.has(a.logicalName) && a.logicalName !== id);
  const stateAttr = own.find((a) => a.type === 'state');
  const statusAttr = own.find((a) => a.type === 'status');
  const spec: TableSpec = {
    logicalName: se.logicalName,
    entitySetName: se.entitySetName ?? `${se.logicalName}s`,
    objectTypeCode,
    primaryIdAttribute: id,
    primaryNameAttribute: se.primaryNameAttribute ?? `${se.logicalName.split('_')[0]}_name`,
    ownership: se.ownership ?? 'UserOwned',
    isCustom: true,
    displayName: se.displayName,
    states: stateAttr?.options?.length ? stateAttr.options : DEFAULT_STATES,
    statuses: statusAttr?.options?.length ? statusAttr.options : DEFAULT_STATUSES,
    attributes: own.filter((a) => a.type !== 'state' && a.type !== 'status' && a.logicalName !== 'ownerid'),
    keys: se.keys,
  };
  const e = buildTable(spec);
  if (!e.attributes.has(e.primaryNameAttribute)) {
    e.attributes.set(
      e.primaryNameAttribute,
      attr(e.primaryNameAttribute, 'string', { maxLength: 100, isCustom: true }),
    );
  }
  if (se.displayCollectionName) e.displayCollectionName = se.displayCollectionName;
  return e;
}

/** Custom lookups navigate by the column's schema name (e.g. `ppc_InvoiceId`), as Dataverse does. */
function customNavigation(e: EntityMeta, r: RelationshipMeta): RelationshipMeta {
  const a = e.attributes.get(r.referencingAttribute);
  if (!a?.isCustom || (a.targets?.length ?? 0) > 1) return r;
  const schemaName = `${r.referencedEntity}_${e.logicalName}_${a.schemaName.toLowerCase()}`;
  return { ...r, referencingNavigation: a.schemaName, schemaName, referencedNavigation: schemaName };
}

function applySolutionRelationships(model: Model, solution: SolutionContent): void {
  for (const sr of solution.relationships) {
    const r = model.relationships.find(
      (x) =>
        x.referencingEntity === sr.referencingEntity &&
        x.referencingAttribute === sr.referencingAttribute &&
        x.referencedEntity === sr.referencedEntity,
    );
    if (!r) continue;
    r.schemaName = sr.name;
    if (sr.referencingNavigation) r.referencingNavigation = sr.referencingNavigation;
    r.referencedNavigation = sr.referencedNavigation ?? sr.name;
  }
}
