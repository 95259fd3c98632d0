// The request path of POST /webhooks/paypal: limits, parse errors, rejections, duplicates, unknown types.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { post, startTestProxy, testPki, type TestPki } from '../support/test-proxy.ts';
import { waitFor } from '@ppc/test-support';

let t: Awaited<ReturnType<typeof startTestProxy>>;
let pki: TestPki;
let hook: string;

const event = (type = 'PAYMENT.CAPTURE.COMPLETED', id = `WH-${randomUUID()}`) =>
  JSON.stringify({
    id,
    event_version: '1.0',
    create_time: '2026-11-27T10:00:00Z',
    resource_type: 'capture',
    event_type: type,
    resource: { id: 'CAP-1' },
  });

const count = async (sql: string, params: unknown[]) =>
  Number((await t.proxy.store.query<{ n: string }>(sql, params)).rows[0]!.n);
const metric = async (name: string) => {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(name))
    .join('\n');
};

beforeAll(async () => {
  pki = await testPki();
  t = await startTestProxy();
  hook = `${t.url}/webhooks/paypal`;
});
afterAll(async () => {
  await t?.proxy.stop();
});

describe('POST /webhooks/paypal', () => {
  it('acknowledges a verified event once it is stored and enqueued, then the job runs its handler', async () => {
    const body = event();
    const id = (JSON.parse(body) as { id: string }).id;
    const res = await post(hook, body, pki.sign(body));
    expect(res).toEqual({ status: 200, body: { status: 'accepted' } });
    expect(await count(`SELECT count(*) AS n FROM inbox_events WHERE event_id = $1`, [id])).toBe(1);
    await waitFor(
      () => count(`SELECT count(*) AS n FROM inbox_events WHERE event_id = $1 AND status = 'processed'`, [id]),
      10_000,
      'processed',
    );
    expect(
      await count(
        `SELECT count(*) AS n FROM handler_runs r JOIN inbox_events i ON i.id = r.inbox_id WHERE i.event_id = $1 AND r.action = 'capture.completed'`,
        [id],
      ),
    ).toBe(1);
  });

  it('rejects a bad signature with 400, a metric and nothing stored', async () => {
    const body = event();
    const headers = pki.sign(body);
    const res = await post(hook, body.replace('CAP-1', 'CAP-2'), headers);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: 'verification_failed', message: 'webhook signature could not be verified' },
    });
    expect(
      await count(`SELECT count(*) AS n FROM inbox_events WHERE event_id = $1`, [
        (JSON.parse(body) as { id: string }).id,
      ]),
    ).toBe(0);
    expect(await metric('ppc_webhooks_rejected_total{source="paypal",reason="bad_signature"}')).toMatch(/ [1-9]\d*$/);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const body = 'not json at all';
    const res = await post(hook, body, pki.sign(body));
    expect(res.status).toBe(400);
    expect(res.body?.error).toMatchObject({ code: 'invalid_event', message: 'body is not valid JSON' });
  });

  it('answers 400 to JSON that is not an event', async () => {
    const body = JSON.stringify({ hello: 'world' });
    expect((await post(hook, body, pki.sign(body))).status).toBe(400);
  });

  it('answers 413 to a body over 1 MB', async () => {
    const body = JSON.stringify({ id: 'WH-big', event_type: 'X', pad: 'x'.repeat(1_100_000) });
    const res = await post(hook, body, pki.sign(body));
    expect(res.status).toBe(413);
    expect(res.body?.error).toMatchObject({ code: 'payload_too_large' });
  });

  it('stores and acknowledges an unknown event type without processing it', async () => {
    const body = event('CHECKOUT.SOMETHING.NEW');
    const id = (JSON.parse(body) as { id: string }).id;
    expect(await post(hook, body, pki.sign(body))).toEqual({ status: 200, body: { status: 'ignored' } });
    expect(
      await count(
        `SELECT count(*) AS n FROM inbox_events WHERE event_id = $1 AND status = 'ignored' AND NOT known_type`,
        [id],
      ),
    ).toBe(1);
    expect(
      await metric('ppc_webhooks_unknown_type_total{source="paypal",event_type="CHECKOUT.SOMETHING.NEW"}'),
    ).toMatch(/ 1$/);
  });

  it('turns the same event delivered 3 times at once into one inbox row and one handler run', async () => {
    const body = event();
    const id = (JSON.parse(body) as { id: string }).id;
    const results = await Promise.all([0, 1, 2].map(() => post(hook, body, pki.sign(body))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.body?.status).sort()).toEqual(['accepted', 'duplicate', 'duplicate']);
    expect(await count(`SELECT count(*) AS n FROM inbox_events WHERE event_id = $1`, [id])).toBe(1);
    await waitFor(
      () => count(`SELECT count(*) AS n FROM inbox_events WHERE event_id = $1 AND status = 'processed'`, [id]),
      10_000,
      'processed',
    );
    // A later redelivery (PayPal retries for 3 days) is a duplicate too.
    expect((await post(hook, body, pki.sign(body))).body).toEqual({ status: 'duplicate' });
    expect(
      await count(
        `SELECT count(*) AS n FROM handler_runs r JOIN inbox_events i ON i.id = r.inbox_id WHERE i.event_id = $1`,
        [id],
      ),
    ).toBe(1);
  });

  it('keeps two event types that share one id apart (PayPal simulator quirk)', async () => {
    const id = `WH-${randomUUID()}`;
    for (const type of ['BILLING.SUBSCRIPTION.CANCELLED', 'BILLING.SUBSCRIPTION.EXPIRED']) {
      const body = event(type, id);
      expect((await post(hook, body, pki.sign(body))).body).toEqual({ status: 'accepted' });
    }
    expect(await count(`SELECT count(*) AS n FROM inbox_events WHERE event_id = $1`, [id])).toBe(2);
  });
});

describe('health and metrics', () => {
  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', queue: 'ok' } });
  });

  it('exposes intake and job metrics', async () => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    for (const name of [
      'ppc_webhooks_received_total',
      'ppc_webhooks_verified_total',
      'ppc_webhooks_duplicate_total',
      'ppc_intake_duration_seconds_bucket',
      'ppc_jobs_total',
      'ppc_queue_depth',
      'ppc_dead_letters_open',
      'ppc_job_duration_seconds_bucket',
    ]) {
      expect(text).toContain(name);
    }
  });
});
