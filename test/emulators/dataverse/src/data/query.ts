// Reads: retrieve by id/key and retrieveMultiple with $filter/$orderby/$top/$count, paging and
// $expand (single- and collection-valued, nested options). Paging follows query/page-results.md:
// `Prefer: odata.maxpagesize` → `@odata.nextLink` with a `$skiptoken` paging cookie.
import { checkPrivilege, ownOnly } from '../auth/principal.ts';
import { Errors } from '../errors.ts';
import type { EntityMeta } from '../metadata/model.ts';
import type { QueryOptions } from '../odata/query-options.ts';
import { compileFilter, resolveAttribute } from '../odata/sql-filter.ts';
import type { SqlContext } from '../odata/sql-filter.ts';
import { col, tableName, typeColumn } from '../storage/schema.ts';
import { API_PATH } from './context.ts';
import type { OpContext, Row } from './context.ts';
import { BASE_CURRENCY_KEY, currencyKey, FORMATTED_VALUE, formatRow, selectedAttributes } from './format.ts';
import type { AnnotationFilter } from './format.ts';
import { manyToMany } from './many-to-many.ts';
import { maskSecuredReads } from './field-security.ts';

export const MAX_PAGE_SIZE = 5000;

export interface PageRequest {
  pageSize: number;
  page: number;
}

export interface QueryResult {
  rows: Row[];
  more: boolean;
  count?: number;
  /** more rows match than the count reports (query/count-rows.md: counts stop at 5,000) */
  countLimitExceeded?: boolean;
}

function sqlContext(ctx: OpContext, params: unknown[] = []): SqlContext {
  return {
    model: ctx.model,
    params,
    now: new Date(ctx.clock.now()),
    userId: ctx.user.systemuserid,
    aliasCounter: { n: 0 },
  };
}

function orderClause(sc: SqlContext, e: EntityMeta, opts: QueryOptions): string {
  const parts = opts.orderby.map((o) => {
    if (o.path.length !== 1) throw Errors.queryNotSupported('$orderby on navigation paths is not supported');
    const a = resolveAttribute(e, o.path[0] as string);
    return `a0.${col(a.logicalName)} ${o.desc ? 'DESC' : 'ASC'} NULLS ${o.desc ? 'FIRST' : 'LAST'}`;
  });
  parts.push(`a0."createdon" ASC`, `a0.${col(e.primaryIdAttribute)} ASC`);
  void sc;
  return parts.join(', ');
}

