// PayPal's REST error body → AppError (developer.paypal.com/api/rest/responses/#link-failedrequests).
// Body: { name, message, debug_id, details: [{ field, value, location, issue, description }], links }.
// Code `paypal_<NAME>` (e.g. paypal_UNPROCESSABLE_ENTITY) so callers branch on PayPal's own names;
// `details.issues` lists details[].issue (e.g. CAPTURE_FULLY_REFUNDED) for the refund flow's reason.
import { AppError, errors } from '../../errors.ts';
import { classifyAnswer } from '../../retry/failure-class.ts';

export interface PayPalErrorDetail {
  field?: string;
  value?: string;
  location?: string;
  issue: string;
  description?: string;
}

export interface PayPalErrorDetails extends Record<string, unknown> {
  name: string;
  debug_id: string | undefined;
  issues: string[];
  details: PayPalErrorDetail[];
  /** the body's HATEOAS links (e.g. Payouts' duplicate sender_batch_id links the original payout) */
  links?: unknown[];
  method: string;
  path: string;
}

export function payPalError(
  status: number,
  body: unknown,
  request: { method: string; path: string },
  retryAfterMs?: number,
  headerDebugId?: string | null,
): AppError {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  // OAuth-style errors ({error, error_description}) and empty 5xx bodies have no `name`.
  const name = typeof b.name === 'string' ? b.name : typeof b.error === 'string' ? b.error : `HTTP_${status}`;
  const message =
    typeof b.message === 'string'
      ? b.message
      : typeof b.error_description === 'string'
        ? b.error_description
        : `HTTP ${status}`;
  const details = Array.isArray(b.details)
    ? (b.details as PayPalErrorDetail[]).filter((d) => d && typeof d === 'object')
    : [];
  const issues = details.map((d) => d.issue).filter((i): i is string => typeof i === 'string');
  const debugId = typeof b.debug_id === 'string' ? b.debug_id : (headerDebugId ?? undefined);
  const info: PayPalErrorDetails = {
    name,
    debug_id: debugId,
    issues,
    details,
    ...(Array.isArray(b.links) ? { links: b.links as unknown[] } : {}),
    method: request.method,
    path: request.path,
  };
  return new AppError({
    code: `paypal_${name}`,
    message: `PayPal ${request.method} ${request.path} answered ${status} ${name}${issues.length ? ` (${issues.join(', ')})` : ''}: ${message}${debugId ? ` [debug_id ${debugId}]` : ''}`,
    failure: classifyAnswer({ service: 'paypal', status, issues }),
    httpStatus: status,
    retryAfterMs,
    details: info,
  });
}

/** Connection failures and our own timeouts: retryable, the request may or may not have arrived. */
export function payPalNetworkError(cause: unknown): AppError {
  return errors.network('paypal', cause);
}

/** The PayPal fields of an AppError made here, or undefined for other errors. */
export function payPalErrorDetails(err: unknown): PayPalErrorDetails | undefined {
  if (!(err instanceof AppError) || !err.code.startsWith('paypal_') || !err.details) return undefined;
  return typeof err.details.name === 'string' ? (err.details as PayPalErrorDetails) : undefined;
}
