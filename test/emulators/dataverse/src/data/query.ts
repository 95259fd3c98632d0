// Reads: retrieve by id/key and retrieveMultiple with $filter/$orderby/$top/$count, paging and
// $expand (single- and collection-valued, nested options). Paging follows query/page-results.md:
// `Prefer: odata.maxpagesize` → `@odata.nextLink` with a `$skiptoken` paging cookie.
import { checkPrivilege } from '../auth/principal.ts';
import { Errors } from '../errors.ts';
import type { EntityMeta } from '../metadata/model.ts';
import type { QueryOptions } from '../odata/query-options.ts';
import { compileFilter, resolveAttribute } from '../odata/sql-filter.ts';
import type { SqlContext } from '../odata/sql-filter.ts';
import { col, tableName, typeColumn } from '../storage/schema.ts';
import type { OpContext, Row } from './context.ts';
import { formatRow } from './format.ts';
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
  if (opts.filter) where.push(compileFilter(sc, e, 'a0', opts.filter));
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const limit = paging.pageSize;
  const offset = (paging.page - 1) * paging.pageSize;
  const sql = `SELECT ${selectList(e, opts)} FROM ${tableName(e)} a0 ${whereSql} ORDER BY ${orderClause(sc, e, opts)} LIMIT ${limit + 1} OFFSET ${offset}`;
  const r = await ctx.tx.query<Row>(sql, sc.params);
  const more = r.rows.length > limit;
  const rows = more ? r.rows.slice(0, limit) : r.rows;
  let count: number | undefined;
  if (opts.count) {
    const c = await ctx.tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${tableName(e)} a0 ${whereSql}`,
      sc.params,
    );
    count = Math.min(Number(c.rows[0]?.n ?? 0), MAX_PAGE_SIZE);
  }
  return { rows, more, count };
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
  return names;
}

/** Formats rows and resolves $expand. */
export async function shapeRows(
  ctx: OpContext,
  e: EntityMeta,
  rows: Row[],
  opts: QueryOptions,
  annotations: boolean,
): Promise<Row[]> {
  await maskSecuredReads(ctx, e, rows);
  const names = annotations ? await lookupNames(ctx, e, rows) : undefined;
  const out = rows.map((r) => formatRow(e, r, { select: opts.select, annotations }, names));
  for (const x of opts.expand) {
    const single = ctx.model.relationships.find(
      (r) => r.referencingEntity === e.logicalName && r.referencingNavigation === x.navigation,
    );
    const collection = ctx.model.relationships.find(
      (r) => r.referencedEntity === e.logicalName && r.referencedNavigation === x.navigation,
    );
    if (single) {
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
