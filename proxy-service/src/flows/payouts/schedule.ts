// Scheduled builds of payout batches (PAYOUT_BUILD_SCHEDULE, PAYOUT_BUILD_CURRENCIES): at each slot of the
// schedule the proxy creates a Payout Batch in Dataverse and builds it from the due Open bills (of the listed
// currencies) with the same checks as "Build payout batch" (batch-plan.ts); the batch waits in Pending approval
// for a Payout Approver. Never two open batches for the same bills: builds hold one lease at a time (any replica,
// command bar or schedule), a bill In payout is no longer Open, and a bill held by an item of another batch that
// has not ended is excluded. Each slot is built once (payout_schedule_runs), whichever replica sees it first;
// a slot with nothing due creates no batch.
import { recordId } from '../../mapping/ids.ts';
import type { Logger } from '../../logger.ts';
import type { DataversePort } from '../../adapters/dataverse/types.ts';
import type { Store } from '../../adapters/store/store.ts';
import { SCHEDULE_REQUESTER, type PayoutBatchEvents } from './batch-events.ts';
import { PayoutBatchStatus } from './dataverse-rows.ts';
import { claimScheduleSlot, finishScheduleSlot, releaseScheduleSlot } from './payout-store.ts';
import { slotOf, type BuildSchedule } from '../../mapping/payouts/schedule-rule.ts';

export { parseBuildSchedule, slotOf, type BuildSchedule } from '../../mapping/payouts/schedule-rule.ts';

export interface BuildScheduler {
  /** one look at the clock: builds the current slot if no one has (tests drive the clock through `now`) */
  tick(): Promise<{ slot: string; batchId: string; bills: number } | undefined>;
  start(log: Logger, checkEveryMs?: number): () => Promise<void>;
}

export function buildScheduler(deps: {
  dataverse: DataversePort;
  store: Store;
  batches: PayoutBatchEvents;
  schedule: BuildSchedule;
  currencies?: ReadonlySet<string>;
  log: Logger;
  now?: () => Date;
}): BuildScheduler {
  const now = deps.now ?? (() => new Date());
  async function tick() {
    const at = now();
    const slot = slotOf(deps.schedule, at);
    if (!slot) return undefined;
    const key = `${slot}${deps.currencies ? `:${[...deps.currencies].sort().join(',')}` : ''}`;
    const batchId = recordId('payout-schedule', key);
    if (!(await claimScheduleSlot(deps.store, key, batchId))) return undefined;
    const name = `Scheduled payout ${at.toISOString().slice(0, 16).replace('T', ' ')}${deps.currencies ? ` (${[...deps.currencies].sort().join(', ')})` : ''}`;
    try {
      // Draft first (an upsert by id: a retried slot finds its batch), then the build moves it to Pending approval.
      await deps.dataverse.changeSet([
        {
          method: 'PATCH',
          url: `ppc_payoutbatches(${batchId})`,
          body: { ppc_name: name.slice(0, 200), ppc_senderbatchid: batchId, ...PayoutBatchStatus.Draft },
        },
      ]);
      const bills = await deps.batches.buildFor(
        { log: deps.log, store: deps.store },
        batchId,
        SCHEDULE_REQUESTER,
        deps.currencies,
      );
      if (bills === 0) {
        // Nothing due: no empty batch is left behind (the Integration Service role cannot delete, so it is cancelled).
        await deps.dataverse.update(`ppc_payoutbatches(${batchId})`, {
          ...PayoutBatchStatus.Canceled,
          ppc_failurereason: 'scheduled build: no due Open bills',
        });
      }
      await finishScheduleSlot(deps.store, key, bills ? `built: ${bills} bill(s)` : 'nothing due');
      deps.log.info({ slot: key, batchId, bills }, 'scheduled payout build');
      return { slot: key, batchId, bills };
    } catch (err) {
      // The slot is given back: the next tick builds it again (the same batch id, every write an upsert).
      await releaseScheduleSlot(deps.store, key);
      throw err;
    }
  }
  return {
    tick,
    start(log, checkEveryMs = 60_000) {
      let stopped = false;
      let running: Promise<unknown> = Promise.resolve();
      const timer = setInterval(() => {
        if (stopped) return;
        running = running
          .then(() => tick())
          .catch((err: unknown) =>
            log.warn({ err: { message: (err as Error).message } }, 'scheduled payout build failed'),
          );
      }, checkEveryMs);
      timer.unref();
      return async () => {
        stopped = true;
        clearInterval(timer);
        await running;
      };
    },
  };
}
