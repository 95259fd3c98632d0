// OAuth2 client-credentials token for PayPal's REST APIs (developer.paypal.com/api/rest/authentication/).
// One token is reused until shortly before `expires_in` runs out; concurrent callers share one request.
import { parseRetryAfter } from '../../retry/retry-policy.ts';
import { payPalError, payPalNetworkError } from './paypal-error.ts';

export interface PayPalCredentials {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface TokenProvider {
  token(): Promise<string>;
  /** Forget the cached token (after a 401). */
  invalidate(): void;
}

const EARLY_REFRESH_MS = 60_000;

export function payPalTokenProvider(creds: PayPalCredentials, now: () => number = Date.now): TokenProvider {
  let cached: { value: string; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  const fetchToken = async (): Promise<string> => {
    const basic = Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64');
    let res: Response;
    try {
      res = await fetch(new URL('/v1/oauth2/token', creds.baseUrl), {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw payPalNetworkError(err);
    }
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
    };
    if (!res.ok || !body.access_token) {
      // Token errors come OAuth-style ({error, error_description}), not in the REST error shape.
      // e.g. 401 invalid_client → paypal_invalid_client, class unauthorized; 429/5xx as for any call.
      throw payPalError(
        res.status,
        res.ok ? { name: 'NO_ACCESS_TOKEN', message: 'token response without access_token' } : body,
        { method: 'POST', path: '/v1/oauth2/token' },
        parseRetryAfter(res.headers.get('retry-after')),
        res.headers.get('paypal-debug-id'),
      );
    }
    cached = { value: body.access_token, expiresAt: now() + (body.expires_in ?? 0) * 1000 - EARLY_REFRESH_MS };
    return body.access_token;
  };
  return {
    async token() {
      if (cached && cached.expiresAt > now()) return cached.value;
      inflight ??= fetchToken().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
