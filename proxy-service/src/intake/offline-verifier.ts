// PayPal webhook self-verification, PayPal's preferred method (developer.paypal.com/api/rest/webhooks/rest):
// RSA-SHA256 over `transmission_id|transmission_time|webhook_id|crc32(raw body)` with the certificate at
// paypal-cert-url. The URL is only fetched from the allowlist; the certificate must chain to a trusted CA,
// be valid now and carry a messageverificationcerts*.paypal.com subject (as PayPal's Java SDK checks).
//
// Certificate cache (PayPal's docs: "cache the certificate by URL"): keyed by the normalised URL (WHATWG URL
// serialisation, so "https://API.paypal.com:443/a/../certs/X" and "https://api.paypal.com/certs/X" are one key),
// bounded (LRU, CHAIN_CACHE_MAX chains), and a failed fetch is remembered for FAILED_FETCH_TTL_MS. New URLs are
// fetched at most NEW_URL_FETCHES_PER_MINUTE a minute: unsigned requests naming 200 unknown certificate ids under
// the allowed prefix cost at most that many outbound fetches, the rest are rejected ('cert_fetch_throttled')
// without a fetch. PayPal rotates its certificate about once a year and retries a rejected delivery for 3 days,
// so a genuine new URL met during a flood is fetched on a later retry.
import { X509Certificate, verify as verifySignature } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { rootCertificates } from 'node:tls';
import { crc32 } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import type { CertificateSource } from './certificate-source.ts';
import { readTransmission } from './paypal-headers.ts';
import { reject, type VerificationResult, type WebhookVerifier } from './verification.ts';

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
  /** Cache limits (defaults below); tests make them small. */
  cache?: { maxChains?: number; failedFetchTtlMs?: number; newUrlFetchesPerMinute?: number };
}

export const CHAIN_CACHE_MAX = 64;
export const FAILED_FETCH_TTL_MS = 60_000;
export const NEW_URL_FETCHES_PER_MINUTE = 10;

interface CachedChain {
  leaf: X509Certificate;
  path: X509Certificate[];
}

const MAX_PATH = 5;
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
let nodeRoots: X509Certificate[] | undefined;
const defaultAnchors = () => (nodeRoots ??= rootCertificates.map((pem) => new X509Certificate(pem)));

/** The WHATWG serialisation of an allowed certificate URL (the cache key and the URL fetched), else undefined. */
export function normaliseCertUrl(url: string, allowlist: string[]): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  // Compare normalised forms so "https://API.paypal.com:443/v1/notifications/certs/../x" cannot slip through.
  // Encoded slashes or dots ("%2F", "%2e") are refused outright: a server might decode them into another path.
  if (parsed.username || parsed.password || parsed.search || parsed.hash || /%(2f|5c|2e)/i.test(parsed.pathname))
    return undefined;
  const normalised = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  const allowed = allowlist.some((prefix) => {
    const p = new URL(prefix);
    return (
      normalised.startsWith(`${p.protocol}//${p.host}${p.pathname}`) &&
      normalised.length > `${p.protocol}//${p.host}${p.pathname}`.length
    );
  });
  return allowed ? normalised : undefined;
}

export function certUrlAllowed(url: string, allowlist: string[]): boolean {
  return normaliseCertUrl(url, allowlist) !== undefined;
}

export function subjectCommonName(cert: X509Certificate): string | undefined {
  const line = cert.subject.split('\n').find((l) => l.startsWith('CN='));
  return line?.slice(3);
}

export class OfflineVerifier implements WebhookVerifier {
  private readonly cache: LRUCache<string, Promise<CachedChain>>;
  private readonly failed: LRUCache<string, ChainError>;
  private readonly anchors: X509Certificate[];
  private readonly options: OfflineVerifierOptions;
  private readonly fetchBudget: { perMinute: number; windowStart: number; used: number };

  constructor(options: OfflineVerifierOptions) {
    this.options = options;
    this.anchors = [...(options.anchors ?? defaultAnchors()), ...(options.extraAnchors ?? [])];
    this.cache = new LRUCache({ max: options.cache?.maxChains ?? CHAIN_CACHE_MAX });
    this.failed = new LRUCache({ max: 1024, ttl: options.cache?.failedFetchTtlMs ?? FAILED_FETCH_TTL_MS });
    this.fetchBudget = {
      perMinute: options.cache?.newUrlFetchesPerMinute ?? NEW_URL_FETCHES_PER_MINUTE,
      windowStart: 0,
      used: 0,
    };
  }

