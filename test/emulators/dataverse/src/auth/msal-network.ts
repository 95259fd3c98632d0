// MSAL refuses non-https authorities (msal-common UrlString.validateAsUri → authority_uri_insecure),
// and the emulator serves plain http on loopback. msal-node's documented `system.networkClient` hook
// lets a client send MSAL's requests for `https://<emulator host>` to `http://<emulator host>`; every
// other URL goes out unchanged. Structural types keep @azure/msal-node a dev dependency only.

export interface MsalNetworkResponse<T> {
  headers: Record<string, string>;
  body: T;
  status: number;
}

export interface MsalNetworkClient {
  sendGetRequestAsync<T>(url: string, options?: { headers?: Record<string, string> }, timeout?: number): Promise<MsalNetworkResponse<T>>;
  sendPostRequestAsync<T>(url: string, options?: { headers?: Record<string, string>; body?: string }): Promise<MsalNetworkResponse<T>>;
}

export function emulatorNetworkClient(emulatorUrl: string): MsalNetworkClient {
  const plain = new URL(emulatorUrl);
  const secureOrigin = `https://${plain.host}`;
  const rewrite = (url: string): string => (url.startsWith(secureOrigin) ? `${plain.origin}${url.slice(secureOrigin.length)}` : url);
  const send = async <T>(method: string, url: string, headers?: Record<string, string>, body?: string): Promise<MsalNetworkResponse<T>> => {
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
