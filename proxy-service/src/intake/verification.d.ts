import type { IncomingHttpHeaders } from 'node:http';
export type RejectReason = 'missing_header' | 'webhook_id_unset' | 'unsupported_algorithm' | 'cert_url_not_allowed' | 'cert_unavailable' | 'cert_untrusted' | 'cert_expired' | 'cert_subject' | 'bad_signature' | 'postback_failure';
export type VerificationResult = {
    ok: true;
} | {
    ok: false;
    reason: RejectReason;
    detail: string;
};
export interface WebhookVerifier {
    verify(rawBody: Buffer, headers: IncomingHttpHeaders, event: unknown): Promise<VerificationResult>;
}
export declare const reject: (reason: RejectReason, detail: string) => VerificationResult;
