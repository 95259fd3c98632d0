// Offline webhook verification exactly as a receiver does it for PayPal's real deliveries
// (https://developer.paypal.com/api/rest/webhooks/rest/): CRC32 of the raw body, message
// `transmission_id|transmission_time|webhook_id|crc`, RSA-SHA256 with the certificate from paypal-cert-url.
// Written here with node:crypto only, independent of the emulator's code.
import { createVerify, X509Certificate } from 'node:crypto';
import { crc32 } from 'node:zlib';

export function splitPemChain(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

export interface VerifyInput {
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
  webhookId: string;
  certChainPem: string;
  /** Trusted root; when given, the leaf must be issued and signed by it. */
  trustedCaPem?: string;
  at?: Date;
}

export function verifyDelivery({ headers, raw, webhookId, certChainPem, trustedCaPem, at = new Date() }: VerifyInput): {
  ok: boolean;
  reason?: string;
} {
  const h = (n: string) => String(headers[n] ?? '');
  if (h('paypal-auth-algo') !== 'SHA256withRSA') return { ok: false, reason: 'algo' };
  const [leafPem, ...rest] = splitPemChain(certChainPem);
  if (!leafPem) return { ok: false, reason: 'no certificate' };
  const leaf = new X509Certificate(leafPem);
  if (!/CN=messageverificationcerts(\.sandbox)?\.paypal\.com/.test(leaf.subject))
    return { ok: false, reason: `subject ${leaf.subject}` };
  if (at < new Date(leaf.validFrom) || at > new Date(leaf.validTo)) return { ok: false, reason: 'expired' };
  if (trustedCaPem) {
    const ca = new X509Certificate(trustedCaPem);
    if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey))
      return { ok: false, reason: 'not signed by the trusted CA' };
    if (rest[0] && new X509Certificate(rest[0]).fingerprint256 !== ca.fingerprint256)
      return { ok: false, reason: 'chain CA differs' };
  }
  const crc = crc32(raw) >>> 0;
  const message = `${h('paypal-transmission-id')}|${h('paypal-transmission-time')}|${webhookId}|${crc}`;
  const ok = createVerify('RSA-SHA256').update(message).verify(leaf.publicKey, h('paypal-transmission-sig'), 'base64');
  return ok ? { ok } : { ok, reason: 'signature' };
}
