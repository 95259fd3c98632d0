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
  /** `nav/$ref`: references (`@odata.id`) instead of rows (query/join-tables.md "Return references") */
  ref?: boolean;
  /** the nested options as sent, `;`-separated (for `<nav>@odata.nextLink`) */
  rawOptions?: string;
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

/**
 * Parameter aliases: `$filter=contains(@p1,'Contoso')&@p1=name` (query/filter-rows.md "Use parameter
 * aliases with system query options"; OData 4.01 Part 2 §5.1.1.13). An alias stands for its value's text
 * outside string literals; an alias without a value is null.
 */
export function substituteAliases(text: string, params: Map<string, string>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "'") {
      const end = closingQuote(text, i);
      out += text.slice(i, end + 1);
      i = end + 1;
    } else if (c === '@') {
      const m = /^@[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
      if (!m) {
        out += c;
        i++;
        continue;
      }
      out += params.get(m[0]) ?? 'null';
      i += m[0].length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function closingQuote(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === "'" && text[i + 1] === "'") i += 2;
    else if (text[i] === "'") return i;
    else i++;
  }
  throw Errors.syntax(`unterminated string literal in '${text}'`);
}

export function parseQueryOptions(params: Map<string, string>): QueryOptions {
  const aliased = (k: string): string | undefined => {
    const v = params.get(k);
    return v === undefined ? undefined : substituteAliases(v, params);
  };
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
    filter: params.has('$filter') ? parseFilter(aliased('$filter') ?? '') : undefined,
    orderby: params.has('$orderby') ? parseOrderBy(aliased('$orderby') ?? '') : [],
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
    if (open < 0) {
      const ref = item.endsWith('/$ref');
      const navigation = ref ? item.slice(0, -'/$ref'.length) : item;
      return { navigation, options: { orderby: [], expand: [], count: false }, ...(ref ? { ref } : {}) };
    }
    if (!item.endsWith(')')) throw Errors.syntax(`malformed $expand item '${item}'`);
    const navigation = item.slice(0, open).trim();
    const inner = new Map<string, string>();
    for (const opt of splitTopLevel(item.slice(open + 1, -1), ';')) {
      const eq = opt.indexOf('=');
      if (eq < 0) throw Errors.syntax(`malformed $expand option '${opt}'`);
      inner.set(opt.slice(0, eq).trim(), opt.slice(eq + 1).trim());
    }
    return { navigation, options: parseQueryOptions(inner), rawOptions: item.slice(open + 1, -1) };
  });
}
