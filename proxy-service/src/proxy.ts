// Composition of one proxy instance: store → queue → verifier → intake → worker → HTTP app.
// main.ts runs it from the environment; tests build it with their own clock, certificates and handlers.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openStore } from './adapters/store/open-store.ts';
import type { Store } from './adapters/store/store.ts';
import { readSettings, SETTING_PAYPAL_WEBHOOK_ID, writeSetting } from './adapters/store/settings.ts';
import { payPalTokenProvider } from './adapters/paypal/oauth.ts';
import type { Config } from './config.ts';
import { createDataverseClient, createUserPool, withMicroBatching } from './adapters/dataverse/index.ts';
import type { DataverseClient } from './adapters/dataverse/client.ts';
import type { DataversePort } from './adapters/dataverse/types.ts';
import { createPayPalClient, type PayPalClient } from './adapters/paypal/index.ts';
import { buildHandlers, type Handlers } from './flows/handlers.ts';
import { orderToCash } from './flows/order-to-cash.ts';
import { dataverseReferenceData } from './flows/reference-data.ts';
import { refundFromPayPal } from './flows/refund-from-paypal.ts';
import { disputeChanged } from './flows/dispute.ts';
import { refundRequested } from './flows/refund-request.ts';
import { createScorer, loadModel, type FraudScorer } from './fraud/scorer.ts';
import { databaseDisputes } from './fraud/disputes.ts';
import { fraudReviewed } from './fraud/review.ts';
import { subscriptionFlows } from './flows/subscriptions/index.ts';
import { subscriptionResync, type SubscriptionResync } from './flows/subscriptions/resync.ts';
import { approvalLimits, payoutFlows, type PayoutFlows } from './flows/payouts/index.ts';
import { DEFAULT_FEE_TABLE } from './mapping/payouts/fees.ts';
import { parseBuildSchedule } from './mapping/payouts/schedule-rule.ts';
import { createDataverseIntake } from './intake/dataverse-intake.ts';
import { KeyedLocks, paymentLock } from './flows/keyed-locks.ts';
import { createApp } from './http/app.ts';
import { httpCertificateSource, parsePemChain, type CertificateSource } from './intake/certificate-source.ts';
import { OfflineVerifier } from './intake/offline-verifier.ts';
import { createPayPalIntake } from './intake/paypal-intake.ts';
import { PostbackVerifier } from './intake/postback-verifier.ts';
import type { WebhookVerifier } from './intake/verification.ts';
import { createLogger, type LogDestination, type Logger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createInboxWorker } from './queue/inbox-worker.ts';
import { QUEUES, retireQueues, startBoss } from './queue/job-queue.ts';
import { countParkedByType, resumeParkedEvents } from './queue/parked-events.ts';
import { reconciliationFromConfig } from './reconciliation/wiring.ts';
import { reconcileNowRequested } from './reconciliation/run-request.ts';
import { auditedPayPal } from './ops/audit.ts';
import { countIntegrationEventsByStatus, setInboxEventStatus } from './ops/integration-events.ts';
import { startMirror, type Mirror } from './ops/mirror.ts';
import { retryRequested } from './ops/retry-command.ts';
import { startSecurityAggregator } from './ops/security-events.ts';
import { createRecentErrors, type RecentErrors } from './ops/recent-errors.ts';
import { startDepthSampler } from './ops/depth-sampler.ts';
import { reconciliationEventSink } from './ops/reconciliation-events.ts';

export interface ProxyOverrides {
  log?: Logger;
  /** Destination of the proxy's own logger when no `log` is given (default: JSON lines on stdout). */
  logDestination?: LogDestination;
  store?: Store;
  verifier?: WebhookVerifier;
  certificates?: CertificateSource;
  clock?: () => Date;
  /** Flows over the configured ones (tests). */
  handlers?: Handlers;
  /** The whole registry instead of the configured flows (tests: an action with no flow at all). */
  registry?: Handlers;
  random?: () => number;
  /** Start the job workers (default true). */
  workers?: boolean;
  dataverse?: DataversePort;
  paypal?: PayPalClient;
}

