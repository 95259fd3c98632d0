// Security events, aggregated: rejected webhooks (bad signature, wrong secret, replayed transmission…) and suspected
// forgeries are counted by the intake and the flows (metrics.ts); once per window this reads how many arrived since
// the last look and adds them to ONE integration event per source, reason and hour. A flood of forged requests is
// one row with a count, never one row (or one alert) per request; the Prometheus rules alert on the same counters.
import type { Sql } from '../adapters/store/store.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { countIntegrationEvent } from './integration-events.ts';

type Counts = Map<string, { labels: Record<string, string | number>; value: number }>;

async function read(counter: { get(): Promise<{ values: { labels: object; value: number }[] }> }): Promise<Counts> {
  const out: Counts = new Map();
  for (const v of (await counter.get()).values) {
    const labels = v.labels as Record<string, string | number>;
    out.set(JSON.stringify(labels), { labels, value: v.value });
  }
  return out;
}

const REASONS: Record<string, string> = {
  bad_token: 'an admin request came with a wrong token',
};

export interface SecurityAggregatorDeps {
  store: Sql;
  metrics: Metrics;
  log: Logger;
  clock?: () => Date;
}

/** One window: what the counters gained since the previous call, recorded per hour bucket. Returns rows touched. */
export function securityAggregator(deps: SecurityAggregatorDeps) {
  const seen = new Map<string, number>();
  const clock = deps.clock ?? (() => new Date());
  return async function flush(): Promise<number> {
    const hour = clock().toISOString().slice(0, 13);
    let touched = 0;
    const sources = [
      { kind: 'rejected', counts: await read(deps.metrics.rejected) },
      { kind: 'forgery', counts: await read(deps.metrics.forgerySuspected) },
    ];
    for (const { kind, counts } of sources) {
      for (const [k, { labels, value }] of counts) {
        const key = `${kind}:${k}`;
        const delta = value - (seen.get(key) ?? 0);
        seen.set(key, value);
        if (delta <= 0) continue;
        const source = String(labels.source ?? 'paypal');
        const reason = String(labels.reason ?? labels.event_type ?? 'unknown');
        const what =
          kind === 'forgery'
            ? `${reason} events whose body disagreed with PayPal's own answer (suspected forgery); nothing was booked from them`
            : `${source} requests rejected: ${REASONS[reason] ?? reason}`;
        await countIntegrationEvent(
          deps.store,
          {
            key: `security:${kind}:${source}:${reason}:${hour}`,
            kind: 'security',
            source: source === 'dataverse' ? 'dataverse' : source === 'admin' ? 'outbound' : 'paypal',
            eventType: kind === 'forgery' ? `forgery:${reason}` : `rejected:${source}:${reason}`,
            eventId: `security:${kind}:${source}:${reason}:${hour}`,
            message: `Security: ${what} during ${hour}:00 UTC. Count so far in this hour is the Attempts column. An administrator should check the proxy's log and admin console.`,
            detail: `counter ${kind === 'forgery' ? 'ppc_webhook_forgery_suspected_total' : 'ppc_webhooks_rejected_total'} ${JSON.stringify(labels)} +${delta}`,
          },
          delta,
        );
        touched++;
      }
    }
    return touched;
  };
}

export function startSecurityAggregator(
  deps: SecurityAggregatorDeps & { intervalMs?: number; onRecorded?: () => void },
) {
  const flush = securityAggregator(deps);
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = flush()
      .then((n) => (n ? deps.onRecorded?.() : undefined))
      .catch((err: unknown) =>
        deps.log.warn({ err: { message: (err as Error).message } }, 'security events not aggregated this window'),
      )
      .finally(() => (running = undefined));
  }, deps.intervalMs ?? 60_000);
  timer.unref?.();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
