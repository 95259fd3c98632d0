// Retries and dead letters: a handler that throws is retried with backoff, then dead-lettered with its error;
// replay after the fault is fixed processes it once. Replay through the admin endpoint and the CLI.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { errors } from '../../src/errors.ts';
import type { HandlerContext } from '../../src/flows/handlers.ts';
import { recordRun } from '../../src/flows/handlers.ts';
import { post, startTestProxy, testPki, type TestPki } from '../support/test-proxy.ts';
import { waitFor } from '@ppc/test-support';

let t: Awaited<ReturnType<typeof startTestProxy>>;
let pki: TestPki;
const failing = new Map<string, () => Error>(); // capture id → the error its handler throws while "broken"
const attempts = new Map<string, number>();

const captureEvent = (captureId: string) =>
  JSON.stringify({
    id: `WH-${randomUUID()}`,
    event_type: 'PAYMENT.CAPTURE.COMPLETED',
    resource_type: 'capture',
    resource: { id: captureId },
  });

async function handler(ctx: HandlerContext) {
  const id = (ctx.event as { resource: { id: string } }).resource.id;
  attempts.set(id, (attempts.get(id) ?? 0) + 1);
  const fault = failing.get(id);
  if (fault) throw fault();
  await recordRun(ctx);
}

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${t.url}/admin${path}`, {
    ...init,
    headers: { authorization: 'Bearer test-admin-token-0123456789', ...(init.headers ?? {}) },
  });
const runs = async (captureId: string) =>
  Number(
    (
      await t.proxy.store.query<{ n: string }>(
        `SELECT count(*) AS n FROM handler_runs r JOIN inbox_events i ON i.id = r.inbox_id WHERE i.payload->'resource'->>'id' = $1`,
        [captureId],
      )
    ).rows[0]!.n,
  );
const inboxStatus = async (captureId: string) =>
  (
    await t.proxy.store.query<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM inbox_events WHERE payload->'resource'->>'id' = $1`,
      [captureId],
    )
  ).rows[0];

beforeAll(async () => {
  pki = await testPki();
  t = await startTestProxy({
    env: { JOB_MAX_ATTEMPTS: '3' },
    overrides: { handlers: { 'capture.completed': handler } },
  });
});
afterAll(async () => {
  await t?.proxy.stop();
});

async function deliver(captureId: string) {
  const body = captureEvent(captureId);
  expect((await post(`${t.url}/webhooks/paypal`, body, pki.sign(body))).status).toBe(200);
}

describe('retries and dead letters', () => {
  it('retries a retryable failure with backoff, dead-letters it after the last attempt, and replays it once fixed', async () => {
    const cap = `CAP-${randomUUID()}`;
    failing.set(cap, () => errors.remote('dataverse', 503, 'Service Unavailable'));
    await deliver(cap);
    const dead = await waitFor(
      async () => {
        const list = (await (await admin('/dead-letters')).json()) as {
          value: { id: string; payload: { resource: { id: string } } }[];
        };
        return list.value.find((d) => d.payload.resource.id === cap);
      },
      20_000,
      'dead letter',
    );
    expect(attempts.get(cap)).toBe(3);
    const shown = (await (await admin(`/dead-letters/${dead.id}`)).json()) as Record<string, unknown>;
    expect(shown).toMatchObject({
      queue: 'inbound-events',
      attempts: 3,
      error_code: 'dataverse_unavailable (attempts exhausted)',
      replayed_at: null,
    });
    expect(shown.last_error).toContain('dataverse answered 503');
    expect(typeof shown.job_id).toBe('string');
    expect(await inboxStatus(cap)).toEqual({ status: 'dead', attempts: 3 });
    expect(await runs(cap)).toBe(0);

    failing.delete(cap); // the fault is fixed
    const replay = await admin(`/dead-letters/${dead.id}/replay`, { method: 'POST' });
    expect(replay.status).toBe(200);
    await waitFor(async () => (await inboxStatus(cap))?.status === 'processed', 10_000, 'processed after replay');
    expect(await runs(cap)).toBe(1);
    // A second replay of the same dead letter is refused: it cannot run twice.
    expect((await admin(`/dead-letters/${dead.id}/replay`, { method: 'POST' })).status).toBe(409);
    expect(await runs(cap)).toBe(1);
  });

  it('dead-letters a non-retryable failure at once, with its reason', async () => {
    const cap = `CAP-${randomUUID()}`;
    failing.set(cap, () => errors.validation('transactioncurrencyid: currency XTS is not in Dataverse'));
    await deliver(cap);
    const dead = await waitFor(
      async () => {
        const list = (await (await admin('/dead-letters')).json()) as {
          value: { id: string; error_code: string; last_error: string; payload: { resource: { id: string } } }[];
        };
        return list.value.find((d) => d.payload.resource.id === cap);
      },
      10_000,
      'dead letter',
    );
    expect(attempts.get(cap)).toBe(1);
    expect(dead).toMatchObject({
      error_code: 'validation_failed',
      last_error: 'transactioncurrencyid: currency XTS is not in Dataverse',
    });
  });

  it('recovers from a transient failure without a dead letter', async () => {
    const cap = `CAP-${randomUUID()}`;
    let left = 1;
    failing.set(cap, () => {
      if (--left <= 0) failing.delete(cap);
      return errors.remote('paypal', 429, 'RATE_LIMIT_REACHED', 10);
    });
    await deliver(cap);
    await waitFor(async () => (await inboxStatus(cap))?.status === 'processed', 10_000, 'processed');
    expect(attempts.get(cap)).toBe(2);
    expect(await runs(cap)).toBe(1);
  });

  it('guards the admin endpoints with the admin token', async () => {
    expect((await fetch(`${t.url}/admin/dead-letters`)).status).toBe(401);
    expect(
      (await fetch(`${t.url}/admin/dead-letters`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } }))
        .status,
    ).toBe(401);
    expect((await admin('/dead-letters/999999')).status).toBe(404);
    expect((await admin('/dead-letters/999999/replay', { method: 'POST' })).status).toBe(404);
  });
});
