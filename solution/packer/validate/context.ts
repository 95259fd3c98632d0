// What the validators know about a source tree: tables, attributes and component ids, indexed once.
import { attrsOf, child, childrenOf, findAll, tagOf, textOf, type ONode } from '../lib/ordered.ts';
import type { PcfControl } from '../source.ts';

/** Standard tables a solution may reference without shipping them. */
export const PLATFORM_TABLES = new Set([
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
  'owner',
]);

/** Platform columns of standard tables our forms and views bind to (the platform defines them, not this solution). */
export const PLATFORM_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  account: [
    'name',
    'accountnumber',
    'emailaddress1',
    'telephone1',
    'primarycontactid',
    'address1_composite',
    'transactioncurrencyid',
    'ownerid',
    'statecode',
    'createdon',
  ],
  contact: [
    'fullname',
    'firstname',
    'lastname',
    'emailaddress1',
    'telephone1',
    'parentcustomerid',
    'address1_composite',
    'transactioncurrencyid',
    'ownerid',
    'statecode',
    'createdon',
  ],
  salesorder: [
    'salesorderid',
    'name',
    'ordernumber',
    'customerid',
    'pricelevelid',
    'transactioncurrencyid',
    'totalamount',
    'statecode',
    'statuscode',
    'createdon',
  ],
  invoice: [
    'name',
    'invoicenumber',
    'customerid',
    'salesorderid',
    'pricelevelid',
    'transactioncurrencyid',
    'totalamount',
    'duedate',
    'statecode',
    'statuscode',
    'createdon',
  ],
};

export interface SourceIndex {
  docs: Map<string, ONode>;
  controls: readonly PcfControl[] | undefined;
  /** table → its Entity.xml path */
  entityFiles: Map<string, string>;
  /** table → attribute logical names declared in its Entity.xml */
  attributes: Map<string, Set<string>>;
  webResources: Set<string>;
  /** entity set name (as the Web API and the Dataverse connector's row actions name a table) → table */
  entitySets: Map<string, string>;
}

export function entityNameOf(root: ONode): string {
  return textOf(child(root, 'Name')).toLowerCase();
}

export function entityAttributes(root: ONode): ONode[] {
  const info = child(root, 'EntityInfo');
  const entity = info ? child(info, 'entity') : undefined;
  const attrs = entity ? child(entity, 'attributes') : undefined;
  return attrs ? childrenOf(attrs).filter((c) => tagOf(c) === 'attribute') : [];
}

export function indexSource(docs: Map<string, ONode>, controls: readonly PcfControl[] | undefined): SourceIndex {
  const entityFiles = new Map<string, string>();
  const attributes = new Map<string, Set<string>>();
  const entitySets = new Map<string, string>();
  for (const [p, root] of docs) {
    if (!/^Entities\/[^/]+\/Entity\.xml$/.test(p)) continue;
    const name = entityNameOf(root);
    entityFiles.set(name, p);
    const info = child(root, 'EntityInfo');
    const entity = info ? child(info, 'entity') : undefined;
    const setName = entity ? child(entity, 'EntitySetName') : undefined;
    if (setName) entitySets.set(textOf(setName).toLowerCase(), name);
    const set = attributes.get(name) ?? new Set<string>();
    for (const a of entityAttributes(root)) set.add(textOf(child(a, 'LogicalName')).toLowerCase());
    for (const extra of PLATFORM_COLUMNS[name] ?? []) set.add(extra);
    attributes.set(name, set);
  }
  const webResources = new Set<string>();
  for (const [p, root] of docs)
    if (p.startsWith('WebResources/') && p.endsWith('.data.xml')) webResources.add(textOf(child(root, 'Name')));
  return { docs, controls, entityFiles, attributes, webResources, entitySets };
}

export function isKnownTable(ix: SourceIndex, name: string): boolean {
  return ix.entityFiles.has(name.toLowerCase()) || PLATFORM_TABLES.has(name.toLowerCase());
}

/**
 * A table as the Dataverse connector's row actions (List rows, Get a row, …) name it: by its entity set name
 * (learn.microsoft.com/connectors/commondataserviceforapps/: "Table name" is the entity set, e.g. `accounts`).
 * Platform tables' sets follow Dataverse's plural of the logical name.
 */
export function isKnownEntitySet(ix: SourceIndex, name: string): boolean {
  const n = name.toLowerCase();
  if (ix.entitySets.has(n)) return true;
  const singulars = [n.replace(/ies$/, 'y'), n.replace(/es$/, ''), n.replace(/s$/, '')].filter((s) => s !== n);
  // A platform table extended by the solution (account, contact: Entity.xml without EntitySetName) keeps
  // Dataverse's set; one whose Entity.xml declares its set is known by that set only (above).
  const declared = new Set(ix.entitySets.values());
  return singulars.some((s) => PLATFORM_TABLES.has(s) && !declared.has(s));
}

export { attrsOf, child, childrenOf, findAll, tagOf, textOf };
