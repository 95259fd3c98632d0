// Errors with a stable code, a failure class and an HTTP status, made by factories (stripe-node, Azurite).
// Whether a class is retryable, and where, is the retry table's (retry/retry-table.ts), never the factory's.
// Unknown throwables are normalised at the edge by toAppError.
import { classifyAnswer, isNetworkFailure, type FailureClass } from './retry/failure-class.ts';
import { RETRY_TABLE } from './retry/retry-table.ts';

export interface AppErrorInit {
  code: string;
  message: string;
  failure: FailureClass;
  httpStatus?: number;
  /** Milliseconds the remote side asked us to wait (Retry-After). */
  retryAfterMs?: number;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: string;
  readonly failure: FailureClass;
  readonly retryable: boolean;
  readonly httpStatus: number;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown> | undefined;
  constructor(init: AppErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'AppError';
    this.code = init.code;
    this.failure = init.failure;
    this.retryable = RETRY_TABLE[init.failure].retryable;
    this.httpStatus = init.httpStatus ?? 500;
    this.retryAfterMs = init.retryAfterMs;
    this.details = init.details;
  }
}

export const errors = {
  validation: (message: string, details?: Record<string, unknown>) =>
    new AppError({ code: 'validation_failed', message, failure: 'rejected', httpStatus: 400, details }),
  /** A remote API answered with an error; its class comes from the retry table's classification. */
  remote: (
    service: string,
    status: number,
    message: string,
    retryAfterMs?: number,
    details?: Record<string, unknown>,
  ) =>
    new AppError({
      code:
        status === 429
          ? `${service}_throttled`
          : status >= 500 || status === 408
            ? `${service}_unavailable`
            : `${service}_rejected`,
      message: `${service} answered ${status}: ${message}`,
      failure: classifyAnswer({
        service,
        status,
        dataverseCode: typeof details?.dataverseCode === 'string' ? details.dataverseCode : undefined,
      }),
      httpStatus: status,
      retryAfterMs,
      details,
    }),
  network: (service: string, cause: unknown) =>
    new AppError({
      code: `${service}_unreachable`,
      message: `${service} unreachable: ${cause instanceof Error ? cause.message : String(cause)}`,
      failure: 'network',
      httpStatus: 503,
      cause,
    }),
  notFound: (what: string) =>
    new AppError({ code: 'not_found', message: `${what} not found`, failure: 'rejected', httpStatus: 404 }),
};

/** Normalises any throwable: AppErrors pass through, network failures become retryable, anything else is a non-retryable bug. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isNetworkFailure(err)) return errors.network('remote', err);
  const message = err instanceof Error ? err.message : String(err);
  return new AppError({ code: 'unexpected', message, failure: 'bug', cause: err });
}
