// MSAL refuses non-https authorities (msal-common UrlString.validateAsUri → authority_uri_insecure),
// and the emulator serves plain http on loopback. msal-node's documented `system.networkClient` hook
// lets a client send MSAL's requests for `https://<emulator host>` to `http://<emulator host>`; every
// other URL goes out unchanged. Structural types keep @azure/msal-node a dev dependency only.
import { EMULATOR_TENANT_ID } from '../users.ts';
import { openIdConfiguration } from './tokens.ts';

export interface MsalNetworkResponse<T> {
  headers: Record<string, string>;
  body: T;
  status: number;
}

export interface MsalNetworkClient {
  sendGetRequestAsync<T>(
    url: string,
    options?: { headers?: Record<string, string> },
    timeout?: number,
  ): Promise<MsalNetworkResponse<T>>;
  sendPostRequestAsync<T>(
    url: string,
    options?: { headers?: Record<string, string>; body?: string },
  ): Promise<MsalNetworkResponse<T>>;
}

export function emulatorNetworkClient(emulatorUrl: string): MsalNetworkClient {
  const plain = new URL(emulatorUrl);
  const secureOrigin = `https://${plain.host}`;
  const rewrite = (url: string): string =>
    url.startsWith(secureOrigin) ? `${plain.origin}${url.slice(secureOrigin.length)}` : url;
  const send = async <T>(
    method: string,
    url: string,
    headers?: Record<string, string>,
    body?: string,
  ): Promise<MsalNetworkResponse<T>> => {
    const target = rewrite(url);
    // tell the emulator the client sees it as https, so discovery documents use https endpoints
    const forwarded = target !== url ? { 'X-Forwarded-Proto': 'https' } : {};
    const res = await fetch(target, { method, headers: { ...headers, ...forwarded }, body });
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      out[k] = v;
    });
    return { headers: out, body: (await res.json()) as T, status: res.status };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options?.headers),
    sendPostRequestAsync: (url, options) => send('POST', url, options?.headers, options?.body),
  };
}

/**
 * The other way, pure configuration: MSAL accepts an https authority string whose endpoints come from
 * `authorityMetadata`/`cloudDiscoveryMetadata` (msal-node Configuration), so it never fetches discovery
 * and posts straight to the emulator's http token endpoint with its default network client.
 */
export interface MsalAuthorityOptions {
  authority: string;
  knownAuthorities: string[];
  authorityMetadata: string;
  cloudDiscoveryMetadata: string;
}

export function msalAuthorityOptions(emulatorUrl: string, tenantId: string = EMULATOR_TENANT_ID): MsalAuthorityOptions {
  const plain = new URL(emulatorUrl);
  const authority = `https://${plain.host}/${tenantId}`;
  return {
    authority,
    knownAuthorities: [plain.host],
    authorityMetadata: JSON.stringify(openIdConfiguration(plain.origin, tenantId)),
    cloudDiscoveryMetadata: JSON.stringify({
      tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: plain.host, preferred_cache: plain.host, aliases: [plain.host] }],
    }),
  };
}
