// Offline verification: every real signed delivery verifies; each tampering and each bad certificate is rejected.
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parsePemChain, type CertificateSource } from '../../src/intake/certificate-source.ts';
import { OfflineVerifier, certUrlAllowed } from '../../src/intake/offline-verifier.ts';
import { loadConfig } from '../../src/config.ts';
import { signedDeliveries, type SignedDelivery } from '../support/fixtures.ts';
import { makeCa, makeLeaf, signDelivery, type Issued } from '@ppc/test-support';

const defaults = loadConfig({});
const subjectPattern = new RegExp(defaults.paypalCertSubjectPattern);

/** The fixture's own certificate is both what the URL serves and the trust anchor: its DigiCert intermediate is not in the fixtures. */
function fixtureVerifier(d: SignedDelivery, extra: { allowlist?: string[]; clock?: () => Date } = {}) {
  const cert = new X509Certificate(d.certPem);
  const certificates: CertificateSource = {
    chain: async (url) => {
      if (url !== d.headers['paypal-cert-url']) throw new Error('unexpected URL');
      return [cert];
    },
    issuer: async () => {
      throw new Error('offline');
    },
  };
  return new OfflineVerifier({
    webhookId: d.webhookId,
    certUrlAllowlist: extra.allowlist ?? defaults.paypalCertUrlAllowlist,
    subjectPattern,
    anchors: [cert],
    certificates,
    clock: extra.clock ?? (() => d.sentAt),
  });
}

const deliveries = signedDeliveries();
// The 2017 sandbox capture (PayPal Java SDK test) carries the SDK's placeholder cert URL .../notifications/test.
const allowFor = (d: SignedDelivery) =>
  d.name.includes('sandbox-2017')
    ? [...defaults.paypalCertUrlAllowlist, 'https://api.sandbox.paypal.com/v1/notifications/']
    : undefined;

