// Prometheus metrics of one proxy instance (its own registry, so tests can run several apps side by side).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsOptions {
  defaultMetrics?: boolean;
  /** Read at each scrape: parked events per source and type (queue/parked-events.ts). */
  parkedCounts?: () => Promise<{ source: string; event_type: string; n: number }[]>;
  /** Read at each scrape: integration events by kind and status (ops/integration-events.ts). */
  integrationEventCounts?: () => Promise<{ kind: string; status: string; n: number; unmirrored: number }[]>;
  /** Read at each scrape: when the last event of each source was stored (unix seconds). */
  lastReceived?: () => Promise<{ source: string; at: number }[]>;
  /** Read at each scrape: the Dataverse client's own counters (requests, 429s by error code). */
  dataverseStats?: () => { requests: number; throttled: Record<string, number> } | undefined;
}

export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    received: new Counter({
      name: 'ppc_webhooks_received_total',
      help: 'Webhook deliveries received',
      labelNames: ['source'],
      registers,
    }),
    verified: new Counter({
      name: 'ppc_webhooks_verified_total',
      help: 'Deliveries whose signature verified',
      labelNames: ['source'],
      registers,
    }),
    rejected: new Counter({
      name: 'ppc_webhooks_rejected_total',
      help: 'Deliveries rejected, by reason',
      labelNames: ['source', 'reason'],
      registers,
    }),
    rejectLogsSuppressed: new Counter({
      name: 'ppc_webhooks_rejected_unlogged_total',
      help: 'Rejections counted but not logged (log lines are sampled per reason and minute)',
      labelNames: ['source', 'reason'],
      registers,
    }),
    poisoned: new Counter({
      name: 'ppc_webhooks_poison_total',
      help: 'Accepted deliveries whose body cannot be stored as JSON: stored as bytes and dead-lettered, by reason',
      labelNames: ['source', 'reason'],
      registers,
    }),
    duplicates: new Counter({
      name: 'ppc_webhooks_duplicate_total',
      help: 'Deliveries of an event already stored',
      labelNames: ['source'],
      registers,
    }),
    unknownTypes: new Counter({
      name: 'ppc_webhooks_unknown_type_total',
      help: 'Stored events of a type we do not process',
      labelNames: ['source', 'event_type'],
      registers,
    }),
    jobOutcomes: new Counter({
      name: 'ppc_jobs_total',
      help: 'Job outcomes (processed, retried, dead_lettered, skipped)',
      labelNames: ['queue', 'outcome'],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'ppc_queue_depth',
      help: 'Jobs waiting in a queue',
      labelNames: ['queue', 'state'],
      registers,
    }),
    deadLetters: new Gauge({ name: 'ppc_dead_letters_open', help: 'Dead letters not yet replayed', registers }),
    parkedEvents: new Gauge({
      name: 'ppc_inbox_parked',
      help: 'Stored events waiting for their flow to be registered, by event type',
      labelNames: ['source', 'event_type'],
      registers,
      async collect() {
        if (!options.parkedCounts) return;
        // A store that cannot answer now leaves the last values: a scrape must not fail with it.
        const counts = await options.parkedCounts().catch(() => undefined);
        if (!counts) return;
        this.reset();
        for (const c of counts) this.set({ source: c.source, event_type: c.event_type }, c.n);
      },
    }),
    forgerySuspected: new Counter({
      name: 'ppc_webhook_forgery_suspected_total',
      help: "Events whose body disagrees with PayPal's own answer for the resource, or names one PayPal does not know",
      labelNames: ['event_type'],
      registers,
    }),
    integrationEvents: new Gauge({
      name: 'ppc_integration_events',
      help: 'Integration events (the ppc_integrationevent mirror) by kind and status',
      labelNames: ['kind', 'status'],
      registers,
      async collect() {
        if (!options.integrationEventCounts) return;
        const counts = await options.integrationEventCounts().catch(() => undefined);
        if (!counts) return;
        this.reset();
        for (const c of counts) this.set({ kind: c.kind, status: c.status }, c.n);
      },
    }),
    integrationEventsUnmirrored: new Gauge({
      name: 'ppc_integration_events_unmirrored',
      help: 'Integration events whose latest state is not in Dataverse yet',
      registers,
      async collect() {
        if (!options.integrationEventCounts) return;
        const counts = await options.integrationEventCounts().catch(() => undefined);
        if (counts) this.set(counts.reduce((n, c) => n + c.unmirrored, 0));
      },
    }),
    reconciliationBreaks: new Counter({
      name: 'ppc_reconciliation_breaks_total',
      help: 'Reconciliation breaks opened by a run (kind: missing_in_d365, amount, fee, …) and closed by themselves (event="closed")',
      labelNames: ['event', 'kind'],
      registers,
    }),
    integrationEventsMirrored: new Counter({
      name: 'ppc_integration_events_mirrored_total',
      help: 'Integration event versions written to Dataverse',
      labelNames: ['kind'],
      registers,
    }),
    integrationEventMirrorFailures: new Counter({
      name: 'ppc_integration_event_mirror_failures_total',
      help: 'Failed writes of an integration event to Dataverse (retried later; the event stays in the store)',
      labelNames: ['kind'],
      registers,
    }),
    lastEventReceived: new Gauge({
      name: 'ppc_last_event_received_timestamp_seconds',
      help: 'When the last event of a source was stored (unix time)',
      labelNames: ['source'],
      registers,
      async collect() {
        if (!options.lastReceived) return;
        const rows = await options.lastReceived().catch(() => undefined);
        for (const r of rows ?? []) this.set({ source: r.source }, r.at);
      },
    }),
    paypalCalls: new Counter({
      name: 'ppc_paypal_api_calls_total',
      help: 'PayPal API calls by client operation (after the transport retries)',
      labelNames: ['operation'],
      registers,
    }),
    paypalErrors: new Counter({
      name: 'ppc_paypal_api_errors_total',
      help: 'PayPal API calls that ended in an error, by operation and failure class',
      labelNames: ['operation', 'failure'],
      registers,
    }),
    auditFailures: new Counter({
      name: 'ppc_money_movement_audit_failures_total',
      help: 'Money movements whose audit row could not be stored (logged instead)',
      registers,
    }),
    dataverseRequests: new Counter({
      name: 'ppc_dataverse_requests_total',
      help: 'HTTP requests sent to the Dataverse Web API (retries and throttled attempts included)',
      registers,
      collect() {
        const stats = options.dataverseStats?.();
        if (!stats) return;
        this.reset();
        this.inc(stats.requests);
      },
    }),
    dataverseThrottled: new Counter({
      name: 'ppc_dataverse_throttled_total',
      help: 'Dataverse 429 answers (service protection), by error code',
      labelNames: ['code'],
      registers,
      collect() {
        const stats = options.dataverseStats?.();
        if (!stats) return;
        this.reset();
        for (const [code, n] of Object.entries(stats.throttled)) this.inc({ code }, n);
      },
    }),
    intakeSeconds: new Histogram({
      name: 'ppc_intake_duration_seconds',
      help: 'Webhook request to acknowledgement',
      labelNames: ['source'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    // Fraud scoring and payment anomalies (proxy-service/src/fraud; alert rules in monitoring/prometheus/ppc-payment-anomalies.rules.yml).
    fraudScored: new Counter({
      name: 'ppc_fraud_scored_total',
      help: 'Payments scored, by band and action (held, alerted, clear)',
      labelNames: ['band', 'action'],
      registers,
    }),
    fraudScore: new Histogram({
      name: 'ppc_fraud_score',
      help: 'Fraud scores (0-100) of new payments',
      buckets: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
      registers,
    }),
    paymentsGrossMinor: new Counter({
      name: 'ppc_payments_gross_minor_total',
      help: 'Gross of new completed payments, in minor units, by currency',
      labelNames: ['currency'],
      registers,
    }),
    paymentsFeeMinor: new Counter({
      name: 'ppc_payments_fee_minor_total',
      help: 'PayPal fees of new completed payments, in minor units, by currency',
      labelNames: ['currency'],
      registers,
    }),
    paymentsDeclined: new Counter({
      name: 'ppc_payments_declined_total',
      help: 'New payments PayPal declined or failed',
      registers,
    }),
    lastPayment: new Gauge({
      name: 'ppc_last_payment_timestamp_seconds',
      help: 'Time of the newest payment scored (volume drops: no payments for N hours)',
      registers,
    }),
    refundsBooked: new Counter({
      name: 'ppc_refunds_booked_total',
      help: 'Refunds and reversals newly booked in Dataverse, by kind (refund, reversal): the refund-rate spike rule',
      labelNames: ['kind'],
      registers,
    }),
    disputesOpened: new Counter({
      name: 'ppc_disputes_opened_total',
      help: 'Disputes (chargebacks included) newly booked, once per dispute id, by stage when first seen: the dispute-rate spike rule',
      labelNames: ['stage'],
      registers,
    }),
    jobSeconds: new Histogram({
      name: 'ppc_job_duration_seconds',
      help: 'Job handler duration',
      labelNames: ['queue', 'action'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
