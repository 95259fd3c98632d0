// JSON payload → column values, with the validation Dataverse applies on write: unknown
// properties, types, string length (0x80044331), choice values, number ranges, @odata.bind
// (single and collection), deep insert (create-entity-web-api.md).
import { checkPrivilege, ownOnly } from '../auth/principal.ts';
import { Errors } from '../errors.ts';
import type { AttributeMeta, EntityMeta, RelationshipMeta } from '../metadata/model.ts';
import { col, isGenerated, tableName, typeColumn } from '../storage/schema.ts';
import type { OpContext, Row } from './context.ts';
import { resolveReference } from './references.ts';

export interface PreparedWrite {
  values: Row;
  /** the attributes as the request wrote them (for webhook Target) */
  target: Row;
  /** work that needs the row's id first: collection binds and collection deep inserts */
  after: ((id: string) => Promise<void>)[];
  /** single-valued deep inserts to run before the row is written */
  before: (() => Promise<void>)[];
  touchesLookups: boolean;
}

export interface WriteHooks {
  create(ctx: OpContext, e: EntityMeta, body: Row): Promise<string>;
  setLookup(
    ctx: OpContext,
    e: EntityMeta,
    id: string,
    attribute: string,
    parent: EntityMeta,
    parentId: string,
  ): Promise<void>;
}

export function convertValue(e: EntityMeta, a: AttributeMeta, v: unknown): unknown {
  if (v === null) return null;
  const wrong = (): Error =>
    Errors.badPayload(
      `Cannot convert the literal '${JSON.stringify(v)}' to the expected type of '${a.logicalName}' (${a.type}).`,
    );
  switch (a.type) {
    case 'string':
    case 'memo':
    case 'entityname': {
      if (typeof v !== 'string') throw wrong();
      if (a.maxLength !== undefined && v.length > a.maxLength)
        throw Errors.tooLong(a.logicalName, e.logicalName, a.maxLength);
      return v;
    }
    case 'uniqueidentifier':
      if (typeof v !== 'string' || !/^[0-9a-f-]{36}$/i.test(v)) throw wrong();
      return v.toLowerCase();
    case 'integer':
    case 'bigint':
    case 'picklist':
    case 'state':
    case 'status': {
      if (typeof v !== 'number' || !Number.isInteger(v)) throw wrong();
      if (a.options && !a.options.some((o) => o.value === v)) {
        throw Errors.outOfRange(
          `A validation error occurred. The value ${v} of '${a.logicalName}' on record of type '${e.logicalName}' is outside the valid range.`,
        );
      }
      checkRange(e, a, v);
      return v;
    }
    case 'decimal':
    case 'double':
    case 'money': {
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw wrong();
      checkRange(e, a, n);
      // decimal and float columns keep the digits their Precision allows (AttributeMetadata.Precision)
      if (a.type !== 'money' && a.precision !== undefined && fractionDigits(v) > a.precision)
        return roundTo(n, a.precision);
      return typeof v === 'string' ? v : n;
    }
    case 'boolean':
      if (typeof v !== 'boolean') throw wrong();
      return v;
    case 'datetime': {
      if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw wrong();
      return new Date(v).toISOString();
    }
    case 'lookup':
    case 'customer':
    case 'owner':
      throw Errors.badPayload(`Use '${a.logicalName}@odata.bind' to set the lookup '${a.logicalName}'.`);
  }
}

/** Digits after the decimal point as written (strings keep their exact digits when they fit). */
function fractionDigits(v: unknown): number {
  const text = typeof v === 'string' ? v.trim() : String(v);
  if (/e/i.test(text)) return Infinity;
  return text.split('.')[1]?.length ?? 0;
}

function roundTo(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round((n + Number.EPSILON * Math.sign(n)) * f) / f;
}

function checkRange(e: EntityMeta, a: AttributeMeta, n: number): void {
  if ((a.minValue !== undefined && n < a.minValue) || (a.maxValue !== undefined && n > a.maxValue)) {
    throw Errors.outOfRange(
      `A validation error occurred. The value ${n} of '${a.logicalName}' on record of type '${e.logicalName}' is outside the valid range(${a.minValue ?? ''} to ${a.maxValue ?? ''}).`,
    );
  }
}

function findNav(
  ctx: OpContext,
  e: EntityMeta,
  name: string,
): { single?: RelationshipMeta; collection?: RelationshipMeta } {
  const single = ctx.model.relationships.find(
    (r) => r.referencingEntity === e.logicalName && r.referencingNavigation === name,
  );
  if (single) return { single };
  const collection = ctx.model.relationships.find(
    (r) => r.referencedEntity === e.logicalName && r.referencedNavigation === name,
  );
  return collection ? { collection } : {};
}

