// Alternate keys created through the Web API: POST EntityDefinitions(LogicalName='x')/Keys with
// {SchemaName, DisplayName, KeyAttributes} → 204 + OData-EntityId (learn.microsoft.com/power-apps/developer/
// data-platform/define-alternate-keys-entity "Create alternate keys with the Web API"). Dataverse builds the
// index in a system job; here the unique index is built at once, and existing duplicates fail the request
// as a Failed index status would.
import { randomUUID } from 'node:crypto';
import { Errors } from '../errors.ts';
import type { Queryable } from '../storage/database.ts';
import { col, tableName } from '../storage/schema.ts';
import type { EntityMeta } from './model.ts';

export interface KeyDefinition {
  SchemaName?: unknown;
  KeyAttributes?: unknown;
}

export async function createEntityKey(
  db: Queryable,
  e: EntityMeta,
  body: KeyDefinition,
): Promise<{ metadataId: string; name: string }> {
  if (typeof body.SchemaName !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(body.SchemaName)) {
    throw Errors.badPayload("The property 'SchemaName' of the key is missing or invalid.");
  }
  const attrs = body.KeyAttributes;
  if (!Array.isArray(attrs) || attrs.length === 0 || !attrs.every((a) => typeof a === 'string')) {
    throw Errors.badPayload("The property 'KeyAttributes' of the key must list at least one column.");
  }
  for (const a of attrs) if (!e.attributes.has(a)) throw Errors.propertyNotFound(a, e.logicalName);
  const name = body.SchemaName.toLowerCase();
  if (e.keys.some((k) => k.name === name)) throw Errors.duplicate();
  await db.exec(
    `CREATE UNIQUE INDEX "uk_${e.logicalName}_${name}" ON ${tableName(e)} (${attrs.map((a) => col(a)).join(', ')})`,
  );
  e.keys.push({ name, attributes: attrs });
  return { metadataId: randomUUID(), name };
}
