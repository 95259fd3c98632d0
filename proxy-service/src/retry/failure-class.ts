// Every failure the proxy meets falls into one of a few classes, and the class alone decides whether and
// where it is retried (retry-table.ts). Like stripe-node's RequestSender._shouldRetry, the whole decision
// from a vendor's answer is one function below, each rule next to the reason and the vendor page behind it.

export const FAILURE_CLASSES = [
  'throttled',
  'service_protection',
  'unavailable',
  'network',
  'in_progress',
  'conflict',
  'not_yet_recorded',
  'unauthorized',
  'rejected',
  'bug',
] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

/** Dataverse's service protection error codes (learn.microsoft.com/power-apps/developer/data-platform/api-limits). */
export const SERVICE_PROTECTION_CODES = {
  requests: '0x80072322',
  executionTime: '0x80072321',
  concurrency: '0x80072326',
} as const;
const SERVICE_PROTECTION = new Set<string>(Object.values(SERVICE_PROTECTION_CODES));

/** A remote API's error answer, reduced to what the classification reads. */
export interface RemoteAnswer {
  service: string;
  status: number;
  /** Dataverse's error.code ("0x80072322") */
  dataverseCode?: string | undefined;
  /** PayPal's details[].issue values */
  issues?: readonly string[] | undefined;
}

/** The class of an HTTP error answer from PayPal or Dataverse. */
export function classifyAnswer(answer: RemoteAnswer): FailureClass {
  const { service, status } = answer;
  // Dataverse counts its limits per user and names the one hit in error.code; the answer carries
  // Retry-After, and every request of this user must wait it out (api-limits#retry-operations).
  if (status === 429 && service === 'dataverse' && SERVICE_PROTECTION.has(answer.dataverseCode ?? '')) {
    return 'service_protection';
  }
  // Any other 429: the service asks us to slow down, Retry-After says how long
  // (developer.paypal.com/api/rest/reference/rate-limiting/, RFC 9110 §10.2.3).
  if (status === 429) return 'throttled';
  // The same PayPal-Request-Id is still being processed: sending it again later returns the first
  // request's result, never a second money movement (developer.paypal.com/api/rest/reference/idempotency/,
  // payments_payment_v2.json 409 PREVIOUS_REQUEST_IN_PROGRESS).
  if (status === 409 && service === 'paypal' && answer.issues?.includes('PREVIOUS_REQUEST_IN_PROGRESS')) {
    return 'in_progress';
  }
  // If-Match failed (a record we read changed) or If-None-Match: * met a record created meanwhile: the
  // plan is stale, so the same request would fail again; read again and plan again
  // (learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api).
  if (status === 412 && service === 'dataverse') return 'conflict';
  // An expired or revoked token: one fresh token, then it is a credentials problem an admin must fix.
  if (status === 401) return 'unauthorized';
  // The service failed or timed out on its side (408, 5xx): the same request may well succeed later.
  if (status === 408 || status >= 500) return 'unavailable';
  // Every other 4xx says the request itself is wrong (validation, not found, business rule): sending it
  // again cannot help (developer.paypal.com/api/rest/responses/#link-failedrequests).
  return 'rejected';
}

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

/** True when no answer came: connection refused or reset, DNS, or our own per-attempt timeout. The
 * request may or may not have arrived, so only idempotent requests (PayPal-Request-Id) are re-sent. */
export function isNetworkFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code ?? (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (err instanceof TypeError && err.message === 'fetch failed') return true;
  return err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError');
}