export async function queryRows(
  ctx: OpContext,
  e: EntityMeta,
  opts: QueryOptions,
  paging: PageRequest,
  extraWhere?: { sql: string; params: unknown[] },
): Promise<QueryResult> {
  checkPrivilege(ctx.user, 'Read', e);
  const sc = sqlContext(ctx, [...(extraWhere?.params ?? [])]);
  const where: string[] = [];
  if (extraWhere) where.push(extraWhere.sql);
  // Basic-depth Read: only the caller's own rows are visible, in lists and by id alike
  if (ownOnly(ctx.user, 'Read', e)) {
    sc.params.push(ctx.user.systemuserid);
    where.push(`a0."ownerid" = $${sc.params.length}`);
  }
  if (opts.filter) where.push(compileFilter(sc, e, 'a0', opts.filter));
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const limit = paging.pageSize;
  const offset = (paging.page - 1) * paging.pageSize;
  const sql = `SELECT ${selectList(e, opts)} FROM ${tableName(e)} a0 ${whereSql} ORDER BY ${orderClause(sc, e, opts)} LIMIT ${limit + 1} OFFSET ${offset}`;
  const r = await ctx.tx.query<Row>(sql, sc.params);
  const more = r.rows.length > limit;
  const rows = more ? r.rows.slice(0, limit) : r.rows;
  let count: number | undefined;
  let countLimitExceeded: boolean | undefined;
  if (opts.count) {
    const c = await ctx.tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${tableName(e)} a0 ${whereSql}`,
      sc.params,
    );
    const n = Number(c.rows[0]?.n ?? 0);
    count = Math.min(n, MAX_PAGE_SIZE);
    countLimitExceeded = n > MAX_PAGE_SIZE;
  }
  return { rows, more, count, countLimitExceeded };
}

function navigationOf(ctx: OpContext, e: EntityMeta, name: string): 'single' | 'collection' | 'nn' | undefined {
  if (ctx.model.relationships.some((r) => r.referencingEntity === e.logicalName && r.referencingNavigation === name))
    return 'single';
  if (ctx.model.relationships.some((r) => r.referencedEntity === e.logicalName && r.referencedNavigation === name))
    return 'collection';
  return manyToMany(ctx.model, e, name) ? 'nn' : undefined;
}

function expandTarget(ctx: OpContext, e: EntityMeta, name: string): EntityMeta | undefined {
  const single = ctx.model.relationships.find(
    (r) => r.referencingEntity === e.logicalName && r.referencingNavigation === name,
  );
  if (single) return ctx.model.entities.get(single.referencedEntity);
  const collection = ctx.model.relationships.find(
    (r) => r.referencedEntity === e.logicalName && r.referencedNavigation === name,
  );
  if (collection) return ctx.model.entities.get(collection.referencingEntity);
  return manyToMany(ctx.model, e, name)?.other;
}

function hasNestedExpand(opts: QueryOptions): boolean {
  return opts.expand.some((x) => x.options.expand.length > 0);
}

/**
 * Rejects what Dataverse rejects before reading any row, so an empty table answers like a full one:
 * unknown $select columns (web-api-client-errors "Could not find a property named"), unknown navigation
 * properties, `/$ref` on a collection, and $top/$orderby inside a single-valued or nested $expand
 * (query/join-tables.md).
 */
export function checkQueryOptions(
  ctx: OpContext,
  e: EntityMeta,
  opts: QueryOptions,
  nested = hasNestedExpand(opts),
): void {
  selectedAttributes(e, opts.select);
  for (const x of opts.expand) {
    const kind = navigationOf(ctx, e, x.navigation);
    const target = expandTarget(ctx, e, x.navigation);
    if (!kind || !target) throw Errors.propertyNotFound(x.navigation, e.logicalName);
    if (x.ref && kind !== 'single')
      throw Errors.queryNotSupported('Expand with $ref is only supported on lookup type navigation property.');
    if ((kind === 'single' || nested) && (x.options.top !== undefined || x.options.orderby.length > 0)) {
      throw Errors.queryNotSupported(
        'Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.',
      );
    }
    checkQueryOptions(ctx, target, x.options, nested);
  }
}

/** The select list of `@odata.context`: `accounts(name,primarycontactid(fullname),Account_Tasks(subject))` (query/join-tables.md). */
export function contextSelect(opts: QueryOptions): string {
  const parts: string[] = [...(opts.select ?? [])];
  for (const x of opts.expand) {
    if (x.ref) parts.push(x.navigation, `${x.navigation}/$ref()`);
    else parts.push(`${x.navigation}${contextSelect(x.options) || '()'}`);
  }
  return parts.length ? `(${parts.join(',')})` : '';
}

/**
 * Columns to read: with $select only what the response and $expand need (wide tables cost real time
 * in the WASM database), otherwise everything.
 */
function selectList(e: EntityMeta, opts: QueryOptions): string {
  if (!opts.select || opts.select.includes('*')) return 'a0.*';
  const names = new Set<string>([e.primaryIdAttribute, 'versionnumber']);
  const add = (logical: string): void => {
    const a = e.attributes.get(logical);
    if (!a) return;
    names.add(a.logicalName);
    const tc = typeColumn(a);
    if (tc) names.add(tc);
  };
  for (const s of opts.select) add(/^_(.+)_value$/.exec(s)?.[1] ?? s);
  // single-valued $expand needs the lookup column (collection and N:N use the primary id)
  for (const a of e.attributes.values()) if (a.targets) add(a.logicalName);
  return [...names].map((n) => `a0.${col(n)}`).join(', ');
}

/** Names of lookup targets for FormattedValue annotations. */
async function lookupNames(ctx: OpContext, e: EntityMeta, rows: Row[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const a of e.attributes.values()) {
    if (!a.targets) continue;
    const ids = rows.map((r) => r[a.logicalName]).filter((v): v is string => typeof v === 'string');
    if (!ids.length) continue;
    for (const t of a.targets) {
      const te = ctx.model.entities.get(t);
      if (!te || !te.attributes.has(te.primaryNameAttribute)) continue;
      const tc = typeColumn(a);
      const wanted = tc ? rows.filter((r) => r[tc] === t).map((r) => r[a.logicalName] as string) : ids;
      if (!wanted.length) continue;
      const r = await ctx.tx.query<{ id: string; name: string }>(
        `SELECT ${col(te.primaryIdAttribute)} AS id, ${col(te.primaryNameAttribute)} AS name FROM ${tableName(te)} WHERE ${col(te.primaryIdAttribute)} = ANY($1::uuid[])`,
        [wanted],
      );
      for (const x of r.rows) names.set(`${a.logicalName}:${x.id}`, x.name);
    }
  }
  if ([...e.attributes.values()].some((a) => a.type === 'money')) await currencyFormats(ctx, names);
  return names;
}

/** Symbol and precision of every currency (a handful of rows), for money FormattedValue. */
async function currencyFormats(ctx: OpContext, names: Map<string, string>): Promise<void> {
  const ce = ctx.model.entities.get('transactioncurrency');
  if (!ce) return;
  const r = await ctx.tx.query<{ id: string; symbol: string; precision: number | null; rate: string }>(
    `SELECT transactioncurrencyid AS id, currencysymbol AS symbol, currencyprecision AS precision, exchangerate AS rate FROM ${tableName(ce)} ORDER BY createdon`,
  );
  for (const x of r.rows) {
    const format = `${x.symbol}|${x.precision ?? 2}`;
    names.set(currencyKey(x.id), format);
    if (Number(x.rate) === 1 && !names.has(BASE_CURRENCY_KEY)) names.set(BASE_CURRENCY_KEY, format);
  }
}

/** Formats rows and resolves $expand. */
export async function shapeRows(
  ctx: OpContext,
  e: EntityMeta,
  rows: Row[],
  opts: QueryOptions,
  annotations: AnnotationFilter | undefined,
): Promise<Row[]> {
  await maskSecuredReads(ctx, e, rows);
  const names = annotations?.(FORMATTED_VALUE) ? await lookupNames(ctx, e, rows) : undefined;
  const navigation = (attribute: string, target: string): string | undefined =>
    ctx.model.relationships.find(
      (r) =>
        r.referencingEntity === e.logicalName && r.referencingAttribute === attribute && r.referencedEntity === target,
    )?.referencingNavigation;
  const out = rows.map((r) => formatRow(e, r, { select: opts.select, annotations, navigation }, names));
  for (const x of opts.expand) {
    const single = ctx.model.relationships.find(
      (r) => r.referencingEntity === e.logicalName && r.referencingNavigation === x.navigation,
    );
    const collection = ctx.model.relationships.find(
      (r) => r.referencedEntity === e.logicalName && r.referencedNavigation === x.navigation,
    );
    if (single && x.ref) {
      const target = ctx.model.entities.get(single.referencedEntity) as EntityMeta;
      const a = e.attributes.get(single.referencingAttribute);
      const tc = a ? typeColumn(a) : undefined;
      rows.forEach((r, i) => {
        const id = r[single.referencingAttribute];
        const matches = !tc || r[tc] === single.referencedEntity;
        const o = out[i] as Row;
        if (a) o[`_${a.logicalName}_value`] = id ?? null;
        o[x.navigation] =
          id && matches ? { '@odata.id': `${ctx.orgUrl}${API_PATH}${target.entitySetName}(${String(id)})` } : null;
      });
    } else if (single) {
      const target = ctx.model.entities.get(single.referencedEntity) as EntityMeta;
      const ids = [
        ...new Set(rows.map((r) => r[single.referencingAttribute]).filter((v): v is string => typeof v === 'string')),
      ];
      const related = ids.length
        ? (
            await queryRows(
              ctx,
              target,
              { ...x.options, count: false },
              { pageSize: MAX_PAGE_SIZE, page: 1 },
              {
                sql: `a0.${col(target.primaryIdAttribute)} = ANY($1::uuid[])`,
                params: [ids],
              },
            )
          ).rows
        : [];
      const shaped = await shapeRows(ctx, target, related, x.options, annotations);
      const byId = new Map(shaped.map((s) => [s[target.primaryIdAttribute] as string, s]));
      rows.forEach((r, i) => {
        const tc = typeColumn(e.attributes.get(single.referencingAttribute) as never);
        const matches = !tc || r[tc] === single.referencedEntity;
        (out[i] as Row)[x.navigation] = matches ? (byId.get(r[single.referencingAttribute] as string) ?? null) : null;
      });
    } else if (collection) {
      const child = ctx.model.entities.get(collection.referencingEntity) as EntityMeta;
      const ids = rows.map((r) => r[e.primaryIdAttribute] as string);
      const withParent =
        x.options.select && !x.options.select.includes(collection.referencingAttribute)
          ? { ...x.options, select: [...x.options.select, collection.referencingAttribute] }
          : x.options;
      const related = ids.length
        ? (
            await queryRows(
              ctx,
              child,
              { ...withParent, count: false },
              { pageSize: MAX_PAGE_SIZE, page: 1 },
              {
                sql: `a0.${col(collection.referencingAttribute)} = ANY($1::uuid[])`,
                params: [ids],
              },
            )
          ).rows
        : [];
      const shaped = await shapeRows(ctx, child, related, withParent, annotations);
      rows.forEach((r, i) => {
        let list = shaped.filter(
          (_, j) => (related[j] as Row)[collection.referencingAttribute] === r[e.primaryIdAttribute],
        );
        if (x.options.top !== undefined) list = list.slice(0, x.options.top);
        (out[i] as Row)[x.navigation] = list;
        // the filtered collection with the same options (query/join-tables.md "Single $expand on
        // collection-valued navigation properties"); no paging information, so it is always present
        const qs = x.rawOptions
          ? `?${x.rawOptions
              .split(';')
              .map((p) => p.trim())
              .join('&')}`
          : '';
        (out[i] as Row)[`${x.navigation}@odata.nextLink`] =
          `${ctx.orgUrl}${API_PATH}${e.entitySetName}(${String(r[e.primaryIdAttribute])})/${x.navigation}${qs}`;
      });
    } else if (manyToMany(ctx.model, e, x.navigation)) {
      const nn = manyToMany(ctx.model, e, x.navigation) as NonNullable<ReturnType<typeof manyToMany>>;
      const ids = rows.map((r) => r[e.primaryIdAttribute] as string);
      const links = ids.length
        ? (
            await ctx.tx.query<{ f: string; o: string }>(
              `SELECT ${nn.fromColumn} AS f, ${nn.otherColumn} AS o FROM ${nn.rel.intersect} WHERE ${nn.fromColumn} = ANY($1::uuid[])`,
              [ids],
            )
          ).rows
        : [];
      const otherIds = [...new Set(links.map((l) => l.o))];
      const related = otherIds.length
        ? (
            await queryRows(
              ctx,
              nn.other,
              { ...x.options, count: false },
              { pageSize: MAX_PAGE_SIZE, page: 1 },
              {
                sql: `a0.${col(nn.other.primaryIdAttribute)} = ANY($1::uuid[])`,
                params: [otherIds],
              },
            )
          ).rows
        : [];
      const shaped = await shapeRows(ctx, nn.other, related, x.options, annotations);
      rows.forEach((r, i) => {
        const mine = new Set(links.filter((l) => l.f === r[e.primaryIdAttribute]).map((l) => l.o));
        (out[i] as Row)[x.navigation] = shaped.filter((_, j) =>
          mine.has((related[j] as Row)[nn.other.primaryIdAttribute] as string),
        );
      });
    } else {
      throw Errors.propertyNotFound(x.navigation, e.logicalName);
    }
  }
  return out;
}

export function parseSkipToken(token: string | undefined): number {
  if (!token) return 1;
  const m = /pagenumber="(\d+)"/.exec(decodeURIComponent(token));
  if (!m) throw Errors.syntax('invalid $skiptoken');
  return Number(m[1]);
}

/** Paging cookie in Dataverse's shape; only pagenumber is read back. */
export function makeSkipToken(page: number, lastId: string): string {
  const cookie = `<cookie pagenumber="${page}" pagingcookie="%253ccookie%2520page%253d%2522${page - 1}%2522%253e%253cid%2520last%253d%2522%257b${lastId.toUpperCase()}%257d%2522%2520%252f%253e%253c%252fcookie%253e" istracking="False" />`;
  return encodeURIComponent(cookie);
}
