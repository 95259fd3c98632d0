import type { IncomingHttpHeaders } from 'node:http';

// What every webhook verifier answers. Reasons are stable: they label the rejection metric and the security log.
export type RejectReason =
  | 'missing_header'
  | 'webhook_id_unset'
  | 'unsupported_algorithm'
  | 'cert_url_not_allowed'
  | 'cert_unavailable'
  | 'cert_untrusted'
  | 'cert_expired'
  | 'cert_subject'
  | 'cert_fetch_throttled'
  | 'bad_signature'
  | 'postback_failure'
  // Replay defences on top of the signature (replay-guard.ts):
  | 'transmission_time_invalid'
  | 'transmission_time_out_of_range'
  | 'transmission_replayed';

export type VerificationResult = { ok: true } | { ok: false; reason: RejectReason; detail: string };

export interface WebhookVerifier {
  verify(rawBody: Buffer, headers: IncomingHttpHeaders, event: unknown): Promise<VerificationResult>;
}

export const reject = (reason: RejectReason, detail: string): VerificationResult => ({ ok: false, reason, detail });
