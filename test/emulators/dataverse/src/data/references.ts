// Entity references in URLs and @odata.bind values: `accounts(<guid>)`, alternate keys
// `accounts(accountnumber='A1')`, multi-part keys, `_x_value=<guid>` lookup keys
// (use-alternate-key-reference-record.md), absolute or relative, and `$n` Content-ID references.
import { Errors } from '../errors.ts';
import type { EntityMeta, Model } from '../metadata/model.ts';
import { TokenStream } from '../odata/lexer.ts';
import { col, tableName } from '../storage/schema.ts';
import type { OpContext } from './context.ts';
import { API_PATH } from './context.ts';

export type KeyPredicate = { kind: 'id'; id: string } | { kind: 'alternate'; values: Record<string, unknown> };

export function parseKeyPredicate(text: string): KeyPredicate {
  const ts = new TokenStream(text);
  const first = ts.peek();
  if (first.type === 'guid' && ts.peek(1).type === 'eof') return { kind: 'id', id: first.value };
  const values: Record<string, unknown> = {};
  while (!ts.atEnd()) {
    const name = ts.expectIdent();
    ts.expectPunct('=');
    const v = ts.next();
    if (v.type === 'ident' && (v.value === 'true' || v.value === 'false')) values[name] = v.value === 'true';
    else if (v.type === 'number') values[name] = Number(v.value);
    else if (v.type === 'string' || v.type === 'guid' || v.type === 'datetime') values[name] = v.value;
    else throw Errors.syntax(`invalid key value in '${text}'`);
    if (ts.isPunct(',')) ts.next();
    else if (!ts.atEnd()) throw Errors.syntax(`invalid key predicate '${text}'`);
  }
  return { kind: 'alternate', values };
}

/** Splits `set(key)` (already without the API prefix). */
export function splitEntityPath(path: string): { set: string; key?: string } {
  const open = path.indexOf('(');
  if (open < 0) return { set: path };
  if (!path.endsWith(')')) throw Errors.syntax(`malformed resource path '${path}'`);
  return { set: path.slice(0, open), key: path.slice(open + 1, -1) };
}

export function stripApiPrefix(ref: string): string {
  let s = ref;
  const api = s.indexOf(API_PATH);
  if (api >= 0) s = s.slice(api + API_PATH.length);
  return s.replace(/^\/+/, '');
}

/** Finds the row id for a key predicate, or undefined when no row matches. */
export async function findId(ctx: OpContext, e: EntityMeta, key: KeyPredicate): Promise<string | undefined> {
  if (key.kind === 'id') {
    const r = await ctx.tx.query<{ id: string }>(
      `SELECT ${col(e.primaryIdAttribute)} AS id FROM ${tableName(e)} WHERE ${col(e.primaryIdAttribute)} = $1`,
      [key.id],
    );
    return r.rows[0]?.id;
  }
  const names = Object.keys(key.values).map((n) => /^_(.+)_value$/.exec(n)?.[1] ?? n);
  if (names.length === 1 && names[0] === e.primaryIdAttribute) {
    return findId(ctx, e, { kind: 'id', id: String(Object.values(key.values)[0]) });
  }
  const defined = e.keys.some(
    (k) => k.attributes.length === names.length && k.attributes.every((a) => names.includes(a)),
  );
  const lookupKey = names.length === 1 && e.attributes.get(names[0] as string)?.targets;
  if (!defined && !lookupKey) {
    throw Errors.invalidKey(e.logicalName);
  }
  const params = Object.values(key.values);
  const where = names.map((n, i) => `${col(n)} = $${i + 1}`).join(' AND ');
  const r = await ctx.tx.query<{ id: string }>(
    `SELECT ${col(e.primaryIdAttribute)} AS id FROM ${tableName(e)} WHERE ${where} LIMIT 2`,
    params,
  );
  return r.rows[0]?.id;
}

export function entityBySet(model: Model, set: string): EntityMeta {
  const e = model.bySetName.get(set);
  if (!e) throw Errors.segmentNotFound(set);
  return e;
}

/** Resolves an @odata.bind / @odata.id value to an existing row. */
export async function resolveReference(ctx: OpContext, ref: string): Promise<{ entity: EntityMeta; id: string }> {
  const { set, key } = splitEntityPath(stripApiPrefix(ref));
  const entity = entityBySet(ctx.model, set);
  if (!key) throw Errors.badPayload(`The reference '${ref}' does not identify a record.`);
  const id = await findId(ctx, entity, parseKeyPredicate(key));
  if (!id) throw Errors.notFound(entity.logicalName, key);
  return { entity, id };
}
