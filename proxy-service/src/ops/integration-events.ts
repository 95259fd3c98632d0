// Integration events: what went wrong (or is waiting) in words a finance user understands, kept in the proxy's
// own store and mirrored into Dataverse's ppc_integrationevent (mirror.ts). This file is the store half: an
// outbox row written in the caller's own transaction (or on its own), so recording one never calls Dataverse
// and can never block or lose the event it describes. Flows of other features call recordIntegrationEvent.
import { randomUUID } from 'node:crypto';
import type { Sql } from '../adapters/store/store.ts';

/** 'break': a reconciliation break (ops/reconciliation-events.ts). */
export type IntegrationEventKind = 'dead_letter' | 'rejected' | 'parked' | 'security' | 'break';
export type IntegrationEventStatus = 'open' | 'replayed' | 'resolved' | 'ignored';
/** Where the event came from (ppc_integrationevent.ppc_source). */
export type IntegrationEventSource = 'paypal' | 'dataverse' | 'schedule' | 'reconciliation' | 'outbound';

export interface IntegrationEventInput {
  /**
   * One row per key: recording the same key again updates the row (and counts an occurrence). Use
   * `inboxKey(inboxId)` for an inbound event; a flow of its own picks a stable key (`payout:<batch id>`…).
   */
  key: string;
  kind: IntegrationEventKind;
  source: IntegrationEventSource;
  eventType: string;
  /** PayPal event id (WH-…), Dataverse request id, or the flow's own id: shown and used as the D365 alternate key */
  eventId: string;
  /** The flow's action (flows/event-actions.ts): decides which role may retry it from D365. */
  action?: string;
  /** The PayPal id the event is about (capture, refund, payout batch…). */
  paypalId?: string;
  status?: IntegrationEventStatus;
  attempts?: number;
  /** For a finance user: what happened to the money and what to do. */
  message: string;
  /** For an admin: error code, PayPal debug id, queue and job. */
  detail?: string;
  errorCode?: string;
  /** The record it is about: the mirror links it and, for a dead letter, marks it (memo Failed, transaction flagged). */
  record?: { table: string; id: string };
  inboxId?: string;
  deadLetterId?: string;
  jobId?: string;
}

export interface IntegrationEventRow {
  id: string;
  key: string;
  dataverse_id: string;
  kind: IntegrationEventKind;
  source: IntegrationEventSource;
  event_type: string;
  event_id: string;
  action: string | null;
  paypal_id: string | null;
  status: IntegrationEventStatus;
  attempts: number;
  occurrences: number;
  message: string;
  detail: string | null;
  error_code: string | null;
  record_table: string | null;
  record_id: string | null;
  inbox_id: string | null;
  dead_letter_id: string | null;
  job_id: string | null;
  retry_requested_by: string | null;
  retry_requested_at: string | null;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
  version: number;
  mirrored_version: number;
  mirror_attempts: number;
  mirror_error: string | null;
}

export const COLUMNS = `id::text AS id, key, dataverse_id::text AS dataverse_id, kind, source, event_type, event_id, action,
  paypal_id, status, attempts, occurrences, message, detail, error_code, record_table, record_id::text AS record_id,
  inbox_id::text AS inbox_id, dead_letter_id::text AS dead_letter_id, job_id, retry_requested_by::text AS retry_requested_by,
  retry_requested_at::text AS retry_requested_at, created_at::text AS created_at, updated_at::text AS updated_at,
  resolved_at::text AS resolved_at, version, mirrored_version, mirror_attempts, mirror_error`;

export const inboxKey = (inboxId: string) => `inbox:${inboxId}`;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const cap = (s: string | undefined, n: number) => (s === undefined ? null : s.slice(0, n));

/**
 * Records (or updates) an integration event; the mirror writes it to Dataverse soon after. Pass the transaction
 * the event's own state changes in (a dead letter and its integration event commit together), or the store.
 * Returns the row's id.
 */
const UPSERT = `ON CONFLICT (key) DO UPDATE SET kind = EXCLUDED.kind, status = EXCLUDED.status, attempts = EXCLUDED.attempts,
        message = EXCLUDED.message, detail = EXCLUDED.detail, error_code = EXCLUDED.error_code,
        action = COALESCE(EXCLUDED.action, integration_events.action),
        paypal_id = COALESCE(EXCLUDED.paypal_id, integration_events.paypal_id),
        record_table = COALESCE(EXCLUDED.record_table, integration_events.record_table),
        record_id = COALESCE(EXCLUDED.record_id, integration_events.record_id),
        dead_letter_id = COALESCE(EXCLUDED.dead_letter_id, integration_events.dead_letter_id),
        job_id = COALESCE(EXCLUDED.job_id, integration_events.job_id),
        occurrences = integration_events.occurrences + 1, resolved_at = NULL,
        updated_at = now(), version = integration_events.version + 1, mirror_after = now()`;

/** The 18 inserted values of one event, in the column order of the INSERTs below. */
function values(e: IntegrationEventInput): unknown[] {
  const record = e.record && GUID.test(e.record.id) ? e.record : undefined;
  return [
    cap(e.key, 200),
    randomUUID(),
    e.kind,
    e.source,
    cap(e.eventType, 100),
    cap(e.eventId, 100),
    e.action ?? null,
    cap(e.paypalId, 100),
    e.status ?? 'open',
    e.attempts ?? 0,
    cap(e.message, 4000),
    cap(e.detail, 4000),
    cap(e.errorCode, 100),
    record?.table ?? null,
    record?.id ?? null,
    e.inboxId ?? null,
    e.deadLetterId ?? null,
    cap(e.jobId, 64),
  ];
}

