// Entity operations of the Web API: one handler per operation, all going through the same data
// layer. Status codes and headers per create-entity-web-api.md, update-delete-entities-using-web-api.md,
// perform-conditional-operations-using-web-api.md, retrieve-entity-using-web-api.md, bulk-operations.md.
import type { OpContext, Row } from '../data/context.ts';
import { API_PATH } from '../data/context.ts';
import {
  MAX_PAGE_SIZE,
  checkQueryOptions,
  contextSelect,
  makeSkipToken,
  parseSkipToken,
  queryRows,
  shapeRows,
} from '../data/query.ts';
import { createRecord, deleteRecord, getRow, updateRecord, upsertRecord } from '../data/records.ts';
import { entityBySet, findId, parseKeyPredicate, resolveReference, splitEntityPath } from '../data/references.ts';
import type { KeyPredicate } from '../data/references.ts';
import { jsonValue, outputName } from '../data/format.ts';
import { Errors } from '../errors.ts';
import type { EntityMeta, RelationshipMeta } from '../metadata/model.ts';
import { parseQueryOptions } from '../odata/query-options.ts';
import type { QueryOptions } from '../odata/query-options.ts';
import { col } from '../storage/schema.ts';
import { bulk } from './bulk.ts';
import { retrieveUserPrivileges } from '../data/user-privileges.ts';
import { manyToMany } from '../data/many-to-many.ts';
import { checkPrivilege } from '../auth/principal.ts';
import { empty, json, parsePrefer } from './types.ts';
import type { ApiRequest, ApiResponse, Prefer } from './types.ts';

function optionsOf(req: ApiRequest): QueryOptions {
  const m = new Map<string, string>();
  for (const [k, v] of req.query) m.set(k, v);
  return parseQueryOptions(m);
}

function parseBody(req: ApiRequest): Row {
  if (!req.body) return {};
  try {
    const v = JSON.parse(req.body) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Row;
  } catch {
    throw Errors.badPayload('The request body is not valid JSON for an entity.');
  }
}

function entityUrl(ctx: OpContext, e: EntityMeta, keyText: string): string {
  return `${ctx.orgUrl}${API_PATH}${e.entitySetName}(${keyText})`;
}

async function representation(
  ctx: OpContext,
  e: EntityMeta,
  id: string,
  opts: QueryOptions,
  prefer: Prefer,
): Promise<Row> {
  const r = await queryRows(
    ctx,
    e,
    { ...opts, filter: undefined, count: false },
    { pageSize: 1, page: 1 },
    {
      sql: `a0.${col(e.primaryIdAttribute)} = $1`,
      params: [id],
    },
  );
  const [row] = await shapeRows(ctx, e, r.rows, opts, prefer.annotations);
  return {
    '@odata.context': `${ctx.orgUrl}${API_PATH}$metadata#${e.entitySetName}${contextSelect(opts)}/$entity`,
    ...row,
  };
}

function preferenceHeaders(prefer: Prefer): Record<string, string> {
  const applied: string[] = [];
  if (prefer.returnRepresentation) applied.push('return=representation');
  return applied.length ? { 'Preference-Applied': applied.join(',') } : {};
}

