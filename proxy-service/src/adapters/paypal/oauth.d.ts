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
export declare function payPalTokenProvider(creds: PayPalCredentials, now?: () => number): TokenProvider;
