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