/** The Dataverse port of DATAVERSE_CLIENT_ID, or a pool of it and the DATAVERSE_APP_USERS (one gate each). */
export function dataverseUsers(config: Config): DataverseClient {
  const credentials = [
    { clientId: config.dataverseClientId!, clientSecret: config.dataverseClientSecret! },
    ...(config.dataverseAppUsers ?? []),
  ];
  const clients = credentials.map((c) =>
    createDataverseClient({
      url: config.dataverseUrl!,
      ...c,
      ...(config.dataverseTenantId ? { tenantId: config.dataverseTenantId } : {}),
      ...(config.dataverseMsalAuthJson ? { msal: { auth: config.dataverseMsalAuthJson } } : {}),
      maxConcurrency: config.dataverseMaxConcurrency,
      handOffThrottled: credentials.length > 1,
    }),
  );
  return clients.length === 1 ? clients[0]! : createUserPool(clients);
}

/**
 * The business flows, when Dataverse and PayPal are configured; otherwise none, and every event is parked
 * until a start with both configured.
 */
export function buildFlows(
  config: Config,
  overrides: ProxyOverrides,
  observe?: { metrics: Metrics; store?: Store; log?: Logger; recent?: RecentErrors },
): {
  flows: Handlers;
  dataverse?: DataversePort;
  paypal?: PayPalClient;
  payouts?: PayoutFlows;
  subscriptionResync?: SubscriptionResync;
} {
  const plainPayPal =
    overrides.paypal ??
    (config.paypalClientId && config.paypalClientSecret
      ? createPayPalClient({
          baseUrl: config.paypalApiBaseUrl,
          clientId: config.paypalClientId,
          clientSecret: config.paypalClientSecret,
          timeoutMs: config.paypalTimeoutMs,
        })
      : undefined);
  // Every PayPal call counted, every money movement audited with the Dataverse user behind it (ops/audit.ts).
  const paypal =
    plainPayPal && observe?.store && observe.log
      ? auditedPayPal(plainPayPal, {
          store: observe.store,
          log: observe.log,
          metrics: observe.metrics,
          ...(observe.recent ? { recent: observe.recent } : {}),
        })
      : plainPayPal;
  const dataverse = overrides.dataverse ?? (config.dataverseUrl ? dataverseUsers(config) : undefined);
  if (!dataverse || !paypal) return { flows: {}, ...(dataverse ? { dataverse } : {}), ...(paypal ? { paypal } : {}) };
  const reference = dataverseReferenceData(dataverse);
  // Order-to-cash, refunds, reversals and refund requests of one payment take turns (per process).
  const locks = new KeyedLocks();
  // Order-to-cash sends the reads and the change set of several payments in one $batch (each payment its
  // own change set); a port without `batch` (a test double, the benchmark's naive mode) is used as it is.
  const o2cDataverse =
    config.dataverseBatchWaitMs > 0 && dataverse.batch
      ? withMicroBatching(dataverse as Parameters<typeof withMicroBatching>[0], {
          maxWaitMs: config.dataverseBatchWaitMs,
          maxOperations: config.dataverseBatchMaxOperations,
          // one batch on the wire per application user: more would wait in the gates' queues anyway
          maxInFlight: 1 + (config.dataverseAppUsers?.length ?? 0),
        })
      : dataverse;
  const forgeryCounter = observe?.metrics.forgerySuspected;
  const fraud =
    overrides.store && config.fraudScoring ? fraudScorer(config, overrides.store, observe?.metrics) : undefined;
  // The model's hour profile is in the zone it was trained in: read in another zone, "unusual hour" is off until a retrain.
  const modelZone = fraud?.model.profile.timeZone ?? 'UTC';
  if (fraud && modelZone !== config.fraudTimeZone)
    observe?.log?.warn(
      { modelTimeZone: modelZone, fraudTimeZone: config.fraudTimeZone },
      `the fraud model's hour profile was learned in ${modelZone}, FRAUD_TIME_ZONE is ${config.fraudTimeZone}: run \`npm run fraud -- train\` so "unusual hour" fits the merchant's clock`,
    );
  const o2c = orderToCash({
    dataverse: o2cDataverse,
    paypal,
    reference,
    locks,
    forgeryCounter,
    ...(fraud ? { fraud } : {}),
  });
  const captureLock = paymentLock(locks);
  const refundCounter = observe?.metrics.refundsBooked;
  const refunds = refundFromPayPal({
    dataverse,
    reference,
    captureLock,
    paypal,
    forgeryCounter,
    ...(refundCounter ? { refundCounter } : {}),
  });
  // Mass payouts need the proxy's store (the parts and items it submitted): registered when it is given.
  let baseCurrency = 'USD';
  const payouts = observe?.store
    ? payoutFlows({
        dataverse,
        reference: {
          get: async () => {
            const r = await reference.get();
            baseCurrency = r.baseCurrency;
            return r;
          },
          invalidate: () => reference.invalidate(),
        },
        paypal,
        store: observe.store,
        approvalLimit: approvalLimits(config.payoutApprovalLimits, () => baseCurrency),
        ...(config.payoutFeeTable ? { feeTable: { ...DEFAULT_FEE_TABLE, ...config.payoutFeeTable } } : {}),
        ...(forgeryCounter ? { forgeryCounter } : {}),
      })
    : undefined;
  return {
    dataverse,
    paypal,
    ...(payouts ? { payouts } : {}),
    subscriptionResync: subscriptionResync({
      dataverse,
      reference,
      locks,
      paypal,
      forgeryCounter,
      ...(observe?.store ? { store: observe.store } : {}),
    }),
    flows: {
      ...payouts?.handlers,
      'capture.completed': o2c,
      'capture.pending': o2c,
      'capture.declined': o2c,
      'sale.completed': o2c,
      'capture.refunded': refunds,
      'sale.refunded': refunds,
      'capture.reversed': refunds,
      'dispute.changed': disputeChanged({
        dataverse,
        reference,
        paypal,
        forgeryCounter,
        // the customer's dispute ratio (fraud scoring) and ppc_disputes_opened_total: in the proxy's store
        ...(overrides.store ? { disputes: databaseDisputes(observe?.metrics.disputesOpened) } : {}),
      }),
      'creditmemo.refund_requested': refundRequested({
        dataverse,
        reference,
        captureLock,
        paypal,
        ...(refundCounter ? { refundCounter } : {}),
      }),
      ...(overrides.store ? { 'fraudalert.reviewed': fraudReviewed({ dataverse, store: overrides.store }) } : {}),
      ...subscriptionFlows({
        dataverse,
        reference,
        locks,
        captureLock,
        paypal,
        forgeryCounter,
        // renewals are scored in the job that books them, like any payment (fraud/README.md)
        ...(fraud ? { fraud } : {}),
      }),
    },
  };
}

