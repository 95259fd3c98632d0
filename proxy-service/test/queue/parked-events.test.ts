// An event whose action has no flow in the running process is parked, not consumed: listed by the admin API,
// counted in metrics, and run exactly once by the first start that registers its flow.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sql } from '../../src/adapters/store/store.ts';
import { recordRun, type HandlerContext } from '../../src/flows/handlers.ts';
import { post, startTestProxy, testEnv, testPki } from '../support/test-proxy.ts';
import { waitFor } from '@ppc/test-support';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ppc-parked-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const inbox = async (sql: Sql, eventId: string) =>
  (
    await sql.query<{ id: string; status: string; runs: number }>(
      `SELECT id::text AS id, status, (SELECT count(*)::int FROM handler_runs r WHERE r.inbox_id = i.id) AS runs
         FROM inbox_events i WHERE event_id = $1`,
      [eventId],
    )
  ).rows[0];

describe('parked events', () => {
  it('parks an event with no registered flow, then runs it exactly once when a start registers the flow', async () => {
    // A store that outlives the restarts, as an upgrade would see it.
    const env = process.env.DATABASE_URL ? testEnv() : testEnv({ PGLITE_DATA_DIR: join(dir, 'pglite') });
    const pki = await testPki();
    const eventId = `WH-${randomUUID()}`;
    const body = JSON.stringify({
      id: eventId,
      event_type: 'PAYMENT.PAYOUTS-ITEM.SUCCEEDED',
      resource_type: 'payouts_item',
      resource: { payout_item_id: `ITEM-${randomUUID()}` },
    });
    const token = { authorization: `Bearer ${testEnv().ADMIN_TOKEN}` };

    // 1. No flow for payout items in this registry (another action's flow is, to show only the missing one parks).
    const first = await startTestProxy({ env, overrides: { registry: { 'capture.completed': recordRun } } });
    try {
      expect((await post(`${first.url}/webhooks/paypal`, body, pki.sign(body))).status).toBe(200);
      await waitFor(
        async () => (await inbox(first.proxy.store, eventId))?.status === 'parked',
        20_000,
        'the event to be parked',
      );
      expect((await inbox(first.proxy.store, eventId))!.runs).toBe(0);
      const listed = (await (await fetch(`${first.url}/admin/parked-events`, { headers: token })).json()) as {
        value: { event_id: string; event_type: string }[];
      };
      expect(listed.value).toEqual([
        expect.objectContaining({ event_id: eventId, event_type: 'PAYMENT.PAYOUTS-ITEM.SUCCEEDED' }),
      ]);
      expect((await fetch(`${first.url}/admin/parked-events`)).status).toBe(401);
      const metrics = await (await fetch(`${first.url}/metrics`)).text();
      expect(metrics).toContain('ppc_inbox_parked{source="paypal",event_type="PAYMENT.PAYOUTS-ITEM.SUCCEEDED"} 1');
      expect(metrics).toMatch(/ppc_jobs_total\{queue="inbound-events",outcome="parked"\} 1\b/);
    } finally {
      await first.proxy.stop();
    }

    // 2. A start with the flow registered runs it once.
    const ran: string[] = [];
    const payoutFlow = async (ctx: HandlerContext) => {
      ran.push(ctx.eventId);
      await recordRun(ctx);
    };
    const second = await startTestProxy({ env, overrides: { registry: { 'payout.item_changed': payoutFlow } } });
    try {
      await waitFor(
        async () => (await inbox(second.proxy.store, eventId))?.status === 'processed',
        20_000,
        'the parked event to run',
      );
      expect((await inbox(second.proxy.store, eventId))!.runs).toBe(1);
      const listed = (await (await fetch(`${second.url}/admin/parked-events`, { headers: token })).json()) as {
        value: unknown[];
      };
      expect(listed.value).toEqual([]);
      expect(await (await fetch(`${second.url}/metrics`)).text()).not.toContain('ppc_inbox_parked{');
    } finally {
      await second.proxy.stop();
    }

    // 3. Another start finds nothing parked: nothing runs again.
    const third = await startTestProxy({ env, overrides: { registry: { 'payout.item_changed': payoutFlow } } });
    try {
      const { rows } = await third.proxy.store.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${third.proxy.store.bossOptions.schema ?? 'pgboss'}.job WHERE name = 'inbound-events' AND state IN ('created', 'retry', 'active')`,
      );
      expect(rows[0]!.n).toBe(0);
      expect((await inbox(third.proxy.store, eventId))!.runs).toBe(1);
    } finally {
      await third.proxy.stop();
    }
    expect(ran).toEqual([eventId]);
  }, 120_000);

  it('parks a subscription renewal (a v1 sale with a billing agreement) while one-off sales run, until the subscriptions flow exists', async () => {
    const env = process.env.DATABASE_URL ? testEnv() : testEnv({ PGLITE_DATA_DIR: join(dir, 'pglite-renewal') });
    const pki = await testPki();
    const sale = (billingAgreement?: string) => {
      const id = `WH-${randomUUID()}`;
      const body = JSON.stringify({
        id,
        event_type: 'PAYMENT.SALE.COMPLETED',
        resource_type: 'sale',
        resource: {
          id: `SALE-${randomUUID()}`,
          state: 'completed',
          ...(billingAgreement ? { billing_agreement_id: billingAgreement } : {}),
        },
      });
      return { id, body };
    };
    const renewal = sale('I-BW452GLLEP1G');
    const oneOff = sale();

    // order-to-cash (sale.completed) is registered, the subscriptions flow is not
    const first = await startTestProxy({ env, overrides: { registry: { 'sale.completed': recordRun } } });
    try {
      for (const e of [renewal, oneOff])
        expect((await post(`${first.url}/webhooks/paypal`, e.body, pki.sign(e.body))).status).toBe(200);
      await waitFor(
        async () =>
          (await inbox(first.proxy.store, renewal.id))?.status === 'parked' &&
          (await inbox(first.proxy.store, oneOff.id))?.status === 'processed',
        20_000,
        'the renewal parked and the one-off sale processed',
      );
      expect((await inbox(first.proxy.store, renewal.id))!.runs).toBe(0);
      expect((await inbox(first.proxy.store, oneOff.id))!.runs).toBe(1);
    } finally {
      await first.proxy.stop();
    }

    const second = await startTestProxy({
      env,
      overrides: { registry: { 'sale.completed': recordRun, 'subscription.renewal': recordRun } },
    });
    try {
      await waitFor(
        async () => (await inbox(second.proxy.store, renewal.id))?.status === 'processed',
        20_000,
        'the renewal to run once its flow exists',
      );
      expect((await inbox(second.proxy.store, renewal.id))!.runs).toBe(1);
      expect((await inbox(second.proxy.store, oneOff.id))!.runs).toBe(1);
    } finally {
      await second.proxy.stop();
    }
  }, 120_000);
});