/**
 * Records (or updates) an integration event; the mirror writes it to Dataverse soon after. Pass the transaction
 * the event's own state changes in (a dead letter and its integration event commit together), or the store.
 * Returns the row's id.
 */
export async function recordIntegrationEvent(sql: Sql, e: IntegrationEventInput): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO integration_events (key, dataverse_id, kind, source, event_type, event_id, action, paypal_id, status,
        attempts, message, detail, error_code, record_table, record_id, inbox_id, dead_letter_id, job_id)
     VALUES ($1, $2::uuid, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::uuid, $16::bigint, $17::bigint, $18)
     ${UPSERT}
     RETURNING id::text AS id`,
    values(e),
  );
  return rows[0]!.id;
}

/**
 * recordIntegrationEvent for many events, as one INSERT to run in one statement with another step (the job
 * worker parks a batch: a data-modifying WITH in front). Its parameters are numbered from `$from`; `where` filters
 * the rows `e` (e.g. on `e.inbox_id`). The keys of `events` must differ: one statement cannot update a row twice.
 */
export function integrationEventsInsert(
  events: readonly IntegrationEventInput[],
  from: number,
  where = 'true',
): { text: string; params: unknown[] } {
  const rows = events.map(values);
  const params = rows[0]!.map((_, c) => rows.map((r) => r[c]));
  const types = [
    'text',
    'uuid',
    'text',
    'text',
    'text',
    'text',
    'text',
    'text',
    'text',
    'int',
    'text',
    'text',
    'text',
    'text',
    'uuid',
    'bigint',
    'bigint',
    'text',
  ];
  const columns = `key, dataverse_id, kind, source, event_type, event_id, action, paypal_id, status, attempts, message,
        detail, error_code, record_table, record_id, inbox_id, dead_letter_id, job_id`;
  return {
    text: `INSERT INTO integration_events (${columns})
     SELECT * FROM unnest(${types.map((t, k) => `$${from + k}::${t}[]`).join(', ')}) AS e(${columns})
      WHERE ${where}
     ${UPSERT}`,
    params,
  };
}

/**
 * Adds `count` occurrences to an aggregated event (security events: one row per reason and window, never one
 * per request), creating it with the given text the first time.
 */
export async function countIntegrationEvent(sql: Sql, e: IntegrationEventInput, count: number): Promise<void> {
  await sql.query(
    `INSERT INTO integration_events (key, dataverse_id, kind, source, event_type, event_id, status, occurrences, message, detail)
     VALUES ($1, $2::uuid, $3, $4, $5, $6, 'open', $7, $8, $9)
     ON CONFLICT (key) DO UPDATE SET occurrences = integration_events.occurrences + EXCLUDED.occurrences,
        message = EXCLUDED.message, detail = EXCLUDED.detail, updated_at = now(),
        version = integration_events.version + 1, mirror_after = now()`,
    [
      cap(e.key, 200),
      randomUUID(),
      e.kind,
      e.source,
      cap(e.eventType, 100),
      cap(e.eventId, 100),
      count,
      cap(e.message, 4000),
      cap(e.detail, 4000),
    ],
  );
}

/** Moves the event of an inbox row to a new status (replayed, resolved…); no row, no change. */
export async function setInboxEventStatus(
  sql: Sql,
  inboxId: string,
  status: IntegrationEventStatus,
  note?: string,
): Promise<void> {
  await sql.query(
    `UPDATE integration_events SET status = $2, updated_at = now(), version = version + 1, mirror_after = now(),
        resolved_at = CASE WHEN $2 IN ('resolved', 'ignored') THEN now() ELSE resolved_at END,
        message = CASE WHEN $3::text IS NULL THEN message ELSE $3 || ' ' || message END
      WHERE key = $1 AND status <> $2`,
    [inboxKey(inboxId), status, note ?? null],
  );
}

export async function getIntegrationEvent(sql: Sql, id: string): Promise<IntegrationEventRow | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const { rows } = await sql.query<IntegrationEventRow>(
    `SELECT ${COLUMNS} FROM integration_events WHERE id = $1::bigint`,
    [id],
  );
  return rows[0];
}

export async function integrationEventByDataverseId(
  sql: Sql,
  dataverseId: string,
): Promise<IntegrationEventRow | undefined> {
  if (!GUID.test(dataverseId)) return undefined;
  const { rows } = await sql.query<IntegrationEventRow>(
    `SELECT ${COLUMNS} FROM integration_events WHERE dataverse_id = $1::uuid`,
    [dataverseId],
  );
  return rows[0];
}

export async function listIntegrationEvents(
  sql: Sql,
  options: { kind?: IntegrationEventKind; status?: IntegrationEventStatus; limit?: number } = {},
): Promise<IntegrationEventRow[]> {
  const { rows } = await sql.query<IntegrationEventRow>(
    `SELECT ${COLUMNS} FROM integration_events
      WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR status = $2)
      ORDER BY updated_at DESC, id DESC LIMIT $3`,
    [options.kind ?? null, options.status ?? null, options.limit ?? 100],
  );
  return rows;
}

export async function countIntegrationEventsByStatus(
  sql: Sql,
): Promise<{ kind: string; status: string; n: number; unmirrored: number }[]> {
  const { rows } = await sql.query<{ kind: string; status: string; n: number; unmirrored: number }>(
    `SELECT kind, status, count(*)::int AS n, count(*) FILTER (WHERE mirrored_version < version)::int AS unmirrored
       FROM integration_events GROUP BY kind, status ORDER BY kind, status`,
  );
  return rows;
}