  async verify(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<VerificationResult> {
    const t = readTransmission(headers);
    if ('missing' in t) return reject('missing_header', `${t.missing} header missing`);
    const webhookId = typeof this.options.webhookId === 'function' ? this.options.webhookId() : this.options.webhookId;
    if (!webhookId)
      return reject('webhook_id_unset', 'PAYPAL_WEBHOOK_ID is not configured and setup has not registered a webhook');
    if (t.authAlgo !== 'SHA256withRSA') return reject('unsupported_algorithm', `paypal-auth-algo ${t.authAlgo}`);
    const certUrl = normaliseCertUrl(t.certUrl, this.options.certUrlAllowlist);
    if (!certUrl) return reject('cert_url_not_allowed', t.certUrl);

    let chain: CachedChain;
    try {
      chain = await this.chainFor(certUrl);
    } catch (err) {
      return reject(err instanceof ChainError ? err.reason : 'cert_unavailable', (err as Error).message);
    }
    const now = (this.options.clock ?? (() => new Date()))();
    for (const cert of chain.path) {
      if (now < cert.validFromDate || now > cert.validToDate) {
        return reject(
          'cert_expired',
          `${subjectCommonName(cert) ?? cert.subject} valid ${cert.validFrom} – ${cert.validTo}`,
        );
      }
    }
    const message = `${t.transmissionId}|${t.transmissionTime}|${webhookId}|${crc32(rawBody)}`;
    // Node's base64 decoder skips what it cannot read and stops at padding, so "sig, sig" or "sig" + "AAAA" would
    // decode to the genuine signature: only canonical base64 is taken.
    if (!CANONICAL_BASE64.test(t.transmissionSig))
      return reject('bad_signature', 'paypal-transmission-sig is not canonical base64');
    const signature = Buffer.from(t.transmissionSig, 'base64');
    const valid =
      signature.length > 0 && verifySignature('sha256', Buffer.from(message, 'utf8'), chain.leaf.publicKey, signature);
    return valid ? { ok: true } : reject('bad_signature', 'signature does not match the signed message');
  }

  /** Fetches, checks and caches the chain by normalised URL; a failure is remembered for a short while. */
  private chainFor(url: string): Promise<CachedChain> {
    const cached = this.cache.get(url);
    if (cached) return cached;
    const failure = this.failed.get(url);
    if (failure) return Promise.reject(failure);
    if (!this.takeFetch()) {
      return Promise.reject(
        new ChainError(
          'cert_fetch_throttled',
          `more than ${this.fetchBudget.perMinute} new certificate URLs this minute`,
        ),
      );
    }
    const pending = this.buildChain(url);
    this.cache.set(url, pending);
    pending.catch((err: unknown) => {
      this.cache.delete(url);
      this.failed.set(
        url,
        err instanceof ChainError ? err : new ChainError('cert_unavailable', (err as Error)?.message ?? String(err)),
      );
    });
    return pending;
  }

  private takeFetch(): boolean {
    const now = Date.now();
    const b = this.fetchBudget;
    if (now - b.windowStart >= 60_000) {
      b.windowStart = now;
      b.used = 0;
    }
    if (b.used >= b.perMinute) return false;
    b.used++;
    return true;
  }

  private async buildChain(url: string): Promise<CachedChain> {
    const served = await this.options.certificates.chain(url);
    const leaf = served[0];
    if (!leaf) throw new ChainError('cert_unavailable', `no certificate at ${url}`);
    const cn = subjectCommonName(leaf);
    if (!cn || !this.options.subjectPattern.test(cn))
      throw new ChainError('cert_subject', `subject CN ${cn ?? '(none)'} not allowed`);
    const path = [leaf];
    let current = leaf;
    for (let depth = 0; depth < MAX_PATH; depth++) {
      if (this.isAnchor(current)) return { leaf, path };
      const issuer = this.findIssuer(current, served) ?? (await this.fetchIssuer(current));
      if (!issuer)
        throw new ChainError('cert_untrusted', `no trusted issuer for ${current.subject.replace(/\n/g, ', ')}`);
      path.push(issuer);
      if (this.isAnchor(issuer)) return { leaf, path };
      if (!issuer.ca) throw new ChainError('cert_untrusted', `issuer ${subjectCommonName(issuer)} is not a CA`);
      current = issuer;
    }
    throw new ChainError('cert_untrusted', 'certificate chain too long');
  }

  private isAnchor(cert: X509Certificate): boolean {
    return this.anchors.some((a) => a.fingerprint256 === cert.fingerprint256);
  }

  private findIssuer(cert: X509Certificate, served: X509Certificate[]): X509Certificate | undefined {
    return [...this.anchors, ...served].find(
      (candidate) => candidate !== cert && cert.checkIssued(candidate) && cert.verify(candidate.publicKey),
    );
  }

  private async fetchIssuer(cert: X509Certificate): Promise<X509Certificate | undefined> {
    const match = /CA Issuers - URI:(\S+)/.exec(cert.infoAccess ?? '');
    if (!match?.[1]) return undefined;
    const url = new URL(match[1]);
    if (!(this.options.aiaHosts ?? []).includes(url.hostname)) return undefined;
    const issuer = await this.options.certificates.issuer(url.href);
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey) ? issuer : undefined;
  }
}

class ChainError extends Error {
  readonly reason: 'cert_subject' | 'cert_untrusted' | 'cert_unavailable' | 'cert_fetch_throttled';
  constructor(reason: ChainError['reason'], message: string) {
    super(message);
    this.reason = reason;
  }
}
