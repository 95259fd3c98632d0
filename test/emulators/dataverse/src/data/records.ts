// Create / update / upsert / delete on the entity tables, with the platform behaviour around them:
// ids, owner and audit columns, versionnumber (ETag), currency and exchange rate on money tables,
// statecode/statuscode pairs and read-only states, privileges, and the webhook pipeline.
import { isView } from '../storage/activity-views.ts';
import { randomUUID } from 'node:crypto';
import { checkPrivilege } from '../auth/principal.ts';
import { Errors } from '../errors.ts';
import type { EntityMeta } from '../metadata/model.ts';
import { col, tableName, typeColumn } from '../storage/schema.ts';
import type { OpContext, Row } from './context.ts';
import { findId } from './references.ts';
import type { KeyPredicate } from './references.ts';
import { applyStateRules } from './state-rules.ts';
import { isLineTable, recalculateHeader, recalculateLine } from './pricing.ts';
import { prepareWrite } from './values.ts';
import type { PreparedWrite, WriteHooks } from './values.ts';
import { checkSecuredWrite } from './field-security.ts';

export interface Conditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

export function etagOf(row: Row): string {
  return `W/"${String(row.versionnumber)}"`;
}

export async function getRow(ctx: OpContext, e: EntityMeta, id: string): Promise<Row | undefined> {
  const r = await ctx.tx.query<Row>(`SELECT * FROM ${tableName(e)} WHERE ${col(e.primaryIdAttribute)} = $1`, [id]);
  return r.rows[0];
}

const hooks: WriteHooks = {
  create: (ctx, e, body) => createRecord(ctx, e, body),
  setLookup: async (ctx, e, id, attribute, parent, parentId) => {
    const a = e.attributes.get(attribute);
    const body: Row = {};
    const rel = ctx.model.relationships.find(
      (r) =>
        r.referencingEntity === e.logicalName &&
        r.referencingAttribute === attribute &&
        r.referencedEntity === parent.logicalName,
    );
    if (!a || !rel) throw Errors.badPayload(`Cannot associate ${e.logicalName} through '${attribute}'.`);
    body[`${rel.referencingNavigation}@odata.bind`] = `/${parent.entitySetName}(${parentId})`;
    await updateRecord(ctx, e, id, body, {});
  },
};

async function runBefore(p: PreparedWrite): Promise<void> {
  for (const f of p.before) await f();
}

async function currencyRate(ctx: OpContext, currencyId: string): Promise<unknown> {
  if (ctx.cache.rates.has(currencyId)) return ctx.cache.rates.get(currencyId);
  const r = await ctx.tx.query<{ exchangerate: unknown }>(
    `SELECT exchangerate FROM ${tableName(ctx.model.entities.get('transactioncurrency') as EntityMeta)} WHERE transactioncurrencyid = $1`,
    [currencyId],
  );
  const rate = r.rows[0]?.exchangerate ?? null;
  ctx.cache.rates.set(currencyId, rate);
  return rate;
}

async function baseCurrencyId(ctx: OpContext): Promise<string | undefined> {
  if (ctx.cache.baseCurrencyId !== undefined) return ctx.cache.baseCurrencyId ?? undefined;
  const r = await ctx.tx.query<{ id: string }>(
    `SELECT transactioncurrencyid AS id FROM "t_transactioncurrency" WHERE exchangerate = 1 ORDER BY createdon LIMIT 1`,
  );
  ctx.cache.baseCurrencyId = r.rows[0]?.id ?? null;
  return r.rows[0]?.id;
}

function touchCurrency(ctx: OpContext, e: EntityMeta): void {
  if (e.logicalName !== 'transactioncurrency') return;
  ctx.cache.baseCurrencyId = undefined;
  ctx.cache.rates.clear();
  // a rolled-back change must not leave a stale cache either: clear again after the transaction
  ctx.afterCommit.push(() => {
    ctx.cache.baseCurrencyId = undefined;
    ctx.cache.rates.clear();
  });
}

