// Errors with a stable code, a retryable flag and an HTTP status, made by factories (stripe-node, Azurite).
// Unknown throwables are normalised at the edge by toAppError.

export interface AppErrorInit {
  code: string;
  message: string;
  retryable: boolean;
  httpStatus?: number;
  /** Milliseconds the remote side asked us to wait (Retry-After). */
  retryAfterMs?: number;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly httpStatus: number;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown> | undefined;
  constructor(init: AppErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'AppError';
    this.code = init.code;
    this.retryable = init.retryable;
    this.httpStatus = init.httpStatus ?? 500;
    this.retryAfterMs = init.retryAfterMs;
    this.details = init.details;
  }
}

export const errors = {
  validation: (message: string, details?: Record<string, unknown>) =>
    new AppError({ code: 'validation_failed', message, retryable: false, httpStatus: 400, details }),
  /** A remote API answered; retryable when it is throttling (429) or failing (5xx), not for 4xx. */
  remote: (
    service: string,
    status: number,
    message: string,
    retryAfterMs?: number,
    details?: Record<string, unknown>,
  ) =>
    new AppError({
      code: status === 429 ? `${service}_throttled` : status >= 500 ? `${service}_unavailable` : `${service}_rejected`,
      message: `${service} answered ${status}: ${message}`,
      retryable: status === 429 || status >= 500 || status === 408,
      httpStatus: status,
      retryAfterMs,
      details,
    }),
  network: (service: string, cause: unknown) =>
    new AppError({
      code: `${service}_unreachable`,
      message: `${service} unreachable: ${cause instanceof Error ? cause.message : String(cause)}`,
      retryable: true,
      httpStatus: 503,
      cause,
    }),
  notFound: (what: string) =>
    new AppError({ code: 'not_found', message: `${what} not found`, retryable: false, httpStatus: 404 }),
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Normalises any throwable: AppErrors pass through, network failures become retryable, anything else is a non-retryable bug. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const code =
    (err as { code?: unknown; cause?: { code?: unknown } } | null)?.code ??
    (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return errors.network('remote', err);
  if (err instanceof TypeError && err.message === 'fetch failed') return errors.network('remote', err);
  const message = err instanceof Error ? err.message : String(err);
  return new AppError({ code: 'unexpected', message, retryable: false, cause: err });
}
