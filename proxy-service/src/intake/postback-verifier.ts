// Postback verification: ask PayPal (POST /v1/notifications/verify-webhook-signature) whether a delivery
// is genuine. The configurable alternative to offline verification; costs one API call per event and does
// not work for simulator events (developer.paypal.com/api/rest/webhooks/rest).
import type { IncomingHttpHeaders } from 'node:http';
import type { TokenProvider } from '../adapters/paypal/oauth.ts';
import { readTransmission } from './paypal-headers.ts';
import { reject, type VerificationResult, type WebhookVerifier } from './verification.ts';

export interface PostbackVerifierOptions {
  baseUrl: string;
  webhookId: string | undefined | (() => string | undefined);
  tokens: TokenProvider;
}

export class PostbackVerifier implements WebhookVerifier {
  private readonly options: PostbackVerifierOptions;
  constructor(options: PostbackVerifierOptions) {
    this.options = options;
  }

  async verify(_rawBody: Buffer, headers: IncomingHttpHeaders, event: unknown): Promise<VerificationResult> {
    const t = readTransmission(headers);
    if ('missing' in t) return reject('missing_header', `${t.missing} header missing`);
    const webhookId = typeof this.options.webhookId === 'function' ? this.options.webhookId() : this.options.webhookId;
    if (!webhookId)
      return reject('webhook_id_unset', 'PAYPAL_WEBHOOK_ID is not configured and setup has not registered a webhook');
    const res = await fetch(new URL('/v1/notifications/verify-webhook-signature', this.options.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${await this.options.tokens.token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        auth_algo: t.authAlgo,
        cert_url: t.certUrl,
        transmission_id: t.transmissionId,
        transmission_sig: t.transmissionSig,
        transmission_time: t.transmissionTime,
        webhook_id: webhookId,
        webhook_event: event,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (res.status === 401) this.options.tokens.invalidate();
    // A PayPal outage must not pass as "verified": it is an error the sender will retry after our 5xx.
    if (!res.ok) throw new Error(`verify-webhook-signature answered ${res.status}`);
    const body = (await res.json()) as { verification_status?: string };
    return body.verification_status === 'SUCCESS'
      ? { ok: true }
      : reject('postback_failure', `verification_status ${body.verification_status}`);
  }
}