/** Money tables: default currency is the organization's base currency; exchangerate follows the currency. */
async function applyCurrency(ctx: OpContext, e: EntityMeta, values: Row, pre?: Row): Promise<void> {
  if (!e.attributes.has('exchangerate') || e.logicalName === 'transactioncurrency') return;
  if (!pre && values.transactioncurrencyid === undefined) {
    const base = await baseCurrencyId(ctx);
    if (base) values.transactioncurrencyid = base;
  }
  const currencyId = values.transactioncurrencyid;
  if (typeof currencyId === 'string' && currencyId !== pre?.transactioncurrencyid) {
    values.exchangerate = await currencyRate(ctx, currencyId);
  }
}

/**
 * Dynamics 365 Sales numbers orders and invoices itself: ordernumber / invoicenumber are SystemRequired on the
 * reference pages yet a create may omit them. Format as Sales' auto-numbering (prefix, number, suffix:
 * `ORD-01001-A1B2C3`; learn.microsoft.com/dynamics365/sales/set-up-auto-numbering-for-quotes-orders-invoices);
 * the exact suffix alphabet is the emulator's choice. A value sent by the client is kept.
 */
const AUTO_NUMBERS: Record<string, { column: string; prefix: string }> = {
  salesorder: { column: 'ordernumber', prefix: 'ORD' },
  invoice: { column: 'invoicenumber', prefix: 'INV' },
};

async function applyAutoNumber(ctx: OpContext, e: EntityMeta, values: Row): Promise<void> {
  const auto = AUTO_NUMBERS[e.logicalName];
  if (!auto || !e.attributes.has(auto.column)) return;
  if (values[auto.column] !== undefined && values[auto.column] !== null) return;
  const r = await ctx.tx.query<{ n: string }>(`SELECT count(*) AS n FROM ${tableName(e)}`);
  const n = 1001 + Number(r.rows[0]?.n ?? 0);
  const suffix = randomUUID().replace(/-/g, '').slice(0, 6).toUpperCase();
  values[auto.column] = `${auto.prefix}-${String(n).padStart(5, '0')}-${suffix}`;
}

function checkRequired(e: EntityMeta, values: Row): void {
  for (const a of e.attributes.values()) {
    if (a.defaultValue !== undefined && (values[a.logicalName] === undefined || values[a.logicalName] === null)) {
      values[a.logicalName] = a.type === 'boolean' ? a.defaultValue === 1 : a.defaultValue;
    }
    if (a.requiredLevel !== 'systemrequired' || !a.validForCreate || a.targets) continue;
    if (a.logicalName === e.primaryIdAttribute || a.type === 'state' || a.type === 'status') continue;
    if (values[a.logicalName] === undefined || values[a.logicalName] === null) {
      throw Errors.invalidArgument(`'${a.logicalName}' is required to create a record of type '${e.logicalName}'.`);
    }
  }
}

export async function createRecord(ctx: OpContext, e: EntityMeta, body: Row, presetId?: string): Promise<string> {
  if (isView(e)) throw Errors.messageNotSupported('Create', e.logicalName);
  checkPrivilege(ctx.user, 'Create', e);
  touchCurrency(ctx, e);
  const p = prepareWrite(ctx, e, body, 'create', hooks);
  if (p.touchesLookups) checkPrivilege(ctx.user, 'Append', e);
  await checkSecuredWrite(ctx, e, Object.keys(p.target), 'create');
  await runBefore(p);
  const values = p.values;
  const id = (presetId ?? (values[e.primaryIdAttribute] as string | undefined) ?? randomUUID()).toLowerCase();
  values[e.primaryIdAttribute] = id;
  p.target[e.primaryIdAttribute] = id;
  const now = new Date(ctx.clock.now()).toISOString();
  values.createdon = now;
  values.modifiedon = now;
  values.createdby = ctx.user.systemuserid;
  values.modifiedby = ctx.user.systemuserid;
  if (e.attributes.has('ownerid') && values.ownerid === undefined) values.ownerid = ctx.user.systemuserid;
  applyStateRules(e, values);
  await applyCurrency(ctx, e, values);
  await applyAutoNumber(ctx, e, values);
  checkRequired(e, values);
  // Basic-depth Create reaches only rows the user owns (assigning to someone else needs more)
  checkPrivilege(ctx.user, 'Create', e, { ownerid: values.ownerid });
  const cols = Object.keys(values);
  // read the full row back only when a webhook step will need it (measurably cheaper on wide tables)
  const listened = (await ctx.pipeline?.listens(ctx, 'Create', e.logicalName)) ?? false;
  const sql = `INSERT INTO ${tableName(e)} (${[...cols, 'versionnumber'].map(col).join(', ')}) VALUES (${cols
    .map((_, i) => `$${i + 1}`)
    .join(', ')}, nextval('dv_version')) RETURNING ${listened ? '*' : col(e.primaryIdAttribute)}`;
  let inserted = (await ctx.tx.query<Row>(sql, Object.values(values))).rows[0] as Row;
  if (isLineTable(e.logicalName)) {
    await recalculateHeader(ctx, e.logicalName, await recalculateLine(ctx, e.logicalName, id));
    inserted = (await getRow(ctx, e, id)) as Row;
  }
  for (const f of p.after) await f(id);
  if (listened) {
    const target = { ...p.target, ...pick(inserted, ['statecode', 'statuscode', 'ownerid', 'createdon']) };
    await ctx.pipeline?.run(ctx, { message: 'Create', entity: e, id, target, post: inserted });
  }
  return id;
}

