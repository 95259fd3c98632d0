// Where signing certificates come from. The HTTP source is used in production; tests pin their own.
import { X509Certificate } from 'node:crypto';

export interface CertificateSource {
  /** The PEM chain served at a paypal-cert-url (leaf first). */
  chain(url: string): Promise<X509Certificate[]>;
  /** An issuer certificate from the leaf's Authority Information Access URL (DER or PEM). */
  issuer(url: string): Promise<X509Certificate>;
}

/** Splits a PEM bundle into certificates. */
export function parsePemChain(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

export function httpCertificateSource(timeoutMs = 5000): CertificateSource {
  const get = async (url: string): Promise<Buffer> => {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  };
  return {
    async chain(url) {
      const certs = parsePemChain((await get(url)).toString('utf8'));
      if (!certs.length) throw new Error(`no PEM certificate at ${url}`);
      return certs;
    },
    async issuer(url) {
      return new X509Certificate(await get(url));
    },
  };
}
