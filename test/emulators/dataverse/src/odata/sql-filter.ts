// Interprets the $filter AST into a parameterised SQL predicate over the entity tables.
// Strings compare case-insensitively, as Dataverse's default collation does.
import { Errors } from '../errors.ts';
import type { AttributeMeta, EntityMeta, Model } from '../metadata/model.ts';
import { col, tableName } from '../storage/schema.ts';
import type { Expr, Literal } from './ast.ts';
import { manyToMany } from '../data/many-to-many.ts';

export interface SqlContext {
  model: Model;
  params: unknown[];
  now: Date;
  userId: string;
  aliasCounter: { n: number };
}

interface Scope {
  entity: EntityMeta;
  alias: string;
  variables: Map<string, { entity: EntityMeta; alias: string }>;
}

export function compileFilter(ctx: SqlContext, entity: EntityMeta, alias: string, expr: Expr): string {
  return compile(ctx, { entity, alias, variables: new Map() }, expr);
}

function param(ctx: SqlContext, v: unknown): string {
  ctx.params.push(v);
  return `$${ctx.params.length}`;
}

/** `_x_value` → lookup column x; plain names → attributes. */
export function resolveAttribute(entity: EntityMeta, name: string): AttributeMeta {
  const m = /^_(.+)_value$/.exec(name);
  const a = entity.attributes.get(m ? (m[1] as string) : name);
  if (!a || (m && !a.targets)) {
    throw Errors.propertyNotFound(name, entity.logicalName);
  }
  return a;
}

interface Operand {
  sql: string;
  attr?: AttributeMeta;
  literal?: Literal;
}

function property(ctx: SqlContext, scope: Scope, path: string[]): Operand {
  let entity = scope.entity;
  let alias = scope.alias;
  let segs = path;
  const v = scope.variables.get(path[0] as string);
  if (v) {
    entity = v.entity;
    alias = v.alias;
    segs = path.slice(1);
  }
  if (segs.length === 1) {
    const a = resolveAttribute(entity, segs[0] as string);
    return { sql: `${alias}.${col(a.logicalName)}`, attr: a };
  }
  // single-valued navigation: scalar subquery on the related row
  const nav = ctx.model.relationships.find(
    (r) => r.referencingEntity === entity.logicalName && r.referencingNavigation === segs[0],
  );
  if (!nav) throw Errors.propertyNotFound(segs[0] as string, entity.logicalName);
  const target = ctx.model.entities.get(nav.referencedEntity);
  if (!target) throw Errors.propertyNotFound(segs[0] as string, entity.logicalName);
  const a2 = `a${++ctx.aliasCounter.n}`;
  const inner = property(ctx, { entity: target, alias: a2, variables: new Map() }, segs.slice(1));
  return {
    sql: `(SELECT ${inner.sql} FROM ${tableName(target)} ${a2} WHERE ${a2}.${col(target.primaryIdAttribute)} = ${alias}.${col(nav.referencingAttribute)})`,
    attr: inner.attr,
  };
}

function operand(ctx: SqlContext, scope: Scope, e: Expr): Operand {
  if (e.kind === 'property') return property(ctx, scope, e.path);
  if (e.kind === 'literal') return { sql: e.type === 'null' ? 'NULL' : param(ctx, e.value), literal: e };
  if (e.kind === 'call' && (e.name === 'tolower' || e.name === 'toupper' || e.name === 'trim')) {
    const inner = operand(ctx, scope, e.args[0] as Expr);
    return {
      sql: `${e.name === 'tolower' ? 'lower' : e.name === 'toupper' ? 'upper' : 'trim'}(${inner.sql})`,
      attr: inner.attr,
    };
  }
  return { sql: `(${compile(ctx, scope, e)})` };
}

const SQL_OPS = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

function isText(o: Operand): boolean {
  return o.attr?.type === 'string' || o.attr?.type === 'memo';
}

