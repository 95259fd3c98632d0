// A throwaway PKI for tests: a CA and leaf certificates shaped like PayPal's, to sign deliveries the
// way PayPal does and to build the bad cases (expired, wrong subject, untrusted issuer).
import { createSign, generateKeyPairSync, webcrypto, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

type KeyPair = { publicKey: webcrypto.CryptoKey; privateKey: webcrypto.CryptoKey };
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const alg = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

export interface Issued {
  pem: string;
  privateKey: KeyObject;
  cert: x509.X509Certificate;
  keys: KeyPair;
}

let serial = 1;
async function issue(
  subject: string,
  issuer: Issued | undefined,
  opts: { ca: boolean; notBefore: Date; notAfter: Date },
): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as KeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    subject,
    issuer: issuer ? issuer.cert.subject : subject,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    signingAlgorithm: alg,
    publicKey: keys.publicKey,
    signingKey: issuer ? issuer.keys.privateKey : keys.privateKey,
    extensions: [new x509.BasicConstraintsExtension(opts.ca, undefined, true)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const { createPrivateKey } = await import('node:crypto');
  return {
    pem: cert.toString('pem'),
    privateKey: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
    cert,
    keys,
  };
}

const day = 86_400_000;
export const makeCa = (name = 'Test PayPal Root CA') =>
  issue(`CN=${name}, O=Test`, undefined, {
    ca: true,
    notBefore: new Date(Date.now() - 10 * day),
    notAfter: new Date(Date.now() + 3650 * day),
  });

export const makeLeaf = (
  ca: Issued,
  cn = 'messageverificationcerts.sandbox.paypal.com',
  validity?: { notBefore: Date; notAfter: Date },
) =>
  issue(`CN=${cn}, O=PayPal Inc., C=US`, ca, {
    ca: false,
    ...(validity ?? { notBefore: new Date(Date.now() - day), notAfter: new Date(Date.now() + 365 * day) }),
  });

/** Headers PayPal would send for this body, signed with the leaf's key. */
export function signDelivery(
  body: Buffer,
  opts: { webhookId: string; certUrl: string; key: KeyObject; transmissionId?: string; time?: Date },
): Record<string, string> {
  const transmissionId = opts.transmissionId ?? webcrypto.randomUUID();
  const time = (opts.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const signer = createSign('RSA-SHA256');
  signer.update(`${transmissionId}|${time}|${opts.webhookId}|${crc32(body)}`);
  return {
    'content-type': 'application/json',
    'paypal-transmission-id': transmissionId,
    'paypal-transmission-time': time,
    'paypal-transmission-sig': signer.sign(opts.key, 'base64'),
    'paypal-cert-url': opts.certUrl,
    'paypal-auth-algo': 'SHA256withRSA',
    'paypal-auth-version': 'v2',
  };
}

/** An unrelated RSA key, for signatures that must not verify. */
export const strangerKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
