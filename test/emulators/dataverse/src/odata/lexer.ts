// OData URL expression lexer ($filter, $orderby, key predicates): a hand-written scanner producing
// typed tokens, so the parser never looks at raw text. Literal forms: OData ABNF (odata-abnf) —
// 'string' with '' escape, numbers, unquoted guids and dates, true/false/null.
import { Errors } from '../errors.ts';

export type TokenType = 'ident' | 'string' | 'number' | 'guid' | 'datetime' | 'punct' | 'eof';

export interface Token {
  type: TokenType;
  value: string;
  pos: number;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?/;
const IDENT = /^[A-Za-z_$@][A-Za-z0-9_.$@]*/;
const PUNCT = '(),/=[]:;*';

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    const rest = input.slice(i);
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= input.length) throw Errors.syntax(`unterminated string literal at position ${i}`);
        const c = input[j] as string;
        if (c === ch) {
          if (input[j + 1] === ch) {
            value += ch;
            j += 2;
            continue;
          }
          break;
        }
        value += c;
        j++;
      }
      tokens.push({ type: 'string', value, pos: i });
      i = j + 1;
      continue;
    }
    const guid = GUID.exec(rest);
    if (guid && !/[0-9A-Za-z_]/.test(rest[guid[0].length] ?? '')) {
      tokens.push({ type: 'guid', value: guid[0].toLowerCase(), pos: i });
      i += guid[0].length;
      continue;
    }
    const dt = DATETIME.exec(rest);
    if (dt && dt[0].length >= 10) {
      tokens.push({ type: 'datetime', value: dt[0], pos: i });
      i += dt[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num && (ch !== '-' || /\d/.test(rest[1] ?? ''))) {
      tokens.push({ type: 'number', value: num[0].replace(/[mMdDfFlL]$/, ''), pos: i });
      i += num[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id) {
      tokens.push({ type: 'ident', value: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    if (PUNCT.includes(ch)) {
      tokens.push({ type: 'punct', value: ch, pos: i });
      i++;
      continue;
    }
    throw Errors.syntax(`unexpected character '${ch}' at position ${i}`);
  }
  tokens.push({ type: 'eof', value: '', pos: input.length });
  return tokens;
}

export class TokenStream {
  private readonly tokens: Token[];
  private index = 0;
  readonly source: string;
  constructor(source: string) {
    this.source = source;
    this.tokens = tokenize(source);
  }
  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }
  next(): Token {
    const t = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return t;
  }
  isPunct(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'punct' && t.value === value;
  }
  isKeyword(word: string): boolean {
    const t = this.peek();
    return t.type === 'ident' && t.value === word;
  }
  expectPunct(value: string): void {
    const t = this.next();
    if (t.type !== 'punct' || t.value !== value) {
      throw Errors.syntax(`'${value}' expected at position ${t.pos} in '${this.source}'`);
    }
  }
  expectIdent(): string {
    const t = this.next();
    if (t.type !== 'ident') throw Errors.syntax(`identifier expected at position ${t.pos} in '${this.source}'`);
    return t.value;
  }
  atEnd(): boolean {
    return this.peek().type === 'eof';
  }
}
