// Builds a real proxy for a test: in-memory PGlite, or PostgreSQL in a schema of its own when
// DATABASE_URL is set (npm run test:pg), so test files never see each other's jobs.
import { randomBytes } from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import type { Server } from 'node:http';
import { loadConfig, type Config } from '../../src/config.ts';
import { OfflineVerifier } from '../../src/intake/offline-verifier.ts';
import { parsePemChain } from '../../src/intake/certificate-source.ts';
import { createLogger } from '../../src/logger.ts';
import { createProxy, type ProxyOverrides } from '../../src/proxy.ts';
import { ALL_ACTIONS } from '../../src/flows/event-actions.ts';
import { recordRun, type Handlers } from '../../src/flows/handlers.ts';
import { makeCa, makeLeaf, signDelivery, type Issued } from '@ppc/test-support';

export const TEST_WEBHOOK_ID = 'WH-TEST-8PT597110X687430LKGECATA';
export const TEST_CERT_URL = 'https://api.sandbox.paypal.com/v1/notifications/certs/CERT-test-0001';

export interface TestPki {
  ca: Issued;
  leaf: Issued;
  sign(body: Buffer | string, extra?: { transmissionId?: string }): Record<string, string>;
}

let pki: Promise<TestPki> | undefined;
export function testPki(): Promise<TestPki> {
  pki ??= (async () => {
    const ca = await makeCa();
    const leaf = await makeLeaf(ca);
    return {
      ca,
      leaf,
      sign: (body, extra) =>
        signDelivery(Buffer.isBuffer(body) ? body : Buffer.from(body), {
          webhookId: TEST_WEBHOOK_ID,
          certUrl: TEST_CERT_URL,
          key: leaf.privateKey,
          ...extra,
        }),
    };
  })();
  return pki;
}

export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PGLITE_DATA_DIR: 'memory://',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    PAYPAL_WEBHOOK_ID: TEST_WEBHOOK_ID,
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    RETRY_BASE_MS: '10',
    RETRY_MAX_MS: '50',
    QUEUE_POLLING_SECONDS: '0.5',
    EXIT_ON_SIGTERM: 'false',
  };
  if (process.env.DATABASE_URL) {
    env.DATABASE_URL = process.env.DATABASE_URL;
    env.DATABASE_SCHEMA = `t_${randomBytes(6).toString('hex')}`;
  }
  return { ...env, ...extra };
}

/** Every action handled by recordRun: intake and queue tests count runs without the business flows. */
export const recordEveryAction = (): Handlers => Object.fromEntries(ALL_ACTIONS.map((a) => [a, recordRun]));

export async function startTestProxy(options: { env?: Record<string, string>; overrides?: ProxyOverrides } = {}) {
  const config: Config = loadConfig(testEnv(options.env));
  const { leaf, ca } = await testPki();
  const verifier =
    options.overrides?.verifier ??
    new OfflineVerifier({
      webhookId: config.paypalWebhookId,
      certUrlAllowlist: config.paypalCertUrlAllowlist,
      subjectPattern: new RegExp(config.paypalCertSubjectPattern),
      anchors: [new X509Certificate(ca.pem)],
      certificates: {
        chain: async (url) => {
          if (url !== TEST_CERT_URL) throw new Error(`no certificate at ${url}`);
          return parsePemChain(leaf.pem);
        },
        issuer: async () => {
          throw new Error('no AIA in tests');
        },
      },
    });
  const proxy = await createProxy(config, {
    log: createLogger(config.logLevel),
    handlers: recordEveryAction(),
    ...options.overrides,
    verifier,
  });
  const url = await proxy.listen(0, '127.0.0.1');
  return { proxy, url, config };
}

export async function post(url: string, body: Buffer | string, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

export type { Server };
