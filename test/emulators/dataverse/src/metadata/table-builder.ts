// Builds EntityMeta with the columns every Dataverse table has (ids, audit, owner, state/status,
// versionnumber) and the currency columns money tables get, so table definitions list only what is
// specific to them. Money: every money column has a read-only `<col>_base` twin computed with the
// row's exchangerate (dataverse.md §4).
import { attr } from './model.ts';
import type { AttributeMeta, EntityMeta, KeyMeta, OptionMeta, RelationshipMeta } from './model.ts';

export interface TableSpec {
  logicalName: string;
  /** Microsoft's SchemaName (`Account`); the logical name when absent */
  schemaName?: string;
  entitySetName: string;
  objectTypeCode: number;
  primaryIdAttribute?: string;
  primaryNameAttribute?: string;
  ownership?: EntityMeta['ownership'];
  isCustom?: boolean;
  displayName?: string;
  attributes: AttributeMeta[];
  keys?: KeyMeta[];
  /** statecode options (with defaultStatus) and statuscode options (with state) */
  states?: OptionMeta[];
  statuses?: OptionMeta[];
  /** explicit collection-valued navigation names: lookup attribute (or `<attribute>_<target>`) → name */
  collectionNames?: Record<string, string>;
  /** explicit single-valued navigation names: lookup attribute (or `<attribute>_<target>`) → name */
  navigationNames?: Record<string, string>;
}

export function systemAttributes(spec: TableSpec): AttributeMeta[] {
  const ro = { validForCreate: false, validForUpdate: false };
  const list: AttributeMeta[] = [
    attr('createdon', 'datetime', ro),
    attr('modifiedon', 'datetime', ro),
    attr('createdby', 'lookup', { ...ro, targets: ['systemuser'] }),
    attr('modifiedby', 'lookup', { ...ro, targets: ['systemuser'] }),
    attr('versionnumber', 'bigint', ro),
  ];
  if ((spec.ownership ?? 'UserOwned') === 'UserOwned') {
    list.push(attr('ownerid', 'owner', { targets: ['systemuser'], requiredLevel: 'systemrequired' }));
  }
  if (spec.states) {
    list.push(attr('statecode', 'state', { options: spec.states, requiredLevel: 'systemrequired' }));
    list.push(attr('statuscode', 'status', { options: spec.statuses ?? [] }));
  }
  return list;
}

export function buildTable(spec: TableSpec): EntityMeta {
  const attributes = new Map<string, AttributeMeta>();
  const id = spec.primaryIdAttribute ?? `${spec.logicalName}id`;
  attributes.set(id, attr(id, 'uniqueidentifier', { requiredLevel: 'systemrequired', validForUpdate: false }));
  for (const a of [...systemAttributes(spec), ...spec.attributes]) attributes.set(a.logicalName, a);
  addCurrencyColumns(attributes);
  return {
    logicalName: spec.logicalName,
    schemaName: spec.schemaName ?? spec.logicalName,
    entitySetName: spec.entitySetName,
    primaryIdAttribute: id,
    primaryNameAttribute: spec.primaryNameAttribute ?? 'name',
    objectTypeCode: spec.objectTypeCode,
    isCustom: spec.isCustom ?? false,
    ownership: spec.ownership ?? 'UserOwned',
    attributes,
    keys: spec.keys ?? [],
    displayName: spec.displayName ?? spec.logicalName,
    displayCollectionName: spec.entitySetName,
  };
}

/** Tables with money columns get transactioncurrencyid, exchangerate and the `_base` twins. */
export function addCurrencyColumns(attributes: Map<string, AttributeMeta>): void {
  const money = [...attributes.values()].filter((a) => a.type === 'money' && !a.logicalName.endsWith('_base'));
  if (money.length === 0) return;
  if (!attributes.has('transactioncurrencyid')) {
    attributes.set(
      'transactioncurrencyid',
      attr('transactioncurrencyid', 'lookup', { targets: ['transactioncurrency'] }),
    );
  }
  if (!attributes.has('exchangerate')) {
    attributes.set('exchangerate', attr('exchangerate', 'decimal', { validForCreate: false, validForUpdate: false }));
  }
  for (const m of money) {
    const base = `${m.logicalName}_base`;
    if (!attributes.has(base)) {
      attributes.set(base, attr(base, 'money', { validForCreate: false, validForUpdate: false, isCustom: m.isCustom }));
    }
  }
}

/** One relationship per lookup target; navigation names follow Dataverse's conventions. */
export function relationshipsOf(
  e: EntityMeta,
  collectionNames: Record<string, string> = {},
  navigationNames: Record<string, string> = {},
): RelationshipMeta[] {
  const out: RelationshipMeta[] = [];
  for (const a of e.attributes.values()) {
    if (!a.targets || (a.type !== 'lookup' && a.type !== 'customer' && a.type !== 'owner')) continue;
    for (const target of a.targets) {
      const poly = a.targets.length > 1;
      const perTarget = `${a.logicalName}_${target}`;
      const explicit = collectionNames[perTarget] ?? (poly ? undefined : collectionNames[a.logicalName]);
      const schemaName = explicit ?? `${e.logicalName}_${a.logicalName}${poly ? `_${target}` : ''}`;
      out.push({
        schemaName,
        referencedEntity: target,
        referencedAttribute: `${target}id`,
        referencingEntity: e.logicalName,
        referencingAttribute: a.logicalName,
        referencingNavigation:
          navigationNames[perTarget] ?? navigationNames[a.logicalName] ?? (poly ? perTarget : a.logicalName),
        referencedNavigation: schemaName,
      });
    }
  }
  return out;
}
