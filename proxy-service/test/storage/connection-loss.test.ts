// The database goes away under a running proxy: every connection ended by the server (pg_terminate_backend,
// as an idle reaper or a failover does), and a restart of the server. The proxy lives, the intake answers
// 503 while the database is unreachable and 200 once it is back, without a restart of the proxy, and every
// accepted event is processed exactly once. The server is an embedded PostgreSQL the test starts itself.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { waitFor } from '@ppc/test-support';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/adapters/store/embedded-postgres.ts';
import { recordRun, type HandlerContext } from '../../src/flows/handlers.ts';
import { post, startTestProxy, testPki } from '../support/test-proxy.ts';

let dir: string;
let server: EmbeddedPostgres;
const quiet = { info: () => undefined, warn: () => undefined };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ppc-connloss-'));
  chmodSync(dir, 0o755); // run as root, the server runs as the postgres OS user, which must reach its directory
  server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), log: quiet });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const event = () =>
  JSON.stringify({ id: `WH-${randomUUID()}`, event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: { id: 'CAP-LOSS' } });

/** A proxy on the test's server, in a schema of its own, whose capture handler counts runs per event. */
async function proxyOnServer(gate?: Promise<void>) {
  const runs = new Map<string, number>();
  let started = 0;
  const t = await startTestProxy({
    env: { DATABASE_URL: server.url, DATABASE_SCHEMA: `t_${randomUUID().slice(0, 8)}`, WORKER_CONCURRENCY: '1' },
    overrides: {
      handlers: {
        'capture.completed': async (ctx: HandlerContext) => {
          started++;
          await gate;
          await recordRun(ctx);
          runs.set(ctx.eventId, (runs.get(ctx.eventId) ?? 0) + 1);
        },
      },
    },
  });
  return { ...t, runs, started: () => started };
}

async function terminateEveryConnection(): Promise<number> {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    return rows[0]!.n;
  } finally {
    await admin.end();
  }
}

describe('PostgreSQL connection loss', () => {
  it('survives the server ending every connection: later webhooks are accepted, queued work completes', async () => {
    const pki = await testPki();
    const t = await proxyOnServer();
    try {
      const before = Array.from({ length: 5 }, event);
      for (const body of before)
        expect((await post(`${t.url}/webhooks/paypal`, body, pki.sign(body))).status).toBe(200);
      await waitFor(() => t.runs.size === 5, 20_000, 'the first events to be processed');

      // Our pool's connections and pg-boss's (its pool and its LISTEN connection) all end.
      expect(await terminateEveryConnection()).toBeGreaterThanOrEqual(2);

      const after = Array.from({ length: 5 }, event);
      for (const body of after) {
        // A request that meets a connection the pool has not yet seen end answers 503 (PayPal redelivers);
        // the proxy recovers by itself within moments.
        let status = 0;
        await waitFor(
          async () => (status = (await post(`${t.url}/webhooks/paypal`, body, pki.sign(body))).status) !== 503,
          10_000,
          'the intake to accept again',
        );
        expect(status).toBe(200);
      }
      await waitFor(() => t.runs.size === 10, 30_000, 'every accepted event to be processed');
      expect([...t.runs.values()].every((n) => n === 1)).toBe(true);
      expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
    } finally {
      await t.proxy.stop();
    }
  }, 90_000);

  it('answers 503 while the server is down and recovers when it is back; nothing is lost', async () => {
    const pki = await testPki();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const t = await proxyOnServer(gate);
    try {
      // Three events accepted; the first is in its handler and the others wait behind it when the server stops.
      const accepted = Array.from({ length: 3 }, event);
      for (const body of accepted)
        expect((await post(`${t.url}/webhooks/paypal`, body, pki.sign(body))).status).toBe(200);
      await waitFor(() => t.started() === 1, 20_000, 'the first handler to start');

      await server.stop();
      const during = event();
      const refused = await fetch(`${t.url}/webhooks/paypal`, {
        method: 'POST',
        body: during,
        headers: pki.sign(during),
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
      expect((await fetch(`${t.url}/readyz`)).status).toBe(503);

      await server.start();
      // PayPal redelivers the refused event; the proxy, never restarted, takes it once the server answers.
      let status = 0;
      await waitFor(
        async () => (status = (await post(`${t.url}/webhooks/paypal`, during, pki.sign(during))).status) !== 503,
        20_000,
        'the intake to accept again after the restart',
      );
      expect(status).toBe(200);
      const later = event();
      expect((await post(`${t.url}/webhooks/paypal`, later, pki.sign(later))).status).toBe(200);

      release();
      const all = [...accepted, during, later].map((b) => (JSON.parse(b) as { id: string }).id);
      await waitFor(() => all.every((id) => t.runs.has(id)), 30_000, 'every accepted event to be processed');
      expect(all.map((id) => t.runs.get(id))).toEqual([1, 1, 1, 1, 1]);
      const { rows } = await t.proxy.store.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM inbox_events GROUP BY status`,
      );
      expect(rows).toEqual([{ status: 'processed', n: 5 }]);
    } finally {
      release();
      await t.proxy.stop();
    }
  }, 120_000);
});
