// Periodic re-sync of live subscriptions (issue #19): webhooks can be lost (PayPal gives up after its retries, a
// delivery is refused because its transmission time lies outside the replay window — intake/replay-guard.ts — or
// the proxy was down for longer than PayPal retried). The facts are PayPal's, so they are caught up by reading
// PayPal again: every subscription Dataverse holds as live (statecode Active) is mirrored from
// GET /v1/billing/subscriptions/{id} (subscription-sync.ts: row, dunning state and notice, plan history), and
// every COMPLETED payment PayPal lists for it since its start (GET /v1/billing/subscriptions/{id}/transactions;
// not since the row's last payment: any later event re-syncs the row past a lost payment) that Dataverse does not
// hold is booked by the renewal flow,
// from the sale PayPal returns (GET /v1/payments/sale/{id}). Keyed as the webhook path is (subscription id, sale id),
// so a late webhook and the re-sync book a payment once whichever comes first. A failure is logged and the
// subscription is tried again on the next run: the run itself is the retry.
import type { Sql } from '../../adapters/store/store.ts';
import type { Logger } from '../../logger.ts';
import { odataString, scalarText } from '../../mapping/dataverse-values.ts';
import type { HandlerContext } from '../handlers.ts';
import { subscriptionRenewal, type RenewalDeps } from './renewal.ts';
import { subscriptionSyncer } from './subscription-sync.ts';

export interface ResyncDeps extends RenewalDeps {
  paypal: RenewalDeps['paypal'] & {
    listSubscriptionTransactions(
      id: string,
      startTime: string,
      endTime: string,
    ): Promise<{ transactions?: readonly { id?: string; status?: string; time?: string }[] }>;
    getSale(id: string): Promise<unknown>;
  };
  /** The proxy's store, handed to the renewal flow as a queued job's context would be. */
  store?: Sql;
  /** Our clock (tests pin it). */
  now?: () => Date;
}

export interface ResyncResult {
  subscriptions: number;
  booked: { subscriptionId: string; saleId: string }[];
  failed: { subscriptionId: string; error: string }[];
}

const DAY_MS = 86_400_000;
const PAGE = 500;

export function subscriptionResync(deps: ResyncDeps) {
  const sync = subscriptionSyncer(deps);
  const renewal = subscriptionRenewal(deps);
  const now = deps.now ?? (() => new Date());

  async function one(log: Logger, subscriptionId: string, booked: ResyncResult['booked']) {
    const runId = `resync:${subscriptionId}:${now().toISOString()}`;
    const base = { eventId: runId, eventType: 'SUBSCRIPTION.RESYNC', log };
    const synced = await sync(base, subscriptionId, runId);
    // From the start (a day's margin) to PayPal's last payment or our now, whichever is later (PayPal's clock
    // decides when it billed).
    const from = Date.parse(synced.facts.startTime ?? now().toISOString()) - DAY_MS;
    const until =
      Math.max(
        now().getTime(),
        Date.parse(synced.facts.lastPayment?.time ?? '') || 0,
        Date.parse(synced.facts.updateTime) || 0,
      ) + DAY_MS;
    const listed = await deps.paypal.listSubscriptionTransactions(
      subscriptionId,
      new Date(from).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      new Date(until).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    );
    const completed = (listed.transactions ?? []).filter((t) => t.status === 'COMPLETED' && t.id).map((t) => t.id!);
    if (!completed.length) return;
    const have = new Set<string>();
    for (let i = 0; i < completed.length; i += 25) {
      const ids = completed.slice(i, i + 25);
      const known = await deps.dataverse.query<{ ppc_paypalid: string }>(
        'ppc_paypaltransactions',
        `$select=ppc_paypalid&$filter=${ids.map((id) => `ppc_paypalid eq ${odataString(id)}`).join(' or ')}`,
        ids.length,
      );
      for (const k of known) have.add(scalarText(k.ppc_paypalid));
    }
    for (const saleId of completed.filter((id) => !have.has(id))) {
      const sale = await deps.paypal.getSale(saleId);
      const eventId = `resync:${saleId}`;
      const ctx: HandlerContext = {
        inboxId: eventId,
        eventId,
        eventType: 'PAYMENT.SALE.COMPLETED',
        action: 'subscription.renewal',
        attempt: 1,
        // PayPal's own read of the sale, shaped as the event's resource; the flow re-reads it anyway.
        event: { id: eventId, event_type: 'PAYMENT.SALE.COMPLETED', resource: sale },
        store: deps.store as Sql,
        log,
      };
      await renewal(ctx);
      booked.push({ subscriptionId, saleId });
      log.warn({ subscriptionId, saleId }, 'subscription payment caught up by the re-sync (its webhook never came)');
    }
  }

  async function runOnce(log: Logger): Promise<ResyncResult> {
    const rows = await deps.dataverse.query<Record<string, unknown>>(
      'ppc_subscriptions',
      '$select=ppc_paypalsubscriptionid&$filter=statecode eq 0&$orderby=ppc_paypalsubscriptionid',
      PAGE * 20,
    );
    const result: ResyncResult = { subscriptions: rows.length, booked: [], failed: [] };
    for (const r of rows) {
      const id = scalarText(r.ppc_paypalsubscriptionid ?? '');
      if (!id) continue;
      try {
        await one(log, id, result.booked);
      } catch (err) {
        const error = (err as Error).message;
        result.failed.push({ subscriptionId: id, error });
        log.warn({ subscriptionId: id, err: { message: error } }, 'subscription re-sync failed; next run retries');
      }
    }
    log.info(
      { subscriptions: result.subscriptions, booked: result.booked.length, failed: result.failed.length },
      'subscriptions re-synced from PayPal',
    );
    return result;
  }

  return {
    runOnce,
    /** Runs every `seconds` (runs never overlap); returns the stop function. */
    startPolling(log: Logger, seconds: number): () => Promise<void> {
      let stopped = false;
      let running: Promise<unknown> = Promise.resolve();
      const timer = setInterval(
        () => {
          if (stopped) return;
          running = running
            .then(() => runOnce(log))
            .catch((err: unknown) =>
              log.warn({ err: { message: (err as Error).message } }, 'subscription re-sync failed'),
            );
        },
        Math.max(1, seconds) * 1000,
      );
      timer.unref();
      return async () => {
        stopped = true;
        clearInterval(timer);
        await running;
      };
    },
  };
}

export type SubscriptionResync = ReturnType<typeof subscriptionResync>;