export async function handleEntityRequest(req: ApiRequest, ctx: OpContext): Promise<ApiResponse> {
  const prefer = parsePrefer(req.headers.prefer);
  const segments = splitSegments(req.path);
  const first = segments[0] ?? '';
  const { set, key } = splitEntityPath(first);
  const e = entityBySet(ctx.model, set);
  const method = req.method.toUpperCase();

  if (!key) {
    if (segments.length === 1) {
      if (method === 'GET') return list(req, ctx, e, prefer);
      if (method === 'POST') return create(req, ctx, e, prefer);
      throw Errors.methodNotAllowed(method);
    }
    if (segments[1] === '$count' && method === 'GET') return countAll(req, ctx, e);
    const action = segments[1]?.replace(/^Microsoft\.Dynamics\.CRM\./, '');
    if (
      method === 'POST' &&
      (action === 'CreateMultiple' || action === 'UpdateMultiple' || action === 'UpsertMultiple')
    ) {
      return bulk(req, ctx, e, action, parseBody(req));
    }
    throw Errors.segmentNotFound(segments[1] ?? '');
  }

  const keyPred = parseKeyPredicate(key);
  if (segments.length === 1) {
    if (method === 'GET') return retrieve(req, ctx, e, keyPred, prefer);
    if (method === 'PATCH') return upsert(req, ctx, e, keyPred, key, prefer);
    if (method === 'DELETE') {
      const id = await findId(ctx, e, keyPred);
      if (!id)
        throw keyPred.kind === 'id' ? Errors.notFound(e.logicalName, keyPred.id) : Errors.keyNotFound(e.logicalName);
      await deleteRecord(ctx, e, id, { ifMatch: req.headers['if-match'] });
      return empty(204);
    }
    throw Errors.methodNotAllowed(method);
  }
  const id = await findId(ctx, e, keyPred);
  if (!id) throw keyPred.kind === 'id' ? Errors.notFound(e.logicalName, keyPred.id) : Errors.keyNotFound(e.logicalName);
  if (
    e.logicalName === 'systemuser' &&
    /^(Microsoft\.Dynamics\.CRM\.)?RetrieveUserPrivileges(\(\))?$/.test(segments[1] ?? '') &&
    method === 'GET'
  ) {
    return json(200, await retrieveUserPrivileges(ctx, e, id));
  }
  return propertyRequest(req, ctx, e, id, segments.slice(1), prefer);
}