export function prepareWrite(
  ctx: OpContext,
  e: EntityMeta,
  body: Row,
  mode: 'create' | 'update',
  hooks: WriteHooks,
): PreparedWrite {
  const out: PreparedWrite = { values: {}, target: {}, after: [], before: [], touchesLookups: false };
  for (const [key, raw] of Object.entries(body)) {
    if (key === '@odata.type' || key === '@odata.etag' || key === '@odata.context') continue;
    if (key.endsWith('@odata.bind')) {
      bindProperty(ctx, e, key.slice(0, -'@odata.bind'.length), raw, out, hooks);
      continue;
    }
    if (key.includes('@')) continue; // instance annotations in payloads are ignored
    const a = e.attributes.get(key);
    if (a && !a.targets) {
      if (isGenerated(e, a)) continue;
      if (mode === 'create' ? !a.validForCreate : !a.validForUpdate) {
        if (a.logicalName === e.primaryIdAttribute && mode === 'update') continue;
        continue; // Dataverse ignores values for columns that are not valid for the operation
      }
      const v = convertValue(e, a, raw);
      out.values[a.logicalName] = v;
      out.target[a.logicalName] = v;
      continue;
    }
    const nav = findNav(ctx, e, key);
    if (nav.single && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
      const rel = nav.single;
      const target = ctx.model.entities.get(rel.referencedEntity) as EntityMeta;
      out.touchesLookups = true;
      out.before.push(async () => {
        const id = await hooks.create(ctx, target, raw as Row);
        checkPrivilege(ctx.user, 'AppendTo', target);
        setLookupValue(e, rel, id, out);
      });
      continue;
    }
    if (nav.single && raw === null) {
      setLookupValue(e, nav.single, null, out);
      continue;
    }
    if (nav.collection && Array.isArray(raw)) {
      const rel = nav.collection;
      const child = ctx.model.entities.get(rel.referencingEntity) as EntityMeta;
      out.after.push(async (parentId) => {
        for (const item of raw as Row[]) {
          const bindKey = `${rel.referencingNavigation}@odata.bind`;
          await hooks.create(ctx, child, { ...item, [bindKey]: `/${e.entitySetName}(${parentId})` });
        }
      });
      continue;
    }
    throw Errors.invalidProperty(key, e.logicalName);
  }
  return out;
}

function setLookupValue(e: EntityMeta, rel: RelationshipMeta, id: string | null, out: PreparedWrite): void {
  const a = e.attributes.get(rel.referencingAttribute) as AttributeMeta;
  out.values[a.logicalName] = id;
  const tc = typeColumn(a);
  if (tc) out.values[tc] = id === null ? null : rel.referencedEntity;
  out.target[a.logicalName] = id === null ? null : { logicalName: rel.referencedEntity, id };
  out.touchesLookups = true;
}

function bindProperty(
  ctx: OpContext,
  e: EntityMeta,
  navName: string,
  raw: unknown,
  out: PreparedWrite,
  hooks: WriteHooks,
): void {
  const nav = findNav(ctx, e, navName);
  if (nav.single) {
    const rel = nav.single;
    if (raw === null) {
      setLookupValue(e, rel, null, out);
      return;
    }
    if (typeof raw !== 'string') throw Errors.badPayload(`The value of '${navName}@odata.bind' must be a string.`);
    out.before.push(async () => {
      const ref = await resolveReference(ctx, raw);
      if (ref.entity.logicalName !== rel.referencedEntity) {
        throw Errors.badPayload(
          `'${navName}' expects a ${rel.referencedEntity} reference, got ${ref.entity.logicalName}.`,
        );
      }
      // Append on the row written, AppendTo on the row it points at
      // (learn.microsoft.com/power-platform/admin/security-roles-privileges "Append To")
      checkPrivilege(ctx.user, 'AppendTo', ref.entity);
      if (ownOnly(ctx.user, 'AppendTo', ref.entity)) {
        const owner = await ctx.tx.query<{ ownerid: unknown }>(
          `SELECT ownerid FROM ${tableName(ref.entity)} WHERE ${col(ref.entity.primaryIdAttribute)} = $1`,
          [ref.id],
        );
        checkPrivilege(ctx.user, 'AppendTo', ref.entity, owner.rows[0] ?? {});
      }
      setLookupValue(e, rel, ref.id, out);
    });
    out.touchesLookups = true;
    return;
  }
  if (nav.collection && Array.isArray(raw)) {
    const rel = nav.collection;
    out.after.push(async (parentId) => {
      for (const r of raw) {
        const ref = await resolveReference(ctx, String(r));
        await hooks.setLookup(ctx, ref.entity, ref.id, rel.referencingAttribute, e, parentId);
      }
    });
    out.touchesLookups = true;
    return;
  }
  throw Errors.undeclaredProperty(navName, e.entitySetName);
}
