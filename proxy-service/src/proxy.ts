// Composition of one proxy instance: store → queue → verifier → intake → worker → HTTP app.
// main.ts runs it from the environment; tests build it with their own clock, certificates and handlers.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openStore } from './adapters/store/open-store.ts';
import type { Store } from './adapters/store/store.ts';
import { payPalTokenProvider } from './adapters/paypal/oauth.ts';
import type { Config } from './config.ts';
import { buildHandlers, type Handlers } from './flows/handlers.ts';
import { createApp } from './http/app.ts';
import { httpCertificateSource, parsePemChain, type CertificateSource } from './intake/certificate-source.ts';
import { OfflineVerifier } from './intake/offline-verifier.ts';
import { createPayPalIntake } from './intake/paypal-intake.ts';
import { PostbackVerifier } from './intake/postback-verifier.ts';
import type { WebhookVerifier } from './intake/verification.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { createInboxWorker } from './queue/inbox-worker.ts';
import { QUEUES, startBoss } from './queue/job-queue.ts';

export interface ProxyOverrides {
  log?: Logger;
  store?: Store;
  verifier?: WebhookVerifier;
  certificates?: CertificateSource;
  clock?: () => Date;
  handlers?: Partial<Handlers>;
  random?: () => number;
  /** Start the job workers (default true). */
  workers?: boolean;
}

export function buildVerifier(config: Config, overrides: ProxyOverrides): WebhookVerifier {
  if (overrides.verifier) return overrides.verifier;
  if (config.paypalVerificationMode === 'postback') {
    return new PostbackVerifier({
      baseUrl: config.paypalApiBaseUrl,
      webhookId: config.paypalWebhookId,
      tokens: payPalTokenProvider({ baseUrl: config.paypalApiBaseUrl, clientId: config.paypalClientId!, clientSecret: config.paypalClientSecret! }),
    });
  }
  return new OfflineVerifier({
    webhookId: config.paypalWebhookId,
    certUrlAllowlist: config.paypalCertUrlAllowlist,
    subjectPattern: new RegExp(config.paypalCertSubjectPattern),
    extraAnchors: config.paypalExtraCaFile ? parsePemChain(readFileSync(config.paypalExtraCaFile, 'utf8')) : [],
    aiaHosts: config.paypalCertAiaHosts,
    certificates: overrides.certificates ?? httpCertificateSource(),
    ...(overrides.clock ? { clock: overrides.clock } : {}),
  });
}

export async function createProxy(config: Config, overrides: ProxyOverrides = {}) {
  const log = overrides.log ?? createLogger(config.logLevel);
  const metrics = createMetrics({ defaultMetrics: !overrides.log });
  const store = overrides.store ?? (await openStore(config));
  const withWorkers = overrides.workers ?? config.role !== 'intake';
  const boss = await startBoss(store, { workers: withWorkers });
  const verifier = buildVerifier(config, overrides);
  const intake = createPayPalIntake({ store, boss, verifier, metrics, log });
  const worker = createInboxWorker({
    boss,
    store,
    queue: QUEUES.paypal,
    handlers: buildHandlers(overrides.handlers),
    policy: { maxAttempts: config.jobMaxAttempts, baseMs: config.retryBaseMs, maxMs: config.retryMaxMs },
    metrics,
    log,
    ...(overrides.random ? { random: overrides.random } : {}),
  });
  let draining = false;
  const app = createApp({
    store,
    boss,
    intake,
    metrics,
    log,
    adminToken: config.adminToken,
    webhookBodyLimitBytes: config.webhookBodyLimitBytes,
    draining: () => draining,
  });
  if (withWorkers) await worker.start({ concurrency: config.workerConcurrency, pollingSeconds: config.queuePollingSeconds });

  let server: Server | undefined;
  let stopped: Promise<void> | undefined;
  return {
    app,
    store,
    boss,
    worker,
    metrics,
    log,
    async listen(port = config.port, host = config.host): Promise<string> {
      server = await new Promise<Server>((resolve, reject) => {
        const s = app.listen(port, host, () => resolve(s));
        s.once('error', reject);
      });
      const address = server.address() as AddressInfo;
      return `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
    },
    /** Graceful stop: intake answers 503, in-flight jobs finish (up to the timeout), then the store closes. */
    stop(): Promise<void> {
      stopped ??= (async () => {
        draining = true;
        await worker.stop();
        await boss.stop({ graceful: true, timeout: config.shutdownTimeoutMs, close: true });
        if (server) {
          const s = server;
          await new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeIdleConnections();
          });
        }
        if (!overrides.store) await store.close();
      })();
      return stopped;
    },
  };
}

export type Proxy = Awaited<ReturnType<typeof createProxy>>;
