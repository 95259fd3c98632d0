// Reads a webhook body once: the exact bytes are kept (they are what the sender signed and what the inbox stores
// as bytea), the JSON is parsed, and anything PostgreSQL's jsonb cannot hold is named, so the event is stored
// and dead-lettered with that reason instead of failing the insert (and every insert batched with it).
//
// What jsonb refuses although JSON allows it (PostgreSQL docs, "JSON Types" §8.14): the escape \u0000
// ("jsonb ... rejects \u0000 because it cannot be represented in the text type") and \uXXXX escapes that do
// not form valid Unicode (a lone surrogate). RFC 8259 §8.1 requires UTF-8 between systems, so bytes that are
// not UTF-8 are named too (the text would otherwise be stored with U+FFFD in place of what was sent).

/** Deepest nesting of objects and arrays stored as jsonb. PayPal events nest about 6 levels, a Dataverse
 *  RemoteExecutionContext about 8 (plus about 8 per ParentContext, at most 8 pipeline levels deep). */
export const MAX_JSON_DEPTH = 128;

export type PoisonReason = 'invalid_utf8' | 'nul_character' | 'lone_surrogate' | 'too_deep' | 'database_rejected';

export const POISON_DESCRIPTIONS: Record<PoisonReason, string> = {
  invalid_utf8: 'body is not valid UTF-8',
  nul_character: 'body holds a NUL character (\\u0000), which PostgreSQL jsonb cannot store',
  lone_surrogate: 'body holds a lone UTF-16 surrogate, which PostgreSQL jsonb cannot store',
  too_deep: `body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`,
  database_rejected: 'the database refused the JSON of this body',
};

export type JsonBody =
  | {
      ok: true;
      value: unknown;
      /** The text stored as jsonb; undefined when poisoned. */ text?: string;
      poison?: PoisonReason;
    }
  | { ok: false; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function readJsonBody(raw: Buffer): JsonBody {
  let text: string;
  let poison: PoisonReason | undefined;
  try {
    // A leading BOM is dropped by the decoder (Dataverse may send one).
    text = utf8.decode(raw);
  } catch {
    poison = 'invalid_utf8';
    text = raw.toString('utf8').replace(/^\uFEFF/, '');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'body is not valid JSON' };
  }
  poison ??= inspect(value);
  return poison ? { ok: true, value, poison } : { ok: true, value, text };
}

/** Walks the parsed value without recursion (JSON.parse accepts any depth; a recursive walk would not). */
function inspect(root: unknown): PoisonReason | undefined {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      const reason = badString(value);
      if (reason) return reason;
    } else if (typeof value === 'object' && value !== null) {
      if (depth >= MAX_JSON_DEPTH) return 'too_deep';
      if (Array.isArray(value)) {
        for (const item of value) stack.push([item, depth + 1]);
      } else {
        for (const [key, item] of Object.entries(value)) {
          const reason = badString(key);
          if (reason) return reason;
          stack.push([item, depth + 1]);
        }
      }
    }
  }
  return undefined;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one (code units, no u flag).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function badString(s: string): PoisonReason | undefined {
  if (s.includes('\u0000')) return 'nul_character';
  if (LONE_SURROGATE.test(s)) return 'lone_surrogate';
  return undefined;
}

/** An id or type we key the inbox by: printable text of bounded length (PayPal event ids are at most 50
 *  characters, developer.paypal.com/docs/api/webhooks/v1 "Resend event notification"; Dataverse sends GUIDs). */
export function isKeyText(value: unknown, maxLength = 255): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= maxLength &&
    !CONTROL.test(value) &&
    !LONE_SURROGATE.test(value)
  );
}
