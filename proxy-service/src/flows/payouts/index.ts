// Mass payouts from Accounts Payable (README "Mass payouts"): the handlers of the payout actions and the poll
// that reads every open PayPal payout batch again, so a batch ends even when its webhooks are lost.
import type { Logger } from '../../logger.ts';
import { decimalToMinor } from '../../mapping/dataverse-values.ts';
import type { Handlers } from '../handlers.ts';
import { payoutBatchEvents, type PayoutBatchEvents, type PayoutFlowDeps } from './batch-events.ts';
import { cancelRequested, receiverChanged } from './commands.ts';
import { buildScheduler, type BuildSchedule, type BuildScheduler } from './schedule.ts';
import { claimPartsToPoll } from './payout-store.ts';
import { payoutTracking, type PayoutTracking } from './tracking.ts';

export type { PayoutFlowDeps } from './batch-events.ts';
export type { PayoutTracking } from './tracking.ts';

export interface PayoutFlows {
  handlers: Handlers;
  tracking: PayoutTracking;
  batches: PayoutBatchEvents;
  /** the scheduled build (PAYOUT_BUILD_SCHEDULE) */
  scheduler(schedule: BuildSchedule, log: Logger, currencies?: ReadonlySet<string>): BuildScheduler;
  /** one poll round now (tests, the poll timer) */
  pollOnce(log: Logger): Promise<number>;
  /** polls every `seconds` until the returned stop function is called */
  startPolling(log: Logger, seconds: number): () => Promise<void>;
}

/** PAYOUT_APPROVAL_LIMITS (user id → decimal in base currency, "*" for everyone else) as a limit in minor units. */
export function approvalLimits(
  limits: Readonly<Record<string, string>> | undefined,
  baseCurrency: () => string,
): PayoutFlowDeps['approvalLimit'] {
  if (!limits) return undefined;
  return (user) => {
    const text = limits[user.toLowerCase()] ?? limits['*'];
    return text === undefined ? undefined : decimalToMinor(text, baseCurrency());
  };
}

export function payoutFlows(
  deps: PayoutFlowDeps & { forgeryCounter?: { inc(labels: { event_type: string }): void } },
): PayoutFlows {
  const tracking = payoutTracking({ ...deps, ...(deps.forgeryCounter ? { forgery: deps.forgeryCounter } : {}) });
  const batches = payoutBatchEvents(deps, tracking);
  const pollOnce = (log: Logger) => tracking.poll({ log }, () => claimPartsToPoll(deps.store, pollIntervalMs));
  let pollIntervalMs = 300_000;
  return {
    tracking,
    batches,
    scheduler: (schedule, log, currencies) =>
      buildScheduler({
        dataverse: deps.dataverse,
        store: deps.store,
        batches,
        schedule,
        log,
        ...(currencies ? { currencies } : {}),
        ...(deps.now ? { now: deps.now } : {}),
      }),
    handlers: {
      'payoutbatch.changed': (ctx) => batches.onBatchUpdated(ctx),
      'payoutitem.cancel_requested': cancelRequested({ dataverse: deps.dataverse, store: deps.store, tracking }),
      'vendor.receiver_changed': receiverChanged({ dataverse: deps.dataverse }),
      'payout.batch_changed': (ctx) => tracking.onBatchEvent(ctx),
      'payout.item_changed': (ctx) => tracking.onItemEvent(ctx),
    },
    pollOnce,
    startPolling(log, seconds) {
      pollIntervalMs = Math.max(1, seconds) * 1000;
      let stopped = false;
      let running: Promise<unknown> = Promise.resolve();
      const timer = setInterval(() => {
        if (stopped) return;
        running = running
          .then(() => pollOnce(log))
          .catch((err: unknown) => log.warn({ err: { message: (err as Error).message } }, 'payout poll failed'));
      }, pollIntervalMs);
      timer.unref();
      return async () => {
        stopped = true;
        clearInterval(timer);
        await running;
      };
    },
  };
}
