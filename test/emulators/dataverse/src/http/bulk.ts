// Bulk messages on an entity set (bulk-operations.md): CreateMultiple → 200 {Ids}, UpdateMultiple → 204,
// UpsertMultiple → 200 {Ids}; every target needs "@odata.type"; all-or-nothing within the request.
import type { OpContext, Row } from '../data/context.ts';
import { API_PATH } from '../data/context.ts';
import { createRecord, updateRecord, upsertRecord } from '../data/records.ts';
import { findId, parseKeyPredicate, splitEntityPath, stripApiPrefix } from '../data/references.ts';
import type { KeyPredicate } from '../data/references.ts';
import { Errors } from '../errors.ts';
import type { EntityMeta } from '../metadata/model.ts';
import { empty, json } from './types.ts';
import type { ApiRequest, ApiResponse } from './types.ts';

/** CreateMultiple / UpdateMultiple / UpsertMultiple (bulk-operations.md): all-or-nothing per request. */
export async function bulk(
  _req: ApiRequest,
  ctx: OpContext,
  e: EntityMeta,
  action: string,
  raw: Row,
): Promise<ApiResponse> {
  const body = raw as { Targets?: Row[] };
  if (!Array.isArray(body.Targets)) throw Errors.badPayload("The parameter 'Targets' is missing.");
  const expectedType = `Microsoft.Dynamics.CRM.${e.logicalName}`;
  const ids: string[] = [];
  for (const t of body.Targets) {
    if (t['@odata.type'] !== expectedType) {
      throw Errors.badPayload(`Every entry of Targets needs "@odata.type": "${expectedType}".`);
    }
    const { '@odata.type': _type, ...fields } = t;
    if (action === 'CreateMultiple') {
      ids.push(await createRecord(ctx, e, fields));
      continue;
    }
    const { '@odata.id': odataId, ...values } = fields;
    const idValue = values[e.primaryIdAttribute];
    let key: KeyPredicate | undefined;
    // "@odata.id": "sample_examples(sample_keyattribute='0')" names the row by its alternate key
    // (bulk-operations.md "UpsertMultiple"; use-upsert-insert-update-record.md)
    if (typeof odataId === 'string') key = keyOfReference(e, odataId);
    else if (typeof idValue === 'string') key = { kind: 'id', id: idValue.toLowerCase() };
    else if (action === 'UpsertMultiple') {
      const k = e.keys.find((k) => k.attributes.every((a) => values[a] !== undefined));
      if (k) key = { kind: 'alternate', values: Object.fromEntries(k.attributes.map((a) => [a, values[a]])) };
    }
    if (!key)
      throw Errors.badPayload(
        `Each target of ${action} needs ${e.primaryIdAttribute}${action === 'UpsertMultiple' ? ' or an alternate key' : ''}.`,
      );
    if (action === 'UpdateMultiple') {
      const id = await findId(ctx, e, key);
      if (!id) throw Errors.notFound(e.logicalName, String(idValue));
      const { [e.primaryIdAttribute]: _id, ...rest } = values;
      await updateRecord(ctx, e, id, rest, {});
      ids.push(id);
    } else {
      const rest = { ...values };
      if (key.kind === 'alternate') for (const a of Object.keys(key.values)) delete rest[a];
      const r = await upsertRecord(ctx, e, key, rest, {});
      ids.push(r.id);
    }
  }
  if (action === 'UpdateMultiple') return empty(204);
  return json(200, {
    '@odata.context': `${ctx.orgUrl}${API_PATH}$metadata#Microsoft.Dynamics.CRM.${action}Response`,
    Ids: ids,
  });
}

function keyOfReference(e: EntityMeta, ref: string): KeyPredicate {
  const { set, key } = splitEntityPath(stripApiPrefix(ref));
  if (set !== e.entitySetName || !key) {
    throw Errors.badPayload(`The @odata.id '${ref}' does not identify a ${e.logicalName} record.`);
  }
  return parseKeyPredicate(key);
}
