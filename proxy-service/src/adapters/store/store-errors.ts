// A database that cannot be reached (stopped, restarting, failing over, a connection ended by the server)
// is a temporary condition, not a bug: the intake answers 503 so the sender redelivers, a job is retried.
import { AppError } from '../../errors.ts';

// SQLSTATE classes and codes that mean "the server or the connection went away"
// (postgresql.org/docs/current/errcodes-appendix.html): class 08 connection exception; 57P01
// admin_shutdown (pg_terminate_backend, shutdown), 57P02 crash_shutdown, 57P03 cannot_connect_now
// (starting up / shutting down), 53300 too_many_connections.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
// node-postgres reports a lost or refused connection with these messages and no code.
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
];

export function isStoreUnavailable(err: unknown): boolean {
  if (err instanceof AppError) return err.code === 'store_unavailable';
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_NODE_CODES.has(code)) return true;
  if (err instanceof AggregateError) return err.errors.some(isStoreUnavailable);
  const message = typeof e?.message === 'string' ? e.message : '';
  return UNAVAILABLE_MESSAGES.some((m) => message.includes(m));
}

/** The error a store operation throws when the database cannot be reached; other errors pass unchanged. */
export function storeError(err: unknown): unknown {
  if (err instanceof AppError || !isStoreUnavailable(err)) return err;
  const code = (err as { code?: unknown }).code;
  return new AppError({
    code: 'store_unavailable',
    message: `database unreachable${typeof code === 'string' ? ` (${code})` : ''}`,
    failure: 'network',
    httpStatus: 503,
    cause: err,
  });
}
