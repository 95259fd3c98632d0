// SQL over inbox_events: every inbound event is stored here before it is acknowledged.
import type { Sql } from '../adapters/store/store.ts';
import type { PoisonReason } from '../intake/json-body.ts';

/** 'parked': its action has no flow in this process yet (queue/parked-events.ts); never processed by default. */
export type InboxStatus = 'received' | 'processing' | 'retrying' | 'processed' | 'ignored' | 'dead' | 'parked';

export interface InboxRow {
  id: string;
  source: string;
  event_id: string;
  event_type: string;
  status: InboxStatus;
  attempts: number;
  last_error: string | null;
  payload: unknown;
}

export interface NewInboxEvent {
  source: string;
  eventId: string;
  eventType: string;
  transmissionId?: string;
  knownType: boolean;
  /** The parsed event; stored as jsonb unless payloadText is given or the body is poison. */
  payload: unknown;
  /** The JSON text to store as jsonb (the body as received, so numbers keep their digits). */
  payloadText?: string;
  /** The exact request body. */
  rawBody?: Buffer;
  /** Set when jsonb cannot hold the body: the row is stored without JSON, as 'dead', with this reason. */
  poison?: PoisonReason;
}

/**
 * Takes the event for processing: only one worker holds it at a time (a lease), and an event already
 * processed or dead-lettered is never taken again. A lease left by a crashed worker expires.
 */
export async function claimInboxEvent(sql: Sql, inboxId: string, leaseMs: number): Promise<InboxRow | undefined> {
  const { rows } = await sql.query<InboxRow>(
    `UPDATE inbox_events
        SET status = 'processing', lease_until = now() + ($2::int * interval '1 millisecond'), attempts = attempts + 1
      WHERE id = $1::bigint
        AND (status IN ('received', 'retrying') OR (status = 'processing' AND lease_until < now()))
      RETURNING id::text AS id, source, event_id, event_type, status, attempts, last_error, payload`,
    [inboxId, leaseMs],
  );
  return rows[0];
}

/**
 * claimInboxEvent for a batch of jobs in one statement: the rows it could take, by id (an id it could not take,
 * or repeated in `inboxIds`, is taken once or not at all).
 */
export async function claimInboxEvents(
  sql: Sql,
  inboxIds: readonly string[],
  leaseMs: number,
): Promise<Map<string, InboxRow>> {
  if (!inboxIds.length) return new Map();
  const { rows } = await sql.query<InboxRow>(
    `UPDATE inbox_events
        SET status = 'processing', lease_until = now() + ($2::int * interval '1 millisecond'), attempts = attempts + 1
      WHERE id = ANY($1::bigint[])
        AND (status IN ('received', 'retrying') OR (status = 'processing' AND lease_until < now()))
      RETURNING id::text AS id, source, event_id, event_type, status, attempts, last_error, payload`,
    [[...new Set(inboxIds)], leaseMs],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * markInbox for many rows in one statement. Only rows this worker holds ('processing') move: a row whose
 * lease expired and that another worker took since is that worker's to mark.
 */
export async function markInboxEvents(
  sql: Sql,
  inboxIds: readonly string[],
  status: InboxStatus,
  lastError: string | null = null,
): Promise<void> {
  if (!inboxIds.length) return;
  await sql.query(
    `UPDATE inbox_events
        SET status = $2, last_error = COALESCE($3, last_error), lease_until = NULL,
            processed_at = CASE WHEN $2 = 'processed' THEN now() ELSE processed_at END
      WHERE id = ANY($1::bigint[]) AND status = 'processing'`,
    [inboxIds, status, lastError],
  );
}

export async function markInbox(
  sql: Sql,
  inboxId: string,
  status: InboxStatus,
  lastError: string | null = null,
): Promise<void> {
  await sql.query(
    `UPDATE inbox_events
        SET status = $2, last_error = COALESCE($3, last_error), lease_until = NULL,
            processed_at = CASE WHEN $2 = 'processed' THEN now() ELSE processed_at END
      WHERE id = $1::bigint`,
    [inboxId, status, lastError],
  );
}

/**
 * Inserts many events in one statement. Returns, per input, the new row id or undefined when it was
 * already stored (or repeats an earlier input of the same call).
 */
export async function insertInboxEvents(sql: Sql, events: NewInboxEvent[]): Promise<(string | undefined)[]> {
  if (!events.length) return [];
  // Bodies travel as base64 text: one encoding both pg and PGlite take in a text[] parameter.
  const { rows } = await sql.query<{ id: string; event_id: string; event_type: string }>(
    `INSERT INTO inbox_events (source, event_id, event_type, transmission_id, known_type, status, payload, raw_body, last_error)
     SELECT source, event_id, event_type, transmission_id, known_type, status, payload::jsonb, decode(raw_body, 'base64'), last_error
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::text[], $8::text[], $9::text[])
         AS e(source, event_id, event_type, transmission_id, known_type, status, payload, raw_body, last_error)
     ON CONFLICT (source, event_id, event_type) DO NOTHING
     RETURNING id::text AS id, event_id, event_type`,
    [
      events.map((e) => e.source),
      events.map((e) => e.eventId),
      events.map((e) => e.eventType),
      events.map((e) => e.transmissionId ?? null),
      events.map((e) => e.knownType),
      events.map((e) => (e.poison ? 'dead' : e.knownType ? 'received' : 'ignored')),
      events.map((e) => (e.poison ? null : (e.payloadText ?? JSON.stringify(e.payload)))),
      events.map((e) => e.rawBody?.toString('base64') ?? null),
      events.map((e) => (e.poison ? `poison_body: ${e.poison}` : null)),
    ],
  );
  const byKey = new Map(rows.map((r) => [`${r.event_id}\u0000${r.event_type}`, r.id]));
  return events.map((e) => {
    const key = `${e.eventId}\u0000${e.eventType}`;
    const id = byKey.get(key);
    byKey.delete(key); // a repeat inside the same call is a duplicate
    return id;
  });
}