function pick(row: Row, names: string[]): Row {
  const out: Row = {};
  for (const n of names) if (row[n] !== undefined) out[n] = row[n];
  return out;
}

function checkConditions(e: EntityMeta, pre: Row | undefined, id: string, cond: Conditions): void {
  if (cond.ifMatch && cond.ifMatch !== '*') {
    if (!pre) throw Errors.notFound(e.logicalName, id);
    if (cond.ifMatch !== etagOf(pre)) throw Errors.versionMismatch();
  }
}

const STATE_COLUMNS = new Set(['statecode', 'statuscode']);

/**
 * An update carrying statecode/statuscode and other columns is processed as two operations: first the
 * other columns, then state/status, and Update steps run once for each
 * (learn.microsoft.com/power-apps/developer/data-platform/special-update-operation-behavior). So the
 * other columns are written while the record is still in its old state: a read-only record (Paid
 * invoice, Fulfilled order) rejects them even when the same request reactivates it (strict reading;
 * the documentation never says such columns become writable).
 */
export async function updateRecord(
  ctx: OpContext,
  e: EntityMeta,
  id: string,
  body: Row,
  cond: Conditions,
): Promise<Row> {
  if (isView(e)) throw Errors.messageNotSupported('Update', e.logicalName);
  const keys = Object.keys(body);
  const stateKeys = keys.filter((k) => STATE_COLUMNS.has(k));
  if (stateKeys.length > 0 && stateKeys.length < keys.length && e.attributes.has('statecode')) {
    const others: Row = {};
    const state: Row = {};
    for (const k of keys) (STATE_COLUMNS.has(k) ? state : others)[k] = body[k];
    await updateOnce(ctx, e, id, others, cond);
    return updateOnce(ctx, e, id, state, {});
  }
  return updateOnce(ctx, e, id, body, cond);
}

