import type { Configuration } from '@azure/msal-node';
export interface TokenOptions {
    orgUrl: string;
    clientId: string;
    clientSecret: string;
    tenantId?: string;
    authority?: string;
    /** merged over the defaults; `auth` key by key (e.g. the emulator's msalAuthorityOptions) */
    msal?: object;
}
export declare function msalConfiguration(o: TokenOptions): Configuration;
export interface TokenProvider {
    (): Promise<string>;
    /** the next call bypasses msal's cache (after a 401: the cached token was revoked or the server restarted) */
    invalidate(): void;
}
export declare function createTokenProvider(o: TokenOptions): TokenProvider;
