// What a flood of hostile requests costs: log lines capped and sampled (every rejection counted), certificate
// fetches bounded (normalised cache key, LRU, failures remembered, a budget for new URLs), and the Dataverse
// secret checked before a byte of the body is read.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID, X509Certificate } from 'node:crypto';
import { request } from 'node:http';
import { waitFor } from '@ppc/test-support';
import { loadConfig } from '../../src/config.ts';
import { parsePemChain, type CertificateSource } from '../../src/intake/certificate-source.ts';
import { normaliseCertUrl, OfflineVerifier } from '../../src/intake/offline-verifier.ts';
import { REJECT_LOG_PER_MINUTE } from '../../src/intake/reject-log.ts';
import { capped, createLogger, errorForLog } from '../../src/logger.ts';
import { post, startTestProxy, TEST_CERT_URL, testPki, type TestPki } from '../support/test-proxy.ts';

const defaults = loadConfig({});
const PREFIX = 'https://api.sandbox.paypal.com/v1/notifications/certs/';

describe('capped and errorForLog', () => {
  it('cuts long values and says how long they were', () => {
    expect(capped('x'.repeat(1_000_000))).toBe(`${'x'.repeat(128)}…(1000000 chars)`);
    expect(capped(['a', 'b'])).toBe('["a","b"]');
    expect(capped(undefined)).toBeUndefined();
  });

  it('keeps a database error’s code and drops its detail, context, query, parameters and quoted values', () => {
    const err = Object.assign(new Error('invalid input syntax for type json: "{\\"secret\\":1"'), {
      code: '22P02',
      detail: 'Token "secret" is invalid.',
      where: 'JSON data, line 1: {"secret"...',
      query: 'INSERT ... $1',
      params: ['{"secret":1'],
    });
    const logged = JSON.stringify(errorForLog(err));
    expect(logged).not.toContain('secret');
    expect(errorForLog(err)).toMatchObject({ type: 'Error', code: '22P02' });
  });
});

describe('certificate cache', () => {
  let pki: TestPki;
  const counting = (serve: (url: string) => boolean) => {
    const fetched: string[] = [];
    const source: CertificateSource = {
      chain: async (url) => {
        fetched.push(url);
        if (!serve(url)) throw new Error('404');
        return parsePemChain(pki.leaf.pem);
      },
      issuer: async () => {
        throw new Error('no AIA');
      },
    };
    return { fetched, source };
  };
  const verifier = (source: CertificateSource, cache?: ConstructorParameters<typeof OfflineVerifier>[0]['cache']) =>
    new OfflineVerifier({
      webhookId: 'WH-TEST-8PT597110X687430LKGECATA',
      certUrlAllowlist: defaults.paypalCertUrlAllowlist,
      subjectPattern: new RegExp(defaults.paypalCertSubjectPattern),
      anchors: [new X509Certificate(pki.ca.pem)],
      certificates: source,
      ...(cache ? { cache } : {}),
    });
  const signedWith = (certUrl: string) => {
    const headers = pki.sign('{}');
    return { ...headers, 'paypal-cert-url': certUrl };
  };

  beforeAll(async () => {
    pki = await testPki();
  });

  it('normalises the URL: other spellings of one certificate URL share one fetch; tricks are refused', async () => {
    expect(normaliseCertUrl('https://API.sandbox.paypal.com:443/v1/notifications/certs/x/../CERT-1', [PREFIX])).toBe(
      `${PREFIX}CERT-1`,
    );
    for (const trick of [
      `https://user@api.sandbox.paypal.com/v1/notifications/certs/CERT-1`,
      `https://api.sandbox.paypal.com/v1/notifications/certs/..%2F..%2Foauth2`,
      `https://api.sandbox.paypal.com/v1/notifications/certs/%2e%2e/x`,
      `https://api.sandbox.paypal.com:8443/v1/notifications/certs/CERT-1`,
      `http://api.sandbox.paypal.com/v1/notifications/certs/CERT-1`,
      `https://127.0.0.1/v1/notifications/certs/CERT-1`,
      `https://api.sandbox.paypal.com.evil.test/v1/notifications/certs/CERT-1`,
      PREFIX,
    ])
      expect(normaliseCertUrl(trick, [PREFIX])).toBeUndefined();

    const { fetched, source } = counting(() => true);
    const v = verifier(source);
    for (const url of [
      TEST_CERT_URL,
      TEST_CERT_URL.replace('api.sandbox', 'API.SANDBOX'),
      TEST_CERT_URL.replace('.com/', '.com:443/'),
    ])
      expect(await v.verify(Buffer.from('{}'), signedWith(url))).toEqual({ ok: true });
    expect(fetched).toEqual([TEST_CERT_URL]);
  });

  it('is bounded: the least recently used chain is evicted', async () => {
    const { fetched, source } = counting(() => true);
    const v = verifier(source, { maxChains: 2 });
    for (const n of [1, 2, 3, 1]) await v.verify(Buffer.from('{}'), signedWith(`${PREFIX}CERT-${n}`));
    expect(fetched).toEqual([1, 2, 3, 1].map((n) => `${PREFIX}CERT-${n}`));
  });

  it('remembers a failed fetch for a while, then tries again', async () => {
    const { fetched, source } = counting(() => false);
    const v = verifier(source, { failedFetchTtlMs: 200 });
    const url = `${PREFIX}CERT-missing`;
    const results = await Promise.all(Array.from({ length: 20 }, () => v.verify(Buffer.from('{}'), signedWith(url))));
    expect(results.every((r) => !r.ok && r.reason === 'cert_unavailable')).toBe(true);
    expect(fetched).toHaveLength(1);
    await waitFor(
      async () => (await v.verify(Buffer.from('{}'), signedWith(url)), fetched.length === 2),
      5_000,
      'a fetch after the failure expired',
    );
  });

  it('fetches at most its budget of new URLs a minute: 200 unknown certificate ids cost 10 fetches', async () => {
    const { fetched, source } = counting(() => false);
    const v = verifier(source);
    const results = await Promise.all(
      Array.from({ length: 200 }, () => v.verify(Buffer.from('{}'), signedWith(`${PREFIX}CERT-${randomUUID()}`))),
    );
    expect(fetched).toHaveLength(10);
    expect(results.filter((r) => !r.ok && r.reason === 'cert_fetch_throttled')).toHaveLength(190);
  });
});