describe('offline verification of real PayPal deliveries', () => {
  it('has the saved deliveries to test', () => {
    expect(deliveries.length).toBeGreaterThanOrEqual(13);
  });

  it.each(deliveries.map((d) => [d.name, d] as const))(
    '%s verifies with its certificate and a pinned clock',
    async (_name, d) => {
      await expect(fixtureVerifier(d, { allowlist: allowFor(d) }).verify(d.body, d.headers)).resolves.toEqual({
        ok: true,
      });
    },
  );

  const d = deliveries.find((x) => x.name === 'PAYMENT.CAPTURE.COMPLETED')!;

  it('rejects a body with one byte changed', async () => {
    const body = Buffer.from(d.body);
    const at = body.indexOf('"30.00"');
    body[at + 2] = '4'.charCodeAt(0);
    expect(await fixtureVerifier(d).verify(body, d.headers)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it.each([
    ['paypal-transmission-id', (v: string) => v.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')), 'bad_signature'],
    ['paypal-transmission-time', () => '2024-08-02T19:33:36Z', 'bad_signature'],
    [
      'paypal-transmission-sig',
      (v: string) => `${v.slice(0, 10)}${v[10] === 'A' ? 'B' : 'A'}${v.slice(11)}`,
      'bad_signature',
    ],
    ['paypal-cert-url', (v: string) => v.replace('1a5f47cb', '1a5f47cc'), 'cert_unavailable'],
    ['paypal-auth-algo', () => 'SHA1withRSA', 'unsupported_algorithm'],
  ] as const)('rejects a changed %s header', async (header, change, reason) => {
    const headers = { ...d.headers, [header]: change(d.headers[header]!) };
    expect(await fixtureVerifier(d).verify(d.body, headers)).toMatchObject({ ok: false, reason });
  });

  it.each([
    'paypal-transmission-id',
    'paypal-transmission-time',
    'paypal-transmission-sig',
    'paypal-cert-url',
    'paypal-auth-algo',
  ])('rejects a missing %s header', async (header) => {
    const headers: Record<string, string> = { ...d.headers };
    delete headers[header];
    expect(await fixtureVerifier(d).verify(d.body, headers)).toMatchObject({ ok: false, reason: 'missing_header' });
  });

  it('rejects when our webhook id is another one', async () => {
    const v = fixtureVerifier({ ...d, webhookId: '8PT597110X687430LKGECATA' });
    expect(await v.verify(d.body, d.headers)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('rejects the real, expired certificate under the real clock', async () => {
    const v = fixtureVerifier(d, { clock: () => new Date() });
    expect(await v.verify(d.body, d.headers)).toMatchObject({ ok: false, reason: 'cert_expired' });
  });
});

describe('certificate URL allowlist', () => {
  const allow = defaults.paypalCertUrlAllowlist;
  it.each([
    ['https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1a5f47cb', true],
    ['https://api.sandbox.paypal.com/v1/notifications/certs/CERT-1', true],
    ['https://evil.example.com/v1/notifications/certs/CERT-1', false],
    ['https://api.paypal.com.evil.example.com/v1/notifications/certs/CERT-1', false],
    ['http://api.paypal.com/v1/notifications/certs/CERT-1', false],
    ['https://api.paypal.com/v1/other/CERT-1', false],
    ['https://api.paypal.com/v1/notifications/certs/', false],
    ['https://api.paypal.com:8443/v1/notifications/certs/CERT-1', false],
    ['https://user@api.paypal.com/v1/notifications/certs/CERT-1', false],
    ['https://api.paypal.com/v1/notifications/certs/../../evil', false],
    ['not a url', false],
  ])('%s → %s', (url, ok) => {
    expect(certUrlAllowed(url, allow)).toBe(ok);
  });

  it('rejects a delivery whose cert URL is off the allowlist before fetching anything', async () => {
    const d = deliveries.find((x) => x.name === 'PAYMENT.CAPTURE.COMPLETED')!;
    for (const url of [
      'https://evil.example.com/v1/notifications/certs/X',
      'http://api.paypal.com/v1/notifications/certs/X',
      'https://api.paypal.com/v2/certs/X',
    ]) {
      let fetched = false;
      const v = new OfflineVerifier({
        webhookId: d.webhookId,
        certUrlAllowlist: allow,
        subjectPattern,
        certificates: {
          chain: async () => ((fetched = true), []),
          issuer: async () => ((fetched = true), new X509Certificate(d.certPem)),
        },
        clock: () => d.sentAt,
      });
      expect(await v.verify(d.body, { ...d.headers, 'paypal-cert-url': url })).toMatchObject({
        ok: false,
        reason: 'cert_url_not_allowed',
      });
      expect(fetched).toBe(false);
    }
  });
});

describe('certificate chain and subject', () => {
  let ca: Issued;
  let otherCa: Issued;
  const url = 'https://api.sandbox.paypal.com/v1/notifications/certs/CERT-chain';
  const body = Buffer.from('{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED"}');
  beforeAll(async () => {
    ca = await makeCa();
    otherCa = await makeCa('Somebody Else CA');
  });
  const verifierServing = (pem: string, anchors: Issued[]) =>
    new OfflineVerifier({
      webhookId: 'WH-ID',
      certUrlAllowlist: defaults.paypalCertUrlAllowlist,
      subjectPattern,
      anchors: anchors.map((a) => new X509Certificate(a.pem)),
      certificates: {
        chain: async (u) => (u === url ? parsePemChain(pem) : []),
        issuer: async () => Promise.reject(new Error('none')),
      },
    });
  const sign = (leaf: Issued) => signDelivery(body, { webhookId: 'WH-ID', certUrl: url, key: leaf.privateKey });

  it('accepts a leaf issued by a trusted CA', async () => {
    const leaf = await makeLeaf(ca);
    expect(await verifierServing(leaf.pem, [ca]).verify(body, sign(leaf))).toEqual({ ok: true });
  });

  it('accepts a served chain (leaf, then CA) whose CA is trusted', async () => {
    const leaf = await makeLeaf(ca);
    expect(await verifierServing(leaf.pem + ca.pem, [ca]).verify(body, sign(leaf))).toEqual({ ok: true });
  });

  it('rejects a certificate with the wrong subject', async () => {
    const leaf = await makeLeaf(ca, 'messageverificationcerts.evil.example.com');
    expect(await verifierServing(leaf.pem, [ca]).verify(body, sign(leaf))).toMatchObject({
      ok: false,
      reason: 'cert_subject',
    });
  });

  it('rejects a well-named certificate from an untrusted CA, even when the CA rides along in the chain', async () => {
    const leaf = await makeLeaf(otherCa);
    expect(await verifierServing(leaf.pem + otherCa.pem, [ca]).verify(body, sign(leaf))).toMatchObject({
      ok: false,
      reason: 'cert_untrusted',
    });
  });

  it('rejects an expired certificate with the real clock', async () => {
    const leaf = await makeLeaf(ca, undefined, { notBefore: new Date('2023-01-01'), notAfter: new Date('2024-01-01') });
    expect(await verifierServing(leaf.pem, [ca]).verify(body, sign(leaf))).toMatchObject({
      ok: false,
      reason: 'cert_expired',
    });
  });

  it('fetches a certificate once per URL', async () => {
    const leaf = await makeLeaf(ca);
    let fetches = 0;
    const v = new OfflineVerifier({
      webhookId: 'WH-ID',
      certUrlAllowlist: defaults.paypalCertUrlAllowlist,
      subjectPattern,
      anchors: [new X509Certificate(ca.pem)],
      certificates: {
        chain: async () => (fetches++, parsePemChain(leaf.pem)),
        issuer: async () => Promise.reject(new Error('none')),
      },
    });
    await Promise.all([v.verify(body, sign(leaf)), v.verify(body, sign(leaf))]);
    await v.verify(body, sign(leaf));
    expect(fetches).toBe(1);
  });
});
