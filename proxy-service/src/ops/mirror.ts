// The ppc_integrationevent mirror: pushes integration events (integration-events.ts, an outbox in the proxy's
// store) to Dataverse, and marks the record a dead letter is about (a credit memo ends Failed with the reason; a
// payment's transaction is flagged for review). Runs beside the job workers, claims rows with a lease (SKIP
// LOCKED, so replicas share the work), upserts by the row's own GUID (PATCH without If-Match: the same write
// twice is one record). A failed push is logged, counted (ppc_integration_event_mirror_failures_total) and
// tried again later with a backoff; the event itself stays in the inbox and the dead-letter table whatever
// happens here.
import type { DataversePort } from '../adapters/dataverse/types.ts';
import type { Sql } from '../adapters/store/store.ts';
import { toAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { CreditMemoStatus, odataString } from '../mapping/dataverse-values.ts';
import type { Metrics } from '../metrics.ts';
import {
  EventSource,
  IntegrationEventStatus,
  statusPairs,
  integrationEvent as integrationEventTable,
} from '@ppc/solution';
import { COLUMNS, type IntegrationEventRow } from './integration-events.ts';
import type { RecentErrors } from './recent-errors.ts';

const STATUS = statusPairs(integrationEventTable, IntegrationEventStatus);
const SOURCE: Record<string, number> = {
  paypal: EventSource.PayPalWebhook,
  dataverse: EventSource.DataverseWebhook,
  schedule: EventSource.Schedule,
  reconciliation: EventSource.Reconciliation,
  outbound: EventSource.Outbound,
};
const KIND_LABEL: Record<string, string> = {
  dead_letter: 'Dead letter',
  rejected: 'Rejected',
  parked: 'Waiting',
  security: 'Security',
  break: 'Reconciliation break',
};
/** Memo statuses a dead-lettered refund leaves behind: only those are set to Failed (never a Refunded memo). */
const MEMO_IN_FLIGHT = new Set<number>([
  CreditMemoStatus.RefundRequested.statuscode,
  CreditMemoStatus.Approved.statuscode,
]);

function statusOf(row: IntegrationEventRow) {
  if (row.status === 'resolved') return STATUS.Processed;
  if (row.status === 'ignored') return STATUS.Ignored;
  if (row.status === 'replayed') return STATUS.Replayed;
  return row.kind === 'dead_letter' ? STATUS.DeadLetter : STATUS.Received;
}

/** The ppc_integrationevent columns of a row (what the form, the views and the admin flow read). */
export function integrationEventRecord(row: IntegrationEventRow): Record<string, unknown> {
  const memo = row.record_table === 'ppc_creditmemo' && row.record_id ? row.record_id : undefined;
  return {
    ppc_name: `${KIND_LABEL[row.kind] ?? row.kind}: ${row.event_type}${row.paypal_id ? ` ${row.paypal_id}` : ''}`.slice(
      0,
      200,
    ),
    ppc_eventid: row.event_id,
    ppc_source: SOURCE[row.source] ?? EventSource.Outbound,
    ppc_eventtype: row.event_type,
    ppc_resourceid: row.paypal_id,
    ppc_attempts: row.kind === 'security' ? row.occurrences : row.attempts,
    ppc_lasterror: row.message,
    ppc_errorcode: row.error_code,
    ppc_technicaldetail: row.detail,
    ppc_receivedon: new Date(row.created_at).toISOString(),
    ppc_processedon: row.resolved_at ? new Date(row.resolved_at).toISOString() : null,
    ppc_jobid: row.job_id,
    ppc_correlationid: row.inbox_id ? `inbox:${row.inbox_id}` : row.key.slice(0, 100),
    ppc_recordtable: row.record_table,
    ppc_recordid: row.record_id,
    ...(memo ? { 'ppc_creditmemoid@odata.bind': `/ppc_creditmemos(${memo})` } : {}),
    ...(row.retry_requested_by
      ? {
          'ppc_retryrequestedby@odata.bind': `/systemusers(${row.retry_requested_by})`,
          ppc_retryrequestedon: new Date(row.retry_requested_at!).toISOString(),
        }
      : {}),
    ...statusOf(row),
  };
}

export interface MirrorDeps {
  store: Sql;
  dataverse: DataversePort;
  log: Logger;
  metrics: Metrics;
  /** the admin console's list of recent Dataverse errors */
  recent?: RecentErrors;
  /** ms between polls when idle (default 1000) */
  intervalMs?: number;
}

const LEASE_MS = 60_000;
const backoffMs = (attempts: number) => Math.min(300_000, 1000 * 2 ** Math.min(attempts, 9));

/** Claims up to `limit` rows whose latest version is not in Dataverse yet. */
async function claim(sql: Sql, limit: number): Promise<IntegrationEventRow[]> {
  const { rows } = await sql.query<IntegrationEventRow>(
    `UPDATE integration_events SET mirror_lease = now() + ($2::int * interval '1 millisecond')
      WHERE id IN (SELECT id FROM integration_events
                    WHERE mirrored_version < version AND mirror_after <= now()
                      AND (mirror_lease IS NULL OR mirror_lease < now())
                    ORDER BY mirror_after LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING ${COLUMNS}`,
    [limit, LEASE_MS],
  );
  return rows;
}

/** Marks the record a dead letter is about, in the user's own form. */
async function markAffectedRecord(dv: DataversePort, row: IntegrationEventRow): Promise<void> {
  if (row.kind !== 'dead_letter' || row.status !== 'open') return;
  if (row.record_table === 'ppc_creditmemo' && row.record_id) {
    const memo = await dv.get<{ statuscode?: number }>(`ppc_creditmemos(${row.record_id})`, ['statuscode']);
    if (!memo || !MEMO_IN_FLIGHT.has(Number(memo.statuscode))) return;
    await dv.update(
      `ppc_creditmemos(${row.record_id})`,
      { ...CreditMemoStatus.Failed, ppc_failurereason: row.message.slice(0, 2000) },
      '*',
    );
    return;
  }
  if (row.paypal_id && (row.action?.startsWith('capture.') || row.action === 'sale.completed')) {
    // The payment may not be in Dataverse at all (that is what failed): then the integration event says it alone.
    const txn = await dv.get(`ppc_paypaltransactions(ppc_paypalid=${odataString(row.paypal_id)})`, [
      'ppc_paypaltransactionid',
    ]);
    if (!txn) return;
    await dv.update(
      `ppc_paypaltransactions(ppc_paypalid=${odataString(row.paypal_id)})`,
      { ppc_needsreview: true, ppc_flagreason: row.message.slice(0, 2000) },
      '*',
    );
  }
}

/** One pass: pushes what is due; returns how many rows were written. */
export async function mirrorOnce(deps: MirrorDeps, limit = 20): Promise<number> {
  const rows = await claim(deps.store, limit);
  let written = 0;
  for (const row of rows) {
    try {
      // PATCH without If-Match is an upsert (the client's update() sends If-Match: *, update only).
      await deps.dataverse.changeSet([
        { method: 'PATCH', url: `ppc_integrationevents(${row.dataverse_id})`, body: integrationEventRecord(row) },
      ]);
      await markAffectedRecord(deps.dataverse, row);
      await deps.store.query(
        `UPDATE integration_events SET mirrored_version = $2, mirror_attempts = 0, mirror_error = NULL, mirror_lease = NULL
          WHERE id = $1::bigint`,
        [row.id, row.version],
      );
      deps.metrics.integrationEventsMirrored.inc({ kind: row.kind });
      written++;
    } catch (thrown) {
      const err = toAppError(thrown);
      const attempts = row.mirror_attempts + 1;
      deps.metrics.integrationEventMirrorFailures.inc({ kind: row.kind });
      deps.recent?.note({
        service: 'dataverse',
        operation: 'mirror integration event',
        code: err.code,
        message: err.message,
      });
      deps.log.warn(
        { err: { code: err.code, message: err.message }, integrationEvent: row.id, attempts },
        'integration event not mirrored to Dataverse yet; will try again',
      );
      await deps.store.query(
        `UPDATE integration_events SET mirror_attempts = $2, mirror_error = $3, mirror_lease = NULL,
            mirror_after = now() + ($4::int * interval '1 millisecond') WHERE id = $1::bigint`,
        [row.id, attempts, `${err.code}: ${err.message}`.slice(0, 2000), backoffMs(attempts)],
      );
    }
  }
  return written;
}

/** The mirror loop: polls, and runs at once when poked (a dead letter was just recorded). */
export function startMirror(deps: MirrorDeps) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let again = false;
  const interval = deps.intervalMs ?? 1000;
  const pass = async () => {
    try {
      while (!stopped && (await mirrorOnce(deps)) > 0);
    } catch (thrown) {
      // The store itself did not answer: next poll.
      const err = toAppError(thrown);
      deps.log.warn({ err: { code: err.code, message: err.message } }, 'integration event mirror pass failed');
    }
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref?.();
  };
  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = pass().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        schedule(0);
      } else schedule(interval);
    });
  };
  schedule(0);
  return {
    poke: () => schedule(0),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export type Mirror = ReturnType<typeof startMirror>;
