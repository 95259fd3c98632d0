import type { IncomingHttpHeaders } from 'node:http';
import type { TokenProvider } from '../adapters/paypal/oauth.ts';
import { type VerificationResult, type WebhookVerifier } from './verification.ts';
export interface PostbackVerifierOptions {
    baseUrl: string;
    webhookId: string | undefined | (() => string | undefined);
    tokens: TokenProvider;
}
export declare class PostbackVerifier implements WebhookVerifier {
    private readonly options;
    constructor(options: PostbackVerifierOptions);
    verify(_rawBody: Buffer, headers: IncomingHttpHeaders, event: unknown): Promise<VerificationResult>;
}
