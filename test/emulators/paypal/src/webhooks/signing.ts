// Webhook signing as PayPal does it (https://developer.paypal.com/api/rest/webhooks/rest/):
// sig = base64(RSA-SHA256(transmission_id|transmission_time|webhook_id|crc32(raw body))), with the
// certificate served at paypal-cert-url. PayPal's leaf is CN=messageverificationcerts.paypal.com under
// DigiCert; ours is CN=messageverificationcerts.sandbox.paypal.com under our own "PayPal Emulator Root CA".
// Keys are generated once per process (RSA key generation cannot be seeded with Node's crypto).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, createSign, createVerify, webcrypto, X509Certificate } from 'node:crypto';
import { crc32 } from 'node:zlib';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface SigningMaterial {
  caPem: string;
  leafPem: string;
  leafPrivateKeyPem: string;
  /** `CERT-xxxxxxxx-xxxxxxxx-xxxxxxxx`, derived from the leaf certificate. */
  certId: string;
}

const ALG = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
let material: Promise<SigningMaterial> | undefined;

export function signingMaterial(): Promise<SigningMaterial> {
  material ??= generate();
  return material;
}

async function generate(): Promise<SigningMaterial> {
  const subtle = webcrypto.subtle;
  const notBefore = new Date('2000-01-01T00:00:00Z');
  const notAfter = new Date('2099-12-31T23:59:59Z');
  const caKeys = (await subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=PayPal Emulator Root CA, O=PayPal Emulator',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const leafKeys = (await subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: 'CN=messageverificationcerts.sandbox.paypal.com, O=PayPal Emulator',
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingKey: caKeys.privateKey,
    publicKey: leafKeys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', leafKeys.privateKey));
  const leafPrivateKeyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n').trim()}\n-----END PRIVATE KEY-----\n`;
  const h = createHash('sha256').update(Buffer.from(leaf.rawData)).digest('hex');
  return {
    caPem: ca.toString('pem') + '\n',
    leafPem: leaf.toString('pem') + '\n',
    leafPrivateKeyPem,
    certId: `CERT-${h.slice(0, 8)}-${h.slice(8, 16)}-${h.slice(16, 24)}`,
  };
}

export function crc32Decimal(raw: Buffer | string): number {
  return crc32(typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw) >>> 0;
}

export function signedMessage(
  transmissionId: string,
  transmissionTime: string,
  webhookId: string,
  raw: Buffer | string,
): string {
  return `${transmissionId}|${transmissionTime}|${webhookId}|${crc32Decimal(raw)}`;
}

export function sign(privateKeyPem: string, message: string): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKeyPem, 'base64');
}

/** Offline verification with the leaf certificate, as a receiver does. */
export function verifyWithCert(certPem: string, message: string, signatureB64: string): boolean {
  const cert = new X509Certificate(certPem);
  return createVerify('RSA-SHA256').update(message, 'utf8').verify(cert.publicKey, signatureB64, 'base64');
}