/** The fraud scorer of the configured model file and thresholds (fraud/scorer.ts). */
export function fraudScorer(config: Config, store: Store, metrics?: Metrics): FraudScorer {
  const model = loadModel(config.fraudModelFile ?? undefined);
  return createScorer({
    store,
    ...(metrics ? { metrics } : {}),
    model,
    language: config.fraudLanguage,
    timeZone: config.fraudTimeZone,
    thresholds: {
      ...(config.fraudAlertThreshold !== undefined ? { alert: config.fraudAlertThreshold } : {}),
      ...(config.fraudHoldThreshold !== undefined ? { hold: config.fraudHoldThreshold } : {}),
      ...(config.fraudRefundReviewThreshold !== undefined ? { refundReview: config.fraudRefundReviewThreshold } : {}),
    },
  });
}

export function buildVerifier(
  config: Config,
  overrides: ProxyOverrides,
  webhookId: () => string | undefined = () => config.paypalWebhookId,
): WebhookVerifier {
  if (overrides.verifier) return overrides.verifier;
  if (config.paypalVerificationMode === 'postback') {
    return new PostbackVerifier({
      baseUrl: config.paypalApiBaseUrl,
      webhookId,
      tokens: payPalTokenProvider({
        baseUrl: config.paypalApiBaseUrl,
        clientId: config.paypalClientId!,
        clientSecret: config.paypalClientSecret!,
      }),
    });
  }
  return new OfflineVerifier({
    webhookId,
    certUrlAllowlist: config.paypalCertUrlAllowlist,
    subjectPattern: new RegExp(config.paypalCertSubjectPattern),
    extraAnchors: config.paypalExtraCaFile ? parsePemChain(readFileSync(config.paypalExtraCaFile, 'utf8')) : [],
    aiaHosts: config.paypalCertAiaHosts,
    certificates: overrides.certificates ?? httpCertificateSource(),
    ...(overrides.clock ? { clock: overrides.clock } : {}),
  });
}