async function updateOnce(ctx: OpContext, e: EntityMeta, id: string, body: Row, cond: Conditions): Promise<Row> {
  checkPrivilege(ctx.user, 'Write', e);
  touchCurrency(ctx, e);
  const pre = await getRow(ctx, e, id);
  if (!pre) throw Errors.notFound(e.logicalName, id);
  checkPrivilege(ctx.user, 'Write', e, pre);
  checkConditions(e, pre, id, cond);
  const p = prepareWrite(ctx, e, body, 'update', hooks);
  if (p.touchesLookups) checkPrivilege(ctx.user, 'Append', e, pre);
  await checkSecuredWrite(ctx, e, Object.keys(p.target), 'update');
  await runBefore(p);
  const values = p.values;
  delete values[e.primaryIdAttribute];
  applyStateRules(e, values, pre);
  await applyCurrency(ctx, e, values, pre);
  values.modifiedon = new Date(ctx.clock.now()).toISOString();
  values.modifiedby = ctx.user.systemuserid;
  const cols = Object.keys(values);
  const sets = cols.map((c, i) => `${col(c)} = $${i + 2}`);
  sets.push(`"versionnumber" = nextval('dv_version')`);
  let post = (
    await ctx.tx.query<Row>(
      `UPDATE ${tableName(e)} SET ${sets.join(', ')} WHERE ${col(e.primaryIdAttribute)} = $1 RETURNING *`,
      [id, ...Object.values(values)],
    )
  ).rows[0] as Row;
  if (isLineTable(e.logicalName)) {
    const parent = await recalculateLine(ctx, e.logicalName, id);
    await recalculateHeader(ctx, e.logicalName, parent);
    const key = e.logicalName === 'salesorderdetail' ? 'salesorderid' : 'invoiceid';
    if (pre[key] && pre[key] !== parent) await recalculateHeader(ctx, e.logicalName, pre[key] as string);
    post = (await getRow(ctx, e, id)) as Row;
  }
  for (const f of p.after) await f(id);
  const target = { ...p.target, [e.primaryIdAttribute]: id };
  await ctx.pipeline?.run(ctx, { message: 'Update', entity: e, id, target, pre, post });
  if (values.statecode !== undefined && values.statecode !== pre.statecode) {
    const stateTarget = { [e.primaryIdAttribute]: id, statecode: post.statecode, statuscode: post.statuscode };
    await ctx.pipeline?.run(ctx, { message: 'SetState', entity: e, id, target: stateTarget, pre, post });
    await ctx.pipeline?.run(ctx, { message: 'SetStateDynamicEntity', entity: e, id, target: stateTarget, pre, post });
  }
  return post;
}

export interface UpsertResult {
  id: string;
  created: boolean;
}

/** PATCH semantics: update when the row exists, create otherwise; If-Match/If-None-Match restrict it. */
export async function upsertRecord(
  ctx: OpContext,
  e: EntityMeta,
  key: KeyPredicate,
  body: Row,
  cond: Conditions,
): Promise<UpsertResult> {
  const id = await findId(ctx, e, key);
  if (id) {
    if (cond.ifNoneMatch === '*') throw Errors.duplicate();
    await updateRecord(ctx, e, id, body, cond);
    return { id, created: false };
  }
  if (cond.ifMatch) {
    if (key.kind === 'id') throw Errors.notFound(e.logicalName, key.id);
    throw Errors.keyNotFound(e.logicalName);
  }
  const createBody: Row = { ...body };
  let presetId: string | undefined;
  if (key.kind === 'id') presetId = key.id;
  else {
    for (const [k, v] of Object.entries(key.values)) {
      const m = /^_(.+)_value$/.exec(k);
      if (m) {
        const a = e.attributes.get(m[1] as string);
        const rel = ctx.model.relationships.find(
          (r) => r.referencingEntity === e.logicalName && r.referencingAttribute === a?.logicalName,
        );
        const target = rel && ctx.model.entities.get(rel.referencedEntity);
        if (rel && target)
          createBody[`${rel.referencingNavigation}@odata.bind`] = `/${target.entitySetName}(${String(v)})`;
      } else createBody[k] = v;
    }
  }
  const newId = await createRecord(ctx, e, createBody, presetId);
  return { id: newId, created: true };
}

export async function deleteRecord(ctx: OpContext, e: EntityMeta, id: string, cond: Conditions = {}): Promise<void> {
  if (isView(e)) throw Errors.messageNotSupported('Delete', e.logicalName);
  checkPrivilege(ctx.user, 'Delete', e);
  touchCurrency(ctx, e);
  const pre = await getRow(ctx, e, id);
  if (!pre) throw Errors.notFound(e.logicalName, id);
  checkPrivilege(ctx.user, 'Delete', e, pre);
  checkConditions(e, pre, id, cond);
  await ctx.pipeline?.run(ctx, { message: 'Delete', entity: e, id, target: { id, logicalName: e.logicalName }, pre });
  await ctx.tx.query(`DELETE FROM ${tableName(e)} WHERE ${col(e.primaryIdAttribute)} = $1`, [id]);
  if (isLineTable(e.logicalName)) {
    await recalculateHeader(ctx, e.logicalName, (pre.salesorderid ?? pre.invoiceid) as string | undefined);
  }
}

export { typeColumn };
