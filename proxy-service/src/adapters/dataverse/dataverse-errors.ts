// Dataverse answers → AppError. Error body {"error":{"code":"0x…","message":"…"}}
// (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors).
// 429/5xx/408 get dataverse_throttled / dataverse_unavailable, any other 4xx dataverse_<status>; the
// failure class (and so whether and where it is retried) comes from retry/failure-class.ts.
import { AppError, errors, toAppError } from '../../errors.ts';
import { classifyAnswer, SERVICE_PROTECTION_CODES } from '../../retry/failure-class.ts';
import { parseRetryAfter } from '../../retry/retry-policy.ts';

export const SERVICE = 'dataverse';

/** Service protection codes (api-limits): 0x80072322 requests, 0x80072321 execution time, 0x80072326 concurrency. */
export const THROTTLE_CODES = SERVICE_PROTECTION_CODES;

type HeaderSource = Headers | Record<string, unknown> | undefined;

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers))
    if (k.toLowerCase() === wanted && (typeof v === 'string' || typeof v === 'number')) return String(v);
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
    failure: classifyAnswer({ service: SERVICE, status, dataverseCode: error.code }),
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