export async function createProxy(config: Config, overrides: ProxyOverrides = {}) {
  const log = overrides.log ?? createLogger(config.logLevel, overrides.logDestination);
  const store = overrides.store ?? (await openStore(config, log));
  // The Dataverse client exists once the flows are built (below); a scrape before that reads nothing.
  const statsOf: { dataverse?: DataversePort } = {};
  const metrics = createMetrics({
    defaultMetrics: !overrides.log,
    parkedCounts: () => countParkedByType(store),
    integrationEventCounts: () => countIntegrationEventsByStatus(store),
    // The newest row per source through the primary key (ids grow with arrival): no scan of a large inbox.
    lastReceived: async () =>
      (
        await store.query<{ source: string; at: number | null }>(
          `SELECT s.source, (SELECT extract(epoch FROM received_at)::float8 FROM inbox_events i
                              WHERE i.source = s.source ORDER BY id DESC LIMIT 1) AS at
             FROM (VALUES ('paypal'), ('dataverse')) AS s(source)`,
        )
      ).rows.filter((r): r is { source: string; at: number } => r.at !== null),
    dataverseStats: () => statsOf.dataverse?.stats(),
  });
  const withWorkers = overrides.workers ?? config.role !== 'intake';
  // Repeats of one failure (a poll every interval while the database is down) are logged once a minute.
  const bossErrors = new Map<string, number>();
  const boss = await startBoss(store, {
    workers: withWorkers,
    onError: (err) => {
      const code = (err as { code?: unknown }).code;
      const key = `${typeof code === 'string' ? code : ''}:${err.message}`;
      const now = Date.now();
      if ((bossErrors.get(key) ?? 0) > now - 60_000) return;
      bossErrors.set(key, now);
      if (bossErrors.size > 100) bossErrors.clear();
      log.warn({ err: { message: err.message, code } }, 'job queue error');
    },
  });
  const retired = withWorkers ? await retireQueues(store, boss) : { deleted: [], draining: [] };
  if (retired.deleted.length || retired.draining.length) log.info(retired, 'retired job queues');
  // PAYPAL_WEBHOOK_ID wins; otherwise the id setup registered (kept in the store).
  const settings = await readSettings(store);
  const webhookId = () => config.paypalWebhookId ?? settings.get(SETTING_PAYPAL_WEBHOOK_ID);
  const verifier = buildVerifier(config, overrides, webhookId);
  const intake = createPayPalIntake({
    store,
    boss,
    verifier,
    metrics,
    log,
    ...(overrides.clock ? { clock: overrides.clock } : {}),
  });
  const dataverseIntake = createDataverseIntake({ store, boss, metrics, log, secret: config.dataverseWebhookSecret });
  const recentErrors = createRecentErrors();
  const wired = buildFlows(config, { ...overrides, store }, { metrics, store, log, recent: recentErrors });
  statsOf.dataverse = wired.dataverse;
  // ppc_integrationevent mirror (ops/): dead letters, parked and security events written to Dataverse.
  let mirror: Mirror | undefined;
  const ops = wired.dataverse
    ? {
        'integrationevent.retry_requested': retryRequested({
          store,
          boss,
          dataverse: wired.dataverse,
          mirrored: () => mirror?.poke(),
        }),
      }
    : {};
  // Reconciliation (reports, catch-up, breaks) when Dataverse and PayPal are configured.
  const reconciliation =
    wired.dataverse && wired.paypal
      ? reconciliationFromConfig(config, {
          store,
          boss,
          dataverse: wired.dataverse,
          paypal: wired.paypal,
          log,
          // breaks surface as integration events (mirrored into ppc_integrationevent) and in the admin console
          events: reconciliationEventSink(store, () => mirror?.poke(), metrics),
        })
      : undefined;
  const reconcileNow =
    reconciliation && wired.dataverse
      ? {
          'reconciliationrun.run_requested': reconcileNowRequested({
            store,
            dataverse: wired.dataverse,
            reconciler: reconciliation.reconciler,
          }),
        }
      : {};
  const handlers = buildHandlers(
    overrides.registry ?? { ...wired.flows, ...ops, ...reconcileNow, ...overrides.handlers },
  );
  const worker = createInboxWorker({
    boss,
    store,
    queue: QUEUES.inbound,
    retiredQueues: retired.draining,
    handlers,
    policy: { maxAttempts: config.jobMaxAttempts, baseMs: config.retryBaseMs, maxMs: config.retryMaxMs },
    metrics,
    log,
    ...(overrides.random ? { random: overrides.random } : {}),
    onIntegrationEvent: () => mirror?.poke(),
  });
  let draining = false;
  const depth = config.adminToken ? startDepthSampler(boss, QUEUES.inbound) : undefined;
  const app = createApp({
    ...(reconciliation ? { adminRoutes: { '/reconciliation': reconciliation.routes } } : {}),
    store,
    boss,
    intake,
    dataverseIntake,
    metrics,
    log,
    adminToken: config.adminToken,
    webhookBodyLimitBytes: config.webhookBodyLimitBytes,
    draining: () => draining,
    console: {
      ...(wired.paypal ? { paypal: wired.paypal } : {}),
      ...(wired.dataverse ? { dataverse: wired.dataverse } : {}),
      webhookId: () => webhookId(),
      recentErrors,
      ...(depth ? { depth: depth.samples } : {}),
    },
  });
  if (withWorkers) {
    // Events parked while their flow was missing run now that it is registered (once: parked-events.ts).
    const resumed = await resumeParkedEvents(store, boss, QUEUES.inbound, (action) => handlers[action] !== undefined);
    if (resumed.length)
      log.info({ resumed: resumed.length }, 'parked events re-enqueued: their flow is registered now');
    for (const id of resumed) await setInboxEventStatus(store, id, 'replayed', 'Resumed: its flow exists now.');
    await worker.start({ concurrency: config.workerConcurrency, pollingSeconds: config.queuePollingSeconds });
    reconciliation?.schedule(config.reconIntervalMs);
    if (wired.dataverse)
      mirror = startMirror({ store, dataverse: wired.dataverse, log, metrics, recent: recentErrors });
  }
  const security = withWorkers
    ? startSecurityAggregator({ store, metrics, log, onRecorded: () => mirror?.poke() })
    : undefined;
  const stopPayoutPoll =
    withWorkers && wired.payouts && config.payoutPollSeconds > 0
      ? wired.payouts.startPolling(log, config.payoutPollSeconds)
      : undefined;
  // Lost subscription webhooks (refused outside the replay window, PayPal gave up): caught up from PayPal.
  const stopSubscriptionResync =
    withWorkers && wired.subscriptionResync && config.subscriptionResyncSeconds > 0
      ? wired.subscriptionResync.startPolling(log, config.subscriptionResyncSeconds)
      : undefined;
  const buildSchedule = config.payoutBuildSchedule ? parseBuildSchedule(config.payoutBuildSchedule) : undefined;
  const stopPayoutSchedule =
    withWorkers && wired.payouts && buildSchedule && typeof buildSchedule !== 'string'
      ? wired.payouts
          .scheduler(
            buildSchedule,
            log,
            config.payoutBuildCurrencies ? new Set(config.payoutBuildCurrencies.split(',')) : undefined,
          )
          .start(log)
      : undefined;

  let server: Server | undefined;
  let stopped: Promise<void> | undefined;
  return {
    app,
    store,
    boss,
    worker,
    metrics,
    log,
    dataverse: wired.dataverse,
    paypal: wired.paypal,
    reconciler: reconciliation?.reconciler,
    payouts: wired.payouts,
    /** Re-reads every live subscription from PayPal and books the payments whose webhooks never came. */
    subscriptionResync: wired.subscriptionResync,
    /** The webhook id PayPal signs with, as setup registered it. */
    async setWebhookId(id: string) {
      await writeSetting(store, SETTING_PAYPAL_WEBHOOK_ID, id);
      settings.set(SETTING_PAYPAL_WEBHOOK_ID, id);
    },
    webhookId,
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
        await reconciliation?.stop();
        await security?.stop();
        await depth?.stop();
        await stopPayoutPoll?.();
        await stopSubscriptionResync?.();
        await stopPayoutSchedule?.();
        await worker.stop();
        await mirror?.stop();
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