function compile(ctx: SqlContext, scope: Scope, e: Expr): string {
  switch (e.kind) {
    case 'logical':
      return `(${compile(ctx, scope, e.left)} ${e.op.toUpperCase()} ${compile(ctx, scope, e.right)})`;
    case 'not':
      return `(NOT COALESCE(${compile(ctx, scope, e.expr)}, false))`;
    case 'compare': {
      const l = operand(ctx, scope, e.left);
      const r = operand(ctx, scope, e.right);
      if (r.literal?.type === 'null' || l.literal?.type === 'null') {
        const other = r.literal?.type === 'null' ? l : r;
        if (e.op === 'eq') return `${other.sql} IS NULL`;
        if (e.op === 'ne') return `${other.sql} IS NOT NULL`;
      }
      if (isText(l) || isText(r)) return `lower(${l.sql}) ${SQL_OPS[e.op]} lower(${r.sql})`;
      if (e.op === 'ne') return `${l.sql} IS DISTINCT FROM ${r.sql}`;
      return `${l.sql} ${SQL_OPS[e.op]} ${r.sql}`;
    }
    case 'call':
      return compileCall(ctx, scope, e.name, e.args);
    case 'crmcall':
      return compileCrmCall(ctx, scope, e.name, e.params);
    case 'lambda':
      return compileLambda(ctx, scope, e);
    case 'property': {
      const p = property(ctx, scope, e.path);
      if (p.attr?.type !== 'boolean') throw Errors.syntax(`property '${e.path.join('/')}' is not a boolean expression`);
      return `${p.sql} = true`;
    }
    case 'literal':
      if (e.type === 'boolean') return e.value ? 'true' : 'false';
      throw Errors.syntax('a literal is not a boolean expression');
    case 'list':
      throw Errors.syntax('a list is not a boolean expression');
  }
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function compileCall(ctx: SqlContext, scope: Scope, name: string, args: Expr[]): string {
  if (name === 'contains' || name === 'startswith' || name === 'endswith') {
    const target = operand(ctx, scope, args[0] as Expr);
    const value = args[1];
    if (value?.kind !== 'literal' || value.type !== 'string') throw Errors.syntax(`${name} needs a string literal`);
    const pattern =
      name === 'contains'
        ? `%${likeEscape(value.value)}%`
        : name === 'startswith'
          ? `${likeEscape(value.value)}%`
          : `%${likeEscape(value.value)}`;
    return `${target.sql} ILIKE ${param(ctx, pattern)}`;
  }
  throw Errors.queryNotSupported(`The function '${name}' is not supported`);
}

function lit(e: Expr | undefined): unknown {
  if (!e) return undefined;
  if (e.kind === 'literal') return e.value;
  if (e.kind === 'list') return e.items.map(lit);
  throw Errors.syntax('literal expected in query function parameter');
}

const DAY = 86_400_000;
function startOfDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/** Dataverse query functions (MS docs reference/web-api/queryfunctions). Dates are evaluated in UTC. */
function compileCrmCall(ctx: SqlContext, scope: Scope, name: string, params: Record<string, Expr>): string {
  const propName = lit(params.PropertyName);
  if (typeof propName !== 'string') throw Errors.syntax(`${name} needs PropertyName`);
  const p = property(ctx, scope, [propName]).sql;
  const value = lit(params.PropertyValue);
  const values = lit(params.PropertyValues);
  const now = ctx.now;
  const n = Number(value);
  const range = (from: Date, to: Date): string =>
    `(${p} >= ${param(ctx, from.toISOString())} AND ${p} < ${param(ctx, to.toISOString())})`;
  const day = (v: unknown): Date => startOfDay(new Date(String(v)));
  switch (name) {
    case 'In':
    case 'NotIn': {
      if (!Array.isArray(values) || values.length === 0) throw Errors.syntax(`${name} needs PropertyValues`);
      const list = values.map((v) => param(ctx, v)).join(', ');
      return name === 'In' ? `${p} IN (${list})` : `(${p} IS NULL OR ${p} NOT IN (${list}))`;
    }
    case 'Between':
    case 'NotBetween': {
      if (!Array.isArray(values) || values.length !== 2) throw Errors.syntax(`${name} needs two PropertyValues`);
      const sql = `${p} BETWEEN ${param(ctx, values[0])} AND ${param(ctx, values[1])}`;
      return name === 'Between' ? sql : `NOT (${sql})`;
    }
    case 'On':
      return range(day(value), new Date(day(value).getTime() + DAY));
    case 'NotOn':
      return `NOT ${range(day(value), new Date(day(value).getTime() + DAY))}`;
    case 'OnOrAfter':
      return `${p} >= ${param(ctx, day(value).toISOString())}`;
    case 'OnOrBefore':
      return `${p} < ${param(ctx, new Date(day(value).getTime() + DAY).toISOString())}`;
    case 'Today':
      return range(startOfDay(now), new Date(startOfDay(now).getTime() + DAY));
    case 'Yesterday':
      return range(new Date(startOfDay(now).getTime() - DAY), startOfDay(now));
    case 'Tomorrow':
      return range(new Date(startOfDay(now).getTime() + DAY), new Date(startOfDay(now).getTime() + 2 * DAY));
    case 'LastXDays':
      return range(new Date(startOfDay(now).getTime() - n * DAY), new Date(now.getTime() + 1));
    case 'NextXDays':
      return range(now, new Date(startOfDay(now).getTime() + (n + 1) * DAY));
    case 'LastXHours':
      return range(new Date(now.getTime() - n * 3_600_000), new Date(now.getTime() + 1));
    case 'NextXHours':
      return range(now, new Date(now.getTime() + n * 3_600_000));
    case 'OlderThanXDays':
      return `${p} < ${param(ctx, new Date(now.getTime() - n * DAY).toISOString())}`;
    case 'EqualUserId':
      return `${p} = ${param(ctx, ctx.userId)}`;
    case 'NotEqualUserId':
      return `${p} IS DISTINCT FROM ${param(ctx, ctx.userId)}`;
    default:
      throw Errors.queryNotSupported(
        `The query function 'Microsoft.Dynamics.CRM.${name}' is not supported by this emulator`,
      );
  }
}

function compileLambda(ctx: SqlContext, scope: Scope, e: Extract<Expr, { kind: 'lambda' }>): string {
  if (e.path.length !== 1) throw Errors.queryNotSupported('lambda operators on nested paths are not supported');
  const nn = manyToMany(ctx.model, scope.entity, e.path[0] as string);
  if (nn) {
    const a2 = `a${++ctx.aliasCounter.n}`;
    const x = `x${ctx.aliasCounter.n}`;
    const from = `FROM ${nn.rel.intersect} ${x} JOIN ${tableName(nn.other)} ${a2} ON ${a2}.${col(nn.other.primaryIdAttribute)} = ${x}.${nn.otherColumn} WHERE ${x}.${nn.fromColumn} = ${scope.alias}.${col(scope.entity.primaryIdAttribute)}`;
    if (!e.body || !e.variable) return `EXISTS (SELECT 1 ${from})`;
    const variables = new Map(scope.variables);
    variables.set(e.variable, { entity: nn.other, alias: a2 });
    const body = compile(ctx, { ...scope, variables }, e.body);
    return e.op === 'any'
      ? `EXISTS (SELECT 1 ${from} AND ${body})`
      : `NOT EXISTS (SELECT 1 ${from} AND NOT COALESCE(${body}, false))`;
  }
  const nav = ctx.model.relationships.find(
    (r) => r.referencedEntity === scope.entity.logicalName && r.referencedNavigation === e.path[0],
  );
  if (!nav) throw Errors.propertyNotFound(e.path[0] as string, scope.entity.logicalName);
  const child = ctx.model.entities.get(nav.referencingEntity);
  if (!child) throw Errors.propertyNotFound(e.path[0] as string, scope.entity.logicalName);
  const a2 = `a${++ctx.aliasCounter.n}`;
  const join = `${a2}.${col(nav.referencingAttribute)} = ${scope.alias}.${col(scope.entity.primaryIdAttribute)}`;
  const from = `FROM ${tableName(child)} ${a2} WHERE ${join}`;
  if (!e.body || !e.variable) return `EXISTS (SELECT 1 ${from})`;
  const variables = new Map(scope.variables);
  variables.set(e.variable, { entity: child, alias: a2 });
  const body = compile(ctx, { ...scope, variables }, e.body);
  return e.op === 'any'
    ? `EXISTS (SELECT 1 ${from} AND ${body})`
    : `NOT EXISTS (SELECT 1 ${from} AND NOT COALESCE(${body}, false))`;
}
