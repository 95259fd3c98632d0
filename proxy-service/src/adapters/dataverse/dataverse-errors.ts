// Dataverse answers → AppError. Error body {"error":{"code":"0x…","message":"…"}}
// (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors).
// 429 (service protection: 0x80072322 requests, 0x80072321 execution time, 0x80072326 concurrency,
// https://learn.microsoft.com/power-apps/developer/data-platform/api-limits) and 5xx are retryable;
// any other 4xx (400 validation, 403 privilege, 404, 412 concurrency/duplicate) is not, with code dataverse_<status>.
import { AppError, errors, toAppError } from '../../errors.ts';
import { parseRetryAfter } from '../../queue/retry-policy.ts';

export const SERVICE = 'dataverse';

export const THROTTLE_CODES = {
  requests: '0x80072322',
  executionTime: '0x80072321',
  concurrency: '0x80072326',
} as const;

type HeaderSource = Headers | Record<string, unknown> | undefined;

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers))
    if (k.toLowerCase() === wanted && v !== undefined && v !== null) return String(v);
  return undefined;
}

export function parseErrorBody(body: string | undefined): { code?: string; message?: string } {
  if (!body) return {};
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof parsed.error?.code === 'string' && parsed.error.code !== '' ? parsed.error.code : undefined;
    const message = typeof parsed.error?.message === 'string' ? parsed.error.message : undefined;
    return { code, message };
  } catch {
    return { message: body.slice(0, 500) };
  }
}

/** An HTTP answer that is an error, as an AppError; extra lands in details (e.g. the failing change-set operation). */
export function dataverseError(
  status: number,
  error: { code?: string; message?: string },
  headers?: HeaderSource,
  extra: Record<string, unknown> = {},
): AppError {
  const message = error.message ?? `HTTP ${status}`;
  const details = { dataverseCode: error.code, ...extra };
  if (status === 429 || status >= 500 || status === 408) {
    return errors.remote(SERVICE, status, message, parseRetryAfter(header(headers, 'retry-after')), details);
  }
  return new AppError({
    code: `${SERVICE}_${status}`,
    message: `${SERVICE} answered ${status}: ${message}`,
    retryable: false,
    httpStatus: status,
    details,
  });
}

/** Normalises whatever dynamics-web-api, fetch or msal threw. */
export function fromThrown(e: unknown): AppError {
  if (e instanceof AppError) return e;
  const lib = e as { status?: unknown; code?: unknown; message?: unknown; headers?: Record<string, unknown> } | null;
  if (lib && typeof lib.status === 'number' && lib.status >= 400) {
    return dataverseError(
      lib.status,
      {
        code: typeof lib.code === 'string' && lib.code !== '' ? lib.code : undefined,
        message: typeof lib.message === 'string' ? lib.message : undefined,
      },
      lib.headers,
    );
  }
  const normalised = toAppError(e);
  if (normalised.code === 'remote_unreachable') return errors.network(SERVICE, e);
  return normalised;
}

/** A 412 from a change set means a record we read changed meanwhile: retryable, the next attempt re-reads. */
export function asConflict(err: unknown): unknown {
  if (err instanceof AppError && err.httpStatus === 412) {
    return new AppError({
      code: 'dataverse_conflict',
      message: `concurrent update: ${err.message}`,
      retryable: true,
      httpStatus: 412,
      cause: err,
    });
  }
  return err;
}