function splitSegments(path: string): string[] {
  // split on '/' outside parentheses and quotes (keys may contain '/')
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (const c of path) {
    if (c === "'") quoted = !quoted;
    if (!quoted && c === '(') depth++;
    if (!quoted && c === ')') depth--;
    if (c === '/' && depth === 0 && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.filter((s) => s !== '');
}

async function list(req: ApiRequest, ctx: OpContext, e: EntityMeta, prefer: Prefer): Promise<ApiResponse> {
  const opts = optionsOf(req);
  const page = parseSkipToken(opts.skiptoken);
  const explicitPageSize = prefer.maxPageSize !== undefined;
  if (explicitPageSize && (!Number.isInteger(prefer.maxPageSize) || (prefer.maxPageSize as number) <= 0)) {
    throw Errors.invalidArgument('odata.maxpagesize must be a positive integer');
  }
  // $top is ignored when odata.maxpagesize is requested (page-results.md)
  const pageSize = explicitPageSize
    ? Math.min(prefer.maxPageSize as number, MAX_PAGE_SIZE)
    : opts.top !== undefined
      ? Math.min(opts.top, MAX_PAGE_SIZE)
      : MAX_PAGE_SIZE;
  checkQueryOptions(ctx, e, opts);
  const result = await queryRows(ctx, e, opts, { pageSize, page });
  const rows = await shapeRows(ctx, e, result.rows, opts, prefer.annotations);
  const body: Row = { '@odata.context': `${ctx.orgUrl}${API_PATH}$metadata#${e.entitySetName}${contextSelect(opts)}` };
  if (opts.count) body['@odata.count'] = result.count;
  // Only when asked for through odata.include-annotations; -1 without $count=true (query/count-rows.md)
  if (prefer.annotations?.(TOTAL_RECORD_COUNT)) body[`@${TOTAL_RECORD_COUNT}`] = opts.count ? result.count : -1;
  if (prefer.annotations?.(TOTAL_RECORD_COUNT_LIMIT)) {
    body[`@${TOTAL_RECORD_COUNT_LIMIT}`] = opts.count ? result.countLimitExceeded === true : false;
  }
  body.value = rows;
  const topLimited = !explicitPageSize && opts.top !== undefined;
  if (result.more && !topLimited) {
    const q = new URLSearchParams(req.query);
    q.delete('$skiptoken');
    const last = result.rows[result.rows.length - 1] as Row;
    const qs = [...q.entries()].map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
    qs.push(`$skiptoken=${makeSkipToken(page + 1, String(last[e.primaryIdAttribute]))}`);
    body['@odata.nextLink'] = `${ctx.orgUrl}${API_PATH}${e.entitySetName}?${qs.join('&')}`;
  }
  const headers: Record<string, string> = {};
  const applied: string[] = [];
  if (explicitPageSize) applied.push(`odata.maxpagesize=${pageSize}`);
  if (prefer.annotationsValue !== undefined) applied.push(`odata.include-annotations="${prefer.annotationsValue}"`);
  if (applied.length) headers['Preference-Applied'] = applied.join(',');
  return json(200, body, headers);
}

const TOTAL_RECORD_COUNT = 'Microsoft.Dynamics.CRM.totalrecordcount';
const TOTAL_RECORD_COUNT_LIMIT = 'Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded';

async function countAll(req: ApiRequest, ctx: OpContext, e: EntityMeta): Promise<ApiResponse> {
  const opts = optionsOf(req);
  const r = await queryRows(ctx, e, { ...opts, count: true }, { pageSize: 0, page: 1 });
  return { status: 200, headers: { 'Content-Type': 'text/plain', 'OData-Version': '4.0' }, body: String(r.count ?? 0) };
}

async function create(req: ApiRequest, ctx: OpContext, e: EntityMeta, prefer: Prefer): Promise<ApiResponse> {
  const body = parseBody(req);
  const id = await createRecord(ctx, e, body);
  if (prefer.returnRepresentation) {
    const opts = optionsOf(req);
    // 201 carries the record instead of OData-EntityId; Location lets $batch resolve Content-ID references
    return json(201, await representation(ctx, e, id, opts, prefer), {
      ...preferenceHeaders(prefer),
      Location: entityUrl(ctx, e, id),
    });
  }
  return empty(204, { 'OData-EntityId': entityUrl(ctx, e, id) });
}

async function retrieve(
  req: ApiRequest,
  ctx: OpContext,
  e: EntityMeta,
  key: KeyPredicate,
  prefer: Prefer,
): Promise<ApiResponse> {
  const opts = optionsOf(req);
  checkQueryOptions(ctx, e, opts);
  // by id: one query (the representation itself); by alternate key: resolve the id first
  const id = key.kind === 'id' ? key.id : await findId(ctx, e, key);
  if (!id) throw Errors.keyNotFound(e.logicalName);
  const row = await representation(ctx, e, id, opts, prefer);
  if (!row[e.primaryIdAttribute]) throw Errors.notFound(e.logicalName, id);
  const inm = req.headers['if-none-match'];
  if (inm && inm !== 'null' && inm === row['@odata.etag'] && opts.expand.length === 0 && !prefer.annotations) {
    return empty(304, { ETag: inm });
  }
  return json(200, row, { ETag: String(row['@odata.etag']) });
}

async function upsert(
  req: ApiRequest,
  ctx: OpContext,
  e: EntityMeta,
  key: KeyPredicate,
  keyText: string,
  prefer: Prefer,
): Promise<ApiResponse> {
  const body = parseBody(req);
  const ifMatch = req.headers['if-match'];
  const ifNoneMatch = req.headers['if-none-match'];
  const result = await upsertRecord(ctx, e, key, body, {
    ifMatch: ifMatch && ifMatch !== 'null' ? ifMatch : undefined,
    ifNoneMatch: ifNoneMatch && ifNoneMatch !== 'null' ? ifNoneMatch : undefined,
  });
  if (prefer.returnRepresentation) {
    const opts = optionsOf(req);
    const row = await representation(ctx, e, result.id, opts, prefer);
    return json(result.created ? 201 : 200, row, {
      ...preferenceHeaders(prefer),
      // the new version, as a retrieve answers it (perform-conditional-operations-using-web-api.md)
      ETag: String(row['@odata.etag']),
      Location: entityUrl(ctx, e, result.id),
    });
  }
  return empty(204, { 'OData-EntityId': entityUrl(ctx, e, key.kind === 'id' ? result.id : keyText) });
}

async function propertyRequest(
  req: ApiRequest,
  ctx: OpContext,
  e: EntityMeta,
  id: string,
  rest: string[],
  prefer: Prefer,
): Promise<ApiResponse> {
  const method = req.method.toUpperCase();
  // `nav`, or `nav(<related id>)` when disassociating one row of a collection
  const navSegment = splitEntityPath(rest[0] as string);
  const name = navSegment.set;
  const relatedKey = navSegment.key;
  const isRef = rest[rest.length - 1] === '$ref';
  const nn = manyToMany(ctx.model, e, name);
  if (nn) return manyToManyRequest(req, ctx, e, id, rest, nn, prefer, relatedKey);
  const single = ctx.model.relationships.find(
    (r) => r.referencingEntity === e.logicalName && r.referencingNavigation === name,
  );
  const collection = ctx.model.relationships.find(
    (r) => r.referencedEntity === e.logicalName && r.referencedNavigation === name,
  );
  if (isRef && (single || collection)) {
    if (method === 'GET') return referencesOf(ctx, e, id, single, collection);
    if (method === 'PUT' && single) {
      const ref = String((parseBody(req) as { '@odata.id'?: string })['@odata.id'] ?? '');
      await updateRecord(ctx, e, id, { [`${single.referencingNavigation}@odata.bind`]: ref }, {});
      return empty(204);
    }
    if (method === 'DELETE' && single) {
      await updateRecord(ctx, e, id, { [`${single.referencingNavigation}@odata.bind`]: null }, {});
      return empty(204);
    }
    if (method === 'POST' && collection) {
      const target = await resolveReference(
        ctx,
        String((parseBody(req) as { '@odata.id'?: string })['@odata.id'] ?? ''),
      );
      await updateRecord(
        ctx,
        target.entity,
        target.id,
        { [`${collection.referencingNavigation}@odata.bind`]: `/${e.entitySetName}(${id})` },
        {},
      );
      return empty(204);
    }
    if (method === 'DELETE' && collection) {
      const refId = req.query.get('$id');
      const childEntity = ctx.model.entities.get(collection.referencingEntity) as EntityMeta;
      const target = refId
        ? await resolveReference(ctx, refId)
        : relatedKey
          ? await resolveReference(ctx, `${childEntity.entitySetName}(${relatedKey})`)
          : undefined;
      if (!target) throw Errors.badPayload('The $id of the reference to remove is missing.');
      await updateRecord(
        ctx,
        target.entity,
        target.id,
        { [`${collection.referencingNavigation}@odata.bind`]: null },
        {},
      );
      return empty(204);
    }
    throw Errors.methodNotAllowed(method);
  }
  if (method === 'GET' && single) {
    const row = (await getRow(ctx, e, id)) as Row;
    const target = ctx.model.entities.get(single.referencedEntity) as EntityMeta;
    const tid = row[single.referencingAttribute];
    if (!tid) return empty(204);
    return json(200, await representation(ctx, target, String(tid), optionsOf(req), prefer));
  }
  if (method === 'GET' && collection) {
    const child = ctx.model.entities.get(collection.referencingEntity) as EntityMeta;
    const opts = optionsOf(req);
    const r = await queryRows(
      ctx,
      child,
      opts,
      { pageSize: MAX_PAGE_SIZE, page: 1 },
      {
        sql: `a0.${col(collection.referencingAttribute)} = $1`,
        params: [id],
      },
    );
    return json(200, {
      '@odata.context': `${ctx.orgUrl}${API_PATH}$metadata#${child.entitySetName}`,
      value: await shapeRows(ctx, child, r.rows, opts, prefer.annotations),
    });
  }
  const a = e.attributes.get(/^_(.+)_value$/.exec(name)?.[1] ?? name);
  if (!a) throw Errors.segmentNotFound(name);
  if (method === 'GET') {
    const row = (await getRow(ctx, e, id)) as Row;
    const v = jsonValue(a, row[a.logicalName]);
    if (rest[1] === '$value')
      return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: v === null ? '' : String(v) };
    return json(200, {
      '@odata.context': `${ctx.orgUrl}${API_PATH}$metadata#${e.entitySetName}(${id})/${outputName(a)}`,
      value: v,
    });
  }
  if (method === 'PUT') {
    const v = (parseBody(req) as { value?: unknown }).value;
    await updateRecord(ctx, e, id, { [a.logicalName]: v ?? null }, {});
    return empty(204);
  }
  if (method === 'DELETE') {
    await updateRecord(ctx, e, id, { [a.logicalName]: null }, {});
    return empty(204);
  }
  throw Errors.methodNotAllowed(method);
}

/**
 * GET …/nav/$ref: the related rows as references, `{"@odata.id"}` for a single-valued navigation and
 * `{"value":[{"@odata.id"}]}` for a collection (OData 4.01 Protocol §11.2.8 "Requesting Entity References";
 * associate-disassociate-entities-using-web-api.md).
 */
async function referencesOf(
  ctx: OpContext,
  e: EntityMeta,
  id: string,
  single: RelationshipMeta | undefined,
  collection: RelationshipMeta | undefined,
): Promise<ApiResponse> {
  const metadata = `${ctx.orgUrl}${API_PATH}$metadata`;
  if (single) {
    const row = (await getRow(ctx, e, id)) as Row;
    const target = ctx.model.entities.get(single.referencedEntity) as EntityMeta;
    const tid = row[single.referencingAttribute];
    if (!tid) return empty(204);
    return json(200, {
      '@odata.context': `${metadata}#$ref`,
      '@odata.id': `${ctx.orgUrl}${API_PATH}${target.entitySetName}(${String(tid)})`,
    });
  }
  const rel = collection as RelationshipMeta;
  const child = ctx.model.entities.get(rel.referencingEntity) as EntityMeta;
  const r = await queryRows(
    ctx,
    child,
    { select: [child.primaryIdAttribute], orderby: [], expand: [], count: false },
    { pageSize: MAX_PAGE_SIZE, page: 1 },
    { sql: `a0.${col(rel.referencingAttribute)} = $1`, params: [id] },
  );
  return json(200, {
    '@odata.context': `${metadata}#Collection($ref)`,
    value: r.rows.map((x) => ({
      '@odata.id': `${ctx.orgUrl}${API_PATH}${child.entitySetName}(${String(x[child.primaryIdAttribute])})`,
    })),
  });
}

/** N:N navigation: GET the related rows, associate (POST …/$ref), disassociate (DELETE …(id)/$ref or ?$id=). */
async function manyToManyRequest(
  req: ApiRequest,
  ctx: OpContext,
  e: EntityMeta,
  id: string,
  rest: string[],
  nn: NonNullable<ReturnType<typeof manyToMany>>,
  prefer: Prefer,
  relatedKey: string | undefined,
): Promise<ApiResponse> {
  const method = req.method.toUpperCase();
  if (method === 'GET' && rest.length === 1 && !relatedKey) {
    const opts = optionsOf(req);
    const r = await queryRows(
      ctx,
      nn.other,
      opts,
      { pageSize: MAX_PAGE_SIZE, page: 1 },
      {
        sql: `a0.${col(nn.other.primaryIdAttribute)} IN (SELECT ${nn.otherColumn} FROM ${nn.rel.intersect} WHERE ${nn.fromColumn} = $1)`,
        params: [id],
      },
    );
    return json(200, {
      '@odata.context': `${ctx.orgUrl}${API_PATH}$metadata#${nn.other.entitySetName}`,
      value: await shapeRows(ctx, nn.other, r.rows, opts, prefer.annotations),
    });
  }
  if (rest[rest.length - 1] !== '$ref') throw Errors.methodNotAllowed(method);
  checkPrivilege(ctx.user, 'Write', e);
  if (method === 'POST') {
    const target = await resolveReference(ctx, String((parseBody(req) as { '@odata.id'?: string })['@odata.id'] ?? ''));
    if (target.entity.logicalName !== nn.other.logicalName)
      throw Errors.badPayload(`${nn.rel.name} links ${e.logicalName} to ${nn.other.logicalName}.`);
    await ctx.tx.query(
      `INSERT INTO ${nn.rel.intersect} (${nn.fromColumn}, ${nn.otherColumn}) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [id, target.id],
    );
    ctx.afterCommit.push(() => ctx.onSecurityChange?.());
    return empty(204);
  }
  if (method === 'DELETE') {
    const refId = req.query.get('$id');
    const otherId = refId ? (await resolveReference(ctx, refId)).id : relatedKey;
    if (!otherId) throw Errors.badPayload('The $id of the reference to remove is missing.');
    await ctx.tx.query(`DELETE FROM ${nn.rel.intersect} WHERE ${nn.fromColumn} = $1 AND ${nn.otherColumn} = $2`, [
      id,
      otherId,
    ]);
    ctx.afterCommit.push(() => ctx.onSecurityChange?.());
    return empty(204);
  }
  throw Errors.methodNotAllowed(method);
}
