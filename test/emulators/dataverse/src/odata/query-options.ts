// System query options other than $filter: $select, $orderby, $top, $expand (with nested options),
// $count. Dataverse rejects $skip (dataverse.md §3, query/page-results.md).
import { Errors } from '../errors.ts';
import type { Expr } from './ast.ts';
import { parseFilter } from './filter-parser.ts';
import { TokenStream } from './lexer.ts';

export interface OrderBy {
  path: string[];
  desc: boolean;
}

export interface ExpandItem {
  navigation: string;
  options: QueryOptions;
}

export interface QueryOptions {
  select?: string[];
  filter?: Expr;
  orderby: OrderBy[];
  top?: number;
  expand: ExpandItem[];
  count: boolean;
  skiptoken?: string;
}

const KNOWN = new Set([
  '$select',
  '$filter',
  '$orderby',
  '$top',
  '$expand',
  '$count',
  '$skiptoken',
  '$apply',
  '$format',
]);

export function parseQueryOptions(params: Map<string, string>): QueryOptions {
  for (const k of params.keys()) {
    if (k === '$skip') throw Errors.queryNotSupported('The query parameter $skip is not supported');
    if (k.startsWith('$') && !KNOWN.has(k)) throw Errors.queryNotSupported(`The query parameter ${k} is not supported`);
    if (k === '$apply') throw Errors.queryNotSupported('The query parameter $apply is not supported by this emulator');
  }
  const top = params.get('$top');
  let topN: number | undefined;
  if (top !== undefined) {
    topN = Number(top);
    if (!Number.isInteger(topN) || topN < 0) throw Errors.syntax(`invalid $top value '${top}'`);
  }
  return {
    select: params.has('$select') ? parseSelect(params.get('$select') ?? '') : undefined,
    filter: params.has('$filter') ? parseFilter(params.get('$filter') ?? '') : undefined,
    orderby: params.has('$orderby') ? parseOrderBy(params.get('$orderby') ?? '') : [],
    top: topN,
    expand: params.has('$expand') ? parseExpand(params.get('$expand') ?? '') : [],
    count: params.get('$count') === 'true',
    skiptoken: params.get('$skiptoken'),
  };
}

export function parseSelect(s: string): string[] {
  const ts = new TokenStream(s);
  const out: string[] = [];
  while (!ts.atEnd()) {
    if (ts.isPunct('*')) {
      ts.next();
      out.push('*');
    } else out.push(ts.expectIdent());
    if (ts.isPunct(',')) ts.next();
    else if (!ts.atEnd()) throw Errors.syntax(`unexpected '${ts.peek().value}' in $select`);
  }
  return out;
}

export function parseOrderBy(s: string): OrderBy[] {
  const ts = new TokenStream(s);
  const out: OrderBy[] = [];
  while (!ts.atEnd()) {
    const path = [ts.expectIdent()];
    while (ts.isPunct('/')) {
      ts.next();
      path.push(ts.expectIdent());
    }
    let desc = false;
    if (ts.isKeyword('asc') || ts.isKeyword('desc')) desc = ts.next().value === 'desc';
    out.push({ path, desc });
    if (ts.isPunct(',')) ts.next();
    else if (!ts.atEnd()) throw Errors.syntax(`unexpected '${ts.peek().value}' in $orderby`);
  }
  return out;
}

/** Splits on a separator at parenthesis depth 0, outside quoted strings. */
function splitTopLevel(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === sep) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0 || quoted) throw Errors.syntax(`unbalanced parentheses or quotes in '${s}'`);
  parts.push(s.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

export function parseExpand(s: string): ExpandItem[] {
  return splitTopLevel(s, ',').map((item) => {
    const open = item.indexOf('(');
    if (open < 0) return { navigation: item, options: { orderby: [], expand: [], count: false } };
    if (!item.endsWith(')')) throw Errors.syntax(`malformed $expand item '${item}'`);
    const navigation = item.slice(0, open).trim();
    const inner = new Map<string, string>();
    for (const opt of splitTopLevel(item.slice(open + 1, -1), ';')) {
      const eq = opt.indexOf('=');
      if (eq < 0) throw Errors.syntax(`malformed $expand option '${opt}'`);
      inner.set(opt.slice(0, eq).trim(), opt.slice(eq + 1).trim());
    }
    return { navigation, options: parseQueryOptions(inner) };
  });
}
