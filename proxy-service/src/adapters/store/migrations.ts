// Versioned schema migrations for the proxy's own tables (pg-boss migrates its own schema).
// Append only: never edit a released migration; add a new version.
import type { Store } from './store.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'inbox, handler runs, dead letters',
    sql: `
      CREATE TABLE inbox_events (
        id              bigserial PRIMARY KEY,
        source          text NOT NULL,
        event_id        text NOT NULL,
        event_type      text NOT NULL,
        transmission_id text,
        received_at     timestamptz NOT NULL DEFAULT now(),
        status          text NOT NULL DEFAULT 'received'
                        CHECK (status IN ('received','processing','retrying','processed','ignored','dead')),
        known_type      boolean NOT NULL,
        attempts        integer NOT NULL DEFAULT 0,
        lease_until     timestamptz,
        last_error      text,
        processed_at    timestamptz,
        payload         jsonb NOT NULL,
        -- PayPal's simulator sends CANCELLED and EXPIRED under one event id: the type is part of the key.
        UNIQUE (source, event_id, event_type)
      );
      CREATE INDEX inbox_events_status ON inbox_events (status) WHERE status NOT IN ('processed','ignored');

      CREATE TABLE handler_runs (
        id        bigserial PRIMARY KEY,
        inbox_id  bigint NOT NULL REFERENCES inbox_events(id),
        action    text NOT NULL,
        attempt   integer NOT NULL,
        ran_at    timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX handler_runs_inbox ON handler_runs (inbox_id);

      CREATE TABLE dead_letters (
        id            bigserial PRIMARY KEY,
        queue         text NOT NULL,
        job_id        text NOT NULL,
        inbox_id      bigint REFERENCES inbox_events(id),
        attempts      integer NOT NULL,
        error_code    text NOT NULL,
        last_error    text NOT NULL,
        payload       jsonb NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        replayed_at   timestamptz,
        replay_job_id text
      );
      CREATE INDEX dead_letters_open ON dead_letters (created_at) WHERE replayed_at IS NULL;
    `,
  },
  {
    version: 2,
    name: 'settings written by setup (e.g. the PayPal webhook id)',
    sql: `
      CREATE TABLE settings (
        key        text PRIMARY KEY,
        value      text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 3,
    name: "inbox status 'parked': stored events whose flow is not registered yet",
    sql: `
      ALTER TABLE inbox_events DROP CONSTRAINT inbox_events_status_check;
      ALTER TABLE inbox_events ADD CONSTRAINT inbox_events_status_check
        CHECK (status IN ('received','processing','retrying','processed','ignored','dead','parked'));
    `,
  },
];

/** Applies every pending migration, each in its own transaction, under an advisory lock so replicas do not race. */
export async function migrate(store: Store): Promise<number[]> {
  await store.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await store.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(727274001)');
      const { rows } = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (rows.length) return false;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

// Migrations hold plain DDL without semicolons inside literals, so splitting on ';' at line ends is exact.
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}
