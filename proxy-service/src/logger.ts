// pino with secrets and personal data redacted wherever they may appear in a log object.
import { pino, type Logger } from 'pino';

export const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.clientSecret',
  '*.client_secret',
  '*.adminToken',
  '*.password',
  '*.databaseUrl',
  'payload',
  '*.payload',
  'event.resource.payer',
  '*.email_address',
  '*.payer_email',
  '*.emailaddress1',
  '*.address',
  '*.shipping',
];

/** Where log lines go: stdout as JSON by default (production); the local sandbox passes a pretty-printing stream. */
export type LogDestination = pino.DestinationStream;

export function createLogger(level: string, destination?: LogDestination): Logger {
  return pino(
    { level, base: { service: 'ppc-proxy' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    destination,
  );
}

export type { Logger };

/** Longest caller-supplied value a log line carries (ids, URLs, header values, paths); longer ones are cut. */
export const LOG_VALUE_MAX = 128;

/**
 * A caller-supplied value fit for a log line: strings cut to `max` characters (the total length is kept), other
 * values (arrays of duplicated headers, numbers) as their JSON, cut the same way. A 1 MB header never reaches the disk.
 */
export function capped(value: unknown, max = LOG_VALUE_MAX): string | undefined {
  if (value === undefined || value === null) return undefined;
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? `<${typeof value}>`);
  return s.length <= max ? s : `${s.slice(0, max)}…(${s.length} chars)`;
}

/**
 * An error as a log line may show it. Database errors carry the offending input in `detail`, `where` and
 * sometimes in quotes in the message ("invalid input syntax for type json", with the JSON as context): only
 * the SQLSTATE code, the message without what follows its first colon and without quoted text, and the stack
 * frames are kept.
 */
export function errorForLog(err: unknown): { type: string; code?: string; message: string; stack?: string } {
  if (!(err instanceof Error)) return { type: typeof err, message: capped(String(err)) ?? '' };
  const code = (err as { code?: unknown }).code;
  // PostgreSQL puts the offending value after a colon ('invalid input syntax for type bigint: "x"').
  const text = typeof code === 'string' ? err.message.split(': ')[0]! : err.message;
  const message = capped(text.replace(/"[^"]*"|'[^']*'/g, '"…"'), 200) ?? '';
  const frames = err.stack
    ?.split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 10)
    .join('\n');
  return {
    type: err.name,
    ...(typeof code === 'string' ? { code: code.slice(0, 16) } : {}),
    message,
    ...(frames ? { stack: frames } : {}),
  };
}
