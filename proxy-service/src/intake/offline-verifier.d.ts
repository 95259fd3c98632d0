import { X509Certificate } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { CertificateSource } from './certificate-source.ts';
import { type VerificationResult, type WebhookVerifier } from './verification.ts';
export interface OfflineVerifierOptions {
    /** Our webhook's id at PayPal; a function when it may be set later (by setup). */
    webhookId: string | undefined | (() => string | undefined);
    certUrlAllowlist: string[];
    subjectPattern: RegExp;
    /** Trust anchors; default Node's bundled Mozilla roots. Add extra CAs with extraAnchors. */
    anchors?: X509Certificate[];
    extraAnchors?: X509Certificate[];
    /** Hosts a missing intermediate may be fetched from (the leaf's AIA "CA Issuers" URL). */
    aiaHosts?: string[];
    certificates: CertificateSource;
    clock?: () => Date;
}
export declare function certUrlAllowed(url: string, allowlist: string[]): boolean;
export declare function subjectCommonName(cert: X509Certificate): string | undefined;
export declare class OfflineVerifier implements WebhookVerifier {
    private readonly cache;
    private readonly anchors;
    private readonly options;
    constructor(options: OfflineVerifierOptions);
    verify(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<VerificationResult>;
    /** Fetches, checks and caches the chain by URL; a failed fetch is not cached so a later delivery can retry it. */
    private chainFor;
    private buildChain;
    private isAnchor;
    private findIssuer;
    private fetchIssuer;
}
