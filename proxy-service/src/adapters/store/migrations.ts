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
    name: 'raw webhook bodies as bytes, poison events without JSON, PayPal transmissions seen',
    sql: `
      -- The exact bytes received: any byte sequence is stored, also when jsonb cannot hold it.
      ALTER TABLE inbox_events ADD COLUMN raw_body bytea;
      -- A body jsonb refuses (NUL, lone surrogate, too deep) is stored without JSON and dead-lettered at once.
      ALTER TABLE inbox_events ALTER COLUMN payload DROP NOT NULL;
      ALTER TABLE inbox_events ADD CONSTRAINT inbox_events_payload_unless_dead CHECK (payload IS NOT NULL OR status = 'dead');

      -- One row per paypal-transmission-id: a later delivery with that id must carry the same bytes.
      CREATE TABLE paypal_transmissions (
        transmission_id   text PRIMARY KEY,
        body_sha256       bytea NOT NULL,
        transmission_time timestamptz NOT NULL,
        first_seen        timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX paypal_transmissions_time ON paypal_transmissions (transmission_time);
    `,
  },
  {
    version: 4,
    name: 'four-eyes requests the proxy took (the requester an approval is checked against)',
    sql: `
      CREATE TABLE four_eyes_requests (
        subject      text NOT NULL,
        record_id    uuid NOT NULL,
        requester    uuid NOT NULL,
        requested_at timestamptz NOT NULL,
        PRIMARY KEY (subject, record_id)
      );
    `,
  },
  {
    version: 5,
    name: "inbox status 'parked': stored events whose flow is not registered yet",
    sql: `
      ALTER TABLE inbox_events DROP CONSTRAINT inbox_events_status_check;
      ALTER TABLE inbox_events ADD CONSTRAINT inbox_events_status_check
        CHECK (status IN ('received','processing','retrying','processed','ignored','dead','parked'));
    `,
  },
  {
    version: 6,
    name: 'integration events (the ppc_integrationevent mirror, an outbox) and the money-movement audit',
    sql: `
      CREATE TABLE integration_events (
        id                 bigserial PRIMARY KEY,
        key                text NOT NULL UNIQUE,
        dataverse_id       uuid NOT NULL UNIQUE,
        kind               text NOT NULL CHECK (kind IN ('dead_letter','rejected','parked','security','break')),
        source             text NOT NULL,
        event_type         text NOT NULL,
        event_id           text NOT NULL,
        action             text,
        paypal_id          text,
        status             text NOT NULL CHECK (status IN ('open','replayed','resolved','ignored')),
        attempts           integer NOT NULL DEFAULT 0,
        occurrences        integer NOT NULL DEFAULT 1,
        message            text NOT NULL,
        detail             text,
        error_code         text,
        record_table       text,
        record_id          uuid,
        inbox_id           bigint,
        dead_letter_id     bigint,
        job_id             text,
        retry_requested_by uuid,
        retry_requested_at timestamptz,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        resolved_at        timestamptz,
        version            integer NOT NULL DEFAULT 1,
        mirrored_version   integer NOT NULL DEFAULT 0,
        mirror_attempts    integer NOT NULL DEFAULT 0,
        mirror_error       text,
        mirror_after       timestamptz NOT NULL DEFAULT now(),
        mirror_lease       timestamptz
      );
      CREATE INDEX integration_events_unmirrored ON integration_events (mirror_after) WHERE mirrored_version < version;
      CREATE INDEX integration_events_inbox ON integration_events (inbox_id);
      CREATE TABLE money_movements (
        id                bigserial PRIMARY KEY,
        at                timestamptz NOT NULL DEFAULT now(),
        operation         text NOT NULL,
        paypal_request_id text NOT NULL,
        dataverse_user    uuid,
        record_table      text,
        record_id         text,
        amount_minor      bigint,
        currency          text,
        outcome           text NOT NULL,
        paypal_id         text,
        debug_id          text,
        http_status       integer,
        error             text
      );
      CREATE INDEX money_movements_request ON money_movements (paypal_request_id);
    `,
  },
  {
    version: 7,
    name: 'mass payouts: the PayPal calls of each approved batch and the booking state of each item',
    sql: `
      -- One row per POST /v1/payments/payouts (per currency and 15,000 items); sender_batch_id is PayPal's key.
      CREATE TABLE payout_parts (
        sender_batch_id text PRIMARY KEY,
        batch_id        uuid NOT NULL,
        currency        text NOT NULL,
        item_count      integer NOT NULL,
        paypal_batch_id text,
        paypal_status   text,
        done            boolean NOT NULL DEFAULT false,
        next_poll_at    timestamptz NOT NULL DEFAULT now(),
        created_at      timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX payout_parts_batch ON payout_parts (batch_id);
      CREATE INDEX payout_parts_open ON payout_parts (next_poll_at) WHERE NOT done;
      -- One row per submitted item: what is booked in Dataverse (stages of ledger lines), so a replay adds nothing.
      CREATE TABLE payout_items (
        sender_item_id  uuid PRIMARY KEY,
        sender_batch_id text NOT NULL,
        batch_id        uuid NOT NULL,
        bill_id         uuid NOT NULL,
        vendor_id       uuid,
        currency        text NOT NULL,
        amount_minor    bigint NOT NULL,
        paypal_item_id  text,
        status          text NOT NULL DEFAULT 'NEW',
        stages          text[] NOT NULL DEFAULT '{}',
        updated_at      timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX payout_items_part ON payout_items (sender_batch_id);
      CREATE INDEX payout_items_paypal ON payout_items (paypal_item_id);
    `,
  },
  {
    version: 8,
    name: 'reconciliation: report files by content hash (each processed once)',
    sql: `
      CREATE TABLE recon_report_files (
        sha256 text PRIMARY KEY,
        name text NOT NULL,
        -- other names the same bytes arrived under (not processed again)
        aliases text[] NOT NULL DEFAULT '{}',
        source text NOT NULL CHECK (source IN ('sftp','drop','upload')),
        size_bytes bigint NOT NULL,
        status text NOT NULL DEFAULT 'received' CHECK (status IN ('received','processing','processed','failed')),
        report_date date,
        rows_read integer,
        last_error text,
        received_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz
      );
      CREATE INDEX recon_report_files_name ON recon_report_files (name, size_bytes);
    `,
  },
  {
    version: 9,
    name: 'fraud scoring: velocity windows, scores with their features, review labels',
    sql: `
      CREATE TABLE fraud_windows (
        key        text PRIMARY KEY,
        hour_base  bigint NOT NULL,
        counts     integer[] NOT NULL,
        declines   integer[] NOT NULL,
        amounts    bigint[] NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX fraud_windows_updated ON fraud_windows (updated_at);
      CREATE TABLE fraud_scores (
        paypal_id      text PRIMARY KEY,
        scored_at      timestamptz NOT NULL DEFAULT now(),
        payment_at     timestamptz NOT NULL,
        amount_major   double precision NOT NULL,
        first_purchase boolean NOT NULL,
        features       double precision[] NOT NULL,
        score          integer NOT NULL,
        model_version  integer NOT NULL,
        assessment     jsonb NOT NULL
      );
      CREATE TABLE fraud_labels (
        paypal_id   text PRIMARY KEY,
        label       smallint NOT NULL CHECK (label IN (0, 1)),
        alert_id    uuid,
        reviewer    uuid NOT NULL,
        reviewed_at timestamptz NOT NULL,
        notes       text
      );
      `,
  },
  {
    version: 11,
    name: 'mass payouts: items as built, acknowledged warnings, item commands, scheduled builds',
    sql: `
      -- Each valid item as the build checked it (the requester's side of four-eyes): an approval pays these values
      -- and refuses a batch whose Dataverse items differ (item columns are writable by the roles that cancel).
      CREATE TABLE payout_built_items (
        item_id         uuid PRIMARY KEY,
        batch_id        uuid NOT NULL,
        bill_id         uuid NOT NULL,
        vendor_id       uuid,
        vendor_table    text,
        recipient_type  text NOT NULL,
        receiver        text NOT NULL,
        currency        text NOT NULL,
        amount_minor    bigint NOT NULL,
        built_at        timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX payout_built_items_batch ON payout_built_items (batch_id);
      ALTER TABLE payout_items ADD COLUMN vendor_table text;
      -- Acknowledgements of a batch's warnings: each one a user made (their update of ppc_acknowledgedwarnings,
      -- accepted NULL), and each approval decision with what it required and whether it was covered.
      CREATE TABLE payout_acknowledgements (
        id              bigserial PRIMARY KEY,
        batch_id        uuid NOT NULL,
        approver        uuid,
        acknowledged    text[] NOT NULL,
        required        text[],
        accepted        boolean,
        at              timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX payout_acknowledgements_batch ON payout_acknowledgements (batch_id);
      -- Commands on payout items from D365 (cancel an unclaimed item): who asked, when, what came of it.
      CREATE TABLE payout_item_commands (
        id              bigserial PRIMARY KEY,
        item_id         uuid NOT NULL,
        command         text NOT NULL,
        requested_by    uuid,
        outcome         text NOT NULL,
        at              timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX payout_item_commands_item ON payout_item_commands (item_id);
      -- Scheduled builds: one row per schedule slot (a slot is built once, whichever replica runs it), and a lease
      -- so two builds (scheduled or from the command bar) never pick the same bills at the same time.
      CREATE TABLE payout_schedule_runs (
        slot            text PRIMARY KEY,
        batch_id        uuid,
        outcome         text,
        started_at      timestamptz NOT NULL DEFAULT now(),
        finished_at     timestamptz
      );
      CREATE TABLE payout_build_lease (
        name            text PRIMARY KEY,
        holder          text NOT NULL,
        expires_at      timestamptz NOT NULL
      );
    `,
  },
  {
    version: 12,
    name: 'reconciliation: held report files of incomplete days, "Reconcile now" requests from D365 (run once)',
    sql: `
      ALTER TABLE recon_report_files DROP CONSTRAINT IF EXISTS recon_report_files_status_check;
      ALTER TABLE recon_report_files ADD CONSTRAINT recon_report_files_status_check
        CHECK (status IN ('received','processing','processed','failed','held'));
      CREATE TABLE recon_run_requests (
        -- the ppc_reconciliationrun the request is on
        run_id       uuid PRIMARY KEY,
        -- the inbox event (job) that runs it: its retries may take it again
        inbox_id     bigint NOT NULL,
        requested_by uuid NOT NULL,
        run_date     date NOT NULL,
        currency     text,
        status       text NOT NULL CHECK (status IN ('running','done')),
        runs         integer NOT NULL DEFAULT 1,
        claimed_at   timestamptz NOT NULL DEFAULT now(),
        finished_at  timestamptz,
        outcome      text
      );
    `,
  },
  {
    version: 13,
    name: "fraud scoring: each score's payer key, and the disputes booked (the customer's dispute ratio)",
    sql: `
      ALTER TABLE fraud_scores ADD COLUMN payer_key text;
      ALTER TABLE fraud_scores ADD COLUMN declined boolean NOT NULL DEFAULT false;
      CREATE INDEX fraud_scores_payer ON fraud_scores (payer_key, payment_at) WHERE payer_key IS NOT NULL;
      CREATE TABLE fraud_disputes (
        dispute_id  text PRIMARY KEY,
        paypal_id   text NOT NULL,
        opened_at   timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX fraud_disputes_paypal ON fraud_disputes (paypal_id, opened_at);
      `,
  },
];

/** Applies every pending migration, each in its own transaction, under an advisory lock so replicas do not race. */
export async function migrate(store: Store): Promise<number[]> {
  await store.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: number[] = [];
  // In version order, whatever order the branches that added them were merged in.
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
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
