// Client-credentials tokens for the application user (use-single-tenant-server-server-authentication.md):
// msal-node's ConfidentialClientApplication keeps the token in its in-memory cache and renews it before
// expiry, so calling it per request costs a cache lookup. Scope is "<org url>/.default".
import { ConfidentialClientApplication } from '@azure/msal-node';
import type { Configuration } from '@azure/msal-node';
import { AppError, errors } from '../../errors.ts';
import { SERVICE } from './dataverse-errors.ts';

export interface TokenOptions {
  orgUrl: string;
  clientId: string;
  clientSecret: string;
  tenantId?: string;
  authority?: string;
  /** merged over the defaults; `auth` key by key (e.g. the emulator's msalAuthorityOptions) */
  msal?: object;
}

export function msalConfiguration(o: TokenOptions): Configuration {
  const overrides = (o.msal ?? {}) as Partial<Configuration>;
  const authority = o.authority ?? `https://login.microsoftonline.com/${o.tenantId ?? 'organizations'}`;
  return { ...overrides, auth: { clientId: o.clientId, clientSecret: o.clientSecret, authority, ...overrides.auth } };
}

export interface TokenProvider {
  (): Promise<string>;
  /** the next call bypasses msal's cache (after a 401: the cached token was revoked or the server restarted) */
  invalidate(): void;
}

export function createTokenProvider(o: TokenOptions): TokenProvider {
  const app = new ConfidentialClientApplication(msalConfiguration(o));
  const scopes = [`${o.orgUrl.replace(/\/+$/, '')}/.default`];
  let skipCache = false;
  const provider = async (): Promise<string> => {
    let result;
    try {
      const fresh = skipCache;
      skipCache = false;
      result = await app.acquireTokenByClientCredential({ scopes, skipCache: fresh });
    } catch (e) {
      const code = (e as { errorCode?: unknown }).errorCode;
      // msal reports transport failures with error codes like network_error / endpoints_resolution_error
      if (typeof code === 'string' && /network|endpoints_resolution|unreachable/i.test(code))
        throw errors.network(SERVICE, e);
      throw new AppError({
        code: `${SERVICE}_auth`,
        message: `${SERVICE} token request failed: ${e instanceof Error ? e.message : String(e)}`,
        failure: 'unauthorized',
        httpStatus: 401,
        cause: e,
      });
    }
    if (!result?.accessToken)
      throw new AppError({
        code: `${SERVICE}_auth`,
        message: `${SERVICE} token request returned no token`,
        failure: 'unauthorized',
        httpStatus: 401,
      });
    return result.accessToken;
  };
  return Object.assign(provider, {
    invalidate: () => {
      skipCache = true;
    },
  });
}
