// Recursive-descent parser for $filter (OData v4 URL conventions §5.1.1): precedence
// or < and < not < comparison < primary. Lambda any/all and Dataverse query functions included.
import { Errors } from '../errors.ts';
import type { Comparison, Expr } from './ast.ts';
import { TokenStream } from './lexer.ts';

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

export function parseFilter(source: string): Expr {
  const ts = new TokenStream(source);
  const expr = parseOr(ts);
  if (!ts.atEnd()) throw Errors.syntax(`unexpected '${ts.peek().value}' at position ${ts.peek().pos} in '${source}'`);
  return expr;
}

function parseOr(ts: TokenStream): Expr {
  let left = parseAnd(ts);
  while (ts.isKeyword('or')) {
    ts.next();
    left = { kind: 'logical', op: 'or', left, right: parseAnd(ts) };
  }
  return left;
}

function parseAnd(ts: TokenStream): Expr {
  let left = parseNot(ts);
  while (ts.isKeyword('and')) {
    ts.next();
    left = { kind: 'logical', op: 'and', left, right: parseNot(ts) };
  }
  return left;
}

function parseNot(ts: TokenStream): Expr {
  if (ts.isKeyword('not')) {
    ts.next();
    return { kind: 'not', expr: parseNot(ts) };
  }
  return parseComparison(ts);
}

function parseComparison(ts: TokenStream): Expr {
  const left = parsePrimary(ts);
  const t = ts.peek();
  if (t.type === 'ident' && COMPARISONS.has(t.value)) {
    ts.next();
    return { kind: 'compare', op: t.value as Comparison, left, right: parsePrimary(ts) };
  }
  return left;
}

export function parseValue(ts: TokenStream): Expr {
  return parsePrimary(ts);
}

function parsePrimary(ts: TokenStream): Expr {
  const t = ts.peek();
  if (t.type === 'punct' && t.value === '(') {
    ts.next();
    const e = parseOr(ts);
    ts.expectPunct(')');
    return e;
  }
  if (t.type === 'punct' && t.value === '[') {
    ts.next();
    const items: Expr[] = [];
    while (!ts.isPunct(']')) {
      items.push(parsePrimary(ts));
      if (ts.isPunct(',')) ts.next();
      else break;
    }
    ts.expectPunct(']');
    return { kind: 'list', items };
  }
  if (t.type === 'string') {
    ts.next();
    return { kind: 'literal', type: 'string', value: t.value };
  }
  if (t.type === 'number') {
    ts.next();
    return { kind: 'literal', type: 'number', value: Number(t.value) };
  }
  if (t.type === 'guid') {
    ts.next();
    return { kind: 'literal', type: 'guid', value: t.value };
  }
  if (t.type === 'datetime') {
    ts.next();
    return { kind: 'literal', type: 'datetime', value: t.value };
  }
  if (t.type === 'ident') {
    if (t.value === 'true' || t.value === 'false') {
      ts.next();
      return { kind: 'literal', type: 'boolean', value: t.value === 'true' };
    }
    if (t.value === 'null') {
      ts.next();
      return { kind: 'literal', type: 'null', value: null };
    }
    return parseIdentifierExpr(ts);
  }
  throw Errors.syntax(`unexpected '${t.value || 'end of input'}' at position ${t.pos} in '${ts.source}'`);
}

function parseIdentifierExpr(ts: TokenStream): Expr {
  const name = ts.expectIdent();
  if (ts.isPunct('(')) {
    ts.next();
    if (name.includes('.')) return parseCrmCall(ts, name);
    const args: Expr[] = [];
    while (!ts.isPunct(')')) {
      args.push(parseOr(ts));
      if (ts.isPunct(',')) ts.next();
      else break;
    }
    ts.expectPunct(')');
    return { kind: 'call', name: name.toLowerCase(), args };
  }
  const path = [name];
  while (ts.isPunct('/')) {
    ts.next();
    const seg = ts.expectIdent();
    if ((seg === 'any' || seg === 'all') && ts.isPunct('(')) {
      ts.next();
      if (ts.isPunct(')')) {
        ts.next();
        return { kind: 'lambda', op: seg, path };
      }
      const variable = ts.expectIdent();
      ts.expectPunct(':');
      const body = parseOr(ts);
      ts.expectPunct(')');
      return { kind: 'lambda', op: seg, path, variable, body };
    }
    path.push(seg);
  }
  return { kind: 'property', path };
}

function parseCrmCall(ts: TokenStream, qualified: string): Expr {
  const prefix = 'Microsoft.Dynamics.CRM.';
  if (!qualified.startsWith(prefix)) throw Errors.syntax(`unknown function '${qualified}'`);
  const params: Record<string, Expr> = {};
  while (!ts.isPunct(')')) {
    const key = ts.expectIdent();
    ts.expectPunct('=');
    params[key] = parsePrimary(ts);
    if (ts.isPunct(',')) ts.next();
    else break;
  }
  ts.expectPunct(')');
  return { kind: 'crmcall', name: qualified.slice(prefix.length), params };
}
