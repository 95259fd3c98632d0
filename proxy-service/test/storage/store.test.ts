// The store on PGlite (default) and on PostgreSQL (npm run test:pg): migrations, transactions, the
// inbox's uniqueness and lease, and the dead-letter CLI.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/adapters/store/open-store.ts';
import { migrate, migrations } from '../../src/adapters/store/migrations.ts';
import type { Sql, Store } from '../../src/adapters/store/store.ts';
import { runDlq } from '../../src/cli/dlq.ts';
import { loadConfig } from '../../src/config.ts';
import { addDeadLetter } from '../../src/queue/dead-letters.ts';
import { claimInboxEvent, insertInboxEvents, markInbox, type NewInboxEvent } from '../../src/queue/inbox.ts';
import { testEnv } from '../support/test-proxy.ts';

/** One event through the intake's multi-row insert: its row id, or undefined when already stored. */
const insertInboxEvent = async (sql: Sql, e: NewInboxEvent) => (await insertInboxEvents(sql, [e]))[0];

let store: Store;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ppc-store-'));
  env = testEnv({ PGLITE_DATA_DIR: join(dir, 'pglite') });
  store = await openStore(loadConfig(env));
});
afterAll(async () => {
  await store?.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

const newEvent = (eventId = `WH-${randomUUID()}`) => ({
  source: 'paypal',
  eventId,
  eventType: 'PAYMENT.CAPTURE.COMPLETED',
  knownType: true,
  payload: { id: eventId },
});

describe(`store (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('applies every migration once', async () => {
    expect(await migrate(store)).toEqual([]);
    const { rows } = await store.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
  });

  it('rolls a failed transaction back completely', async () => {
    const e = newEvent();
    await expect(
      store.transaction(async (tx) => {
        await insertInboxEvent(tx, e);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await store.query('SELECT 1 FROM inbox_events WHERE event_id = $1', [e.eventId])).rows).toHaveLength(0);
  });

  it('stores an event once, however often it is inserted', async () => {
    const e = newEvent();
    const first = await insertInboxEvent(store, e);
    expect(first).toMatch(/^\d+$/);
    expect(await insertInboxEvent(store, e)).toBeUndefined();
    const results = await Promise.all([0, 1, 2].map(() => insertInboxEvent(store, e)));
    expect(results).toEqual([undefined, undefined, undefined]);
  });

  it('lets one worker at a time claim an event, and never a processed one', async () => {
    const id = (await insertInboxEvent(store, newEvent()))!;
    const claims = await Promise.all([claimInboxEvent(store, id, 60_000), claimInboxEvent(store, id, 60_000)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    await markInbox(store, id, 'processed');
    expect(await claimInboxEvent(store, id, 60_000)).toBeUndefined();
  });

  it("lets a crashed worker's expired lease be claimed again", async () => {
    const id = (await insertInboxEvent(store, newEvent()))!;
    expect(await claimInboxEvent(store, id, 1)).toBeDefined();
    await store.query(`UPDATE inbox_events SET lease_until = now() - interval '1 second' WHERE id = $1::bigint`, [id]);
    expect(await claimInboxEvent(store, id, 60_000)).toMatchObject({ attempts: 2 });
  });
});

describe('dead-letter CLI', () => {
  it('lists, shows and replays a dead letter', async () => {
    const e = newEvent();
    const inboxId = (await insertInboxEvent(store, e))!;
    await markInbox(store, inboxId, 'dead', 'dataverse_rejected: bad');
    const dlId = await addDeadLetter(store, {
      queue: 'inbound-events',
      jobId: randomUUID(),
      inboxId,
      attempts: 4,
      errorCode: 'dataverse_rejected',
      lastError: 'bad',
      payload: e.payload,
    });
    // PGlite is single-process: hand the data directory over to the CLI.
    await store.close();
    const lines: string[] = [];
    const out = (l: string) => lines.push(l);
    expect(await runDlq(['list'], out, env)).toBe(0);
    expect(lines.join('\n')).toMatch(
      new RegExp(`^${dlId}\\t.*inbound-events\\tattempts=4\\tdataverse_rejected\\tbad`, 'm'),
    );
    lines.length = 0;
    expect(await runDlq(['show', dlId], out, env)).toBe(0);
    expect(JSON.parse(lines.join('\n'))).toMatchObject({
      id: dlId,
      inbox_id: inboxId,
      attempts: 4,
      payload: e.payload,
    });
    lines.length = 0;
    expect(await runDlq(['replay', dlId], out, env)).toBe(0);
    expect(lines[0]).toMatch(new RegExp(`^${dlId}\\treplayed as job [0-9a-f-]{36}$`));
    lines.length = 0;
    expect(await runDlq(['replay', dlId], out, env)).toBe(1);
    expect(lines[0]).toBe(`${dlId}\tnot replayed: already_replayed`);
    expect(await runDlq(['frobnicate'], out, env)).toBe(2);

    store = await openStore(loadConfig(env));
    const { rows } = await store.query<{ status: string }>(`SELECT status FROM inbox_events WHERE id = $1::bigint`, [
      inboxId,
    ]);
    expect(rows[0]!.status).toBe('retrying');
    const jobs = await store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${env.DATABASE_SCHEMA ? `${env.DATABASE_SCHEMA}_pgboss` : 'pgboss'}.job WHERE name = 'inbound-events' AND data->>'inboxId' = $1`,
      [inboxId],
    );
    expect(jobs.rows[0]!.n).toBe(1);
  });
});