describe('through the app', () => {
  const SECRET = 'test-dataverse-webhook-secret-0123';
  const lines: string[] = [];
  let t: Awaited<ReturnType<typeof startTestProxy>>;
  let pki: TestPki;

  beforeAll(async () => {
    pki = await testPki();
    t = await startTestProxy({
      env: { DATAVERSE_WEBHOOK_SECRET: SECRET },
      overrides: { log: createLogger('debug', { write: (line: string) => void lines.push(line) }) },
    });
  });
  afterAll(async () => {
    await t?.proxy.stop();
  });
  const metric = async (pattern: RegExp) => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    return Number(pattern.exec(text)?.[1] ?? 0);
  };

  it('caps every caller-supplied value it logs: long ids and URLs leave short lines', async () => {
    // Node refuses headers over 16 kB in all (431); 5,000 characters each stay under that.
    const long = 'A'.repeat(5_000);
    const body = JSON.stringify({ id: `WH-${long}`.slice(0, 200), event_type: 'PAYMENT.CAPTURE.COMPLETED' });
    const headers = {
      ...pki.sign(body),
      'paypal-transmission-id': long,
      'paypal-cert-url': `${PREFIX}${long}`,
    };
    const before = lines.length;
    expect((await post(`${t.url}/webhooks/paypal`, body, headers)).status).toBe(400);
    const logged = lines.slice(before);
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) expect(line.length).toBeLessThan(2_000);
    expect(logged.join('')).not.toContain('A'.repeat(300));
  });

  it('counts every rejection and logs the first few per reason and minute', async () => {
    const before = lines.filter((l) => l.includes('"reason":"bad_signature"')).length;
    const counted = await metric(/ppc_webhooks_rejected_total\{source="paypal",reason="bad_signature"\} (\d+)/);
    for (let i = 0; i < 50; i++) {
      const body = JSON.stringify({ id: `WH-${i}`, event_type: 'X' });
      await post(`${t.url}/webhooks/paypal`, body, pki.sign(`${body} `));
    }
    const logged = lines.filter((l) => l.includes('"reason":"bad_signature"')).length - before;
    expect(logged).toBeLessThanOrEqual(REJECT_LOG_PER_MINUTE);
    expect(await metric(/ppc_webhooks_rejected_total\{source="paypal",reason="bad_signature"\} (\d+)/)).toBe(
      counted + 50,
    );
    expect(
      await metric(/ppc_webhooks_rejected_unlogged_total\{source="paypal",reason="bad_signature"\} (\d+)/),
    ).toBeGreaterThanOrEqual(50 - REJECT_LOG_PER_MINUTE);
  });

  it('samples admin token failures the same way', async () => {
    for (let i = 0; i < 30; i++)
      expect((await fetch(`${t.url}/admin/dead-letters`, { headers: { authorization: `Bearer x${i}` } })).status).toBe(
        401,
      );
    expect(lines.filter((l) => l.includes('"reason":"bad_token"')).length).toBeLessThanOrEqual(REJECT_LOG_PER_MINUTE);
    expect(await metric(/ppc_webhooks_rejected_total\{source="admin",reason="bad_token"\} (\d+)/)).toBe(30);
  });

  it('answers 401 to /webhooks/dataverse without the secret before reading the body', async () => {
    // Headers announce 1 MB of gzip; not a byte of it is sent. Reading the body first would wait forever.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${t.url}/webhooks/dataverse`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': String(1_000_000),
          'x-ppc-webhook-secret': 'wrong',
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(status).toBe(401);
    expect(await metric(/ppc_webhooks_rejected_total\{source="dataverse",reason="bad_secret"\} (\d+)/)).toBe(1);
  });

  it('still reads the body once the secret matches', async () => {
    const op = randomUUID();
    const body = JSON.stringify({
      MessageName: 'Update',
      PrimaryEntityName: 'ppc_creditmemo',
      PrimaryEntityId: randomUUID(),
      OperationId: op,
    });
    expect((await post(`${t.url}/webhooks/dataverse`, body, { 'x-ppc-webhook-secret': SECRET })).status).toBe(200);
  });
});
