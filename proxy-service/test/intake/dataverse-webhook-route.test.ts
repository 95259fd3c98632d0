// The request path of POST /webhooks/dataverse: shared secret (constant time), RemoteExecutionContext parsing,
// inbox row with source 'dataverse' (one per operation), job → the creditmemo.refund_requested action.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { waitFor } from '@ppc/test-support';
import { actionFor } from '../../src/flows/event-actions.ts';
import { parseRemoteExecutionContext, secretMatches } from '../../src/intake/dataverse-intake.ts';
import { fixturePath } from '../support/paths.ts';
import { post, startTestProxy } from '../support/test-proxy.ts';

const SECRET = 'test-dataverse-webhook-secret-0123';
let t: Awaited<ReturnType<typeof startTestProxy>>;
let hook: string;
const count = async (sql: string, params: unknown[]) =>
  Number((await t.proxy.store.query<{ n: string }>(sql, params)).rows[0]!.n);
const context = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    MessageName: 'Update',
    PrimaryEntityName: 'ppc_creditmemo',
    PrimaryEntityId: randomUUID(),
    InitiatingUserId: randomUUID(),
    OperationId: randomUUID(),
    RequestId: randomUUID(),
    PostEntityImages: [],
    ...over,
  });

beforeAll(async () => {
  t = await startTestProxy({ env: { DATAVERSE_WEBHOOK_SECRET: SECRET } });
  hook = `${t.url}/webhooks/dataverse`;
});
afterAll(async () => {
  await t?.proxy.stop();
});

describe('POST /webhooks/dataverse', () => {
  it('stores and enqueues a credit memo update; the job runs creditmemo.refund_requested; a redelivery is a duplicate', async () => {
    const body = context();
    const op = (JSON.parse(body) as { OperationId: string }).OperationId;
    expect(await post(hook, body, { 'x-ppc-webhook-secret': SECRET })).toEqual({
      status: 200,
      body: { status: 'accepted' },
    });
    await waitFor(
      () =>
        count(
          `SELECT count(*) AS n FROM inbox_events WHERE source = 'dataverse' AND event_id = $1 AND status = 'processed'`,
          [op],
        ),
      10_000,
      'processed',
    );
    expect(
      await count(
        `SELECT count(*) AS n FROM handler_runs r JOIN inbox_events i ON i.id = r.inbox_id WHERE i.event_id = $1 AND r.action = 'creditmemo.refund_requested'`,
        [op],
      ),
    ).toBe(1);
    expect(await post(hook, body, { 'x-ppc-webhook-secret': SECRET })).toEqual({
      status: 200,
      body: { status: 'duplicate' },
    });
  });

  it('answers 401 without the secret or with a wrong one, and stores nothing', async () => {
    const body = context();
    expect((await post(hook, body, {})).status).toBe(401);
    expect((await post(hook, body, { 'x-ppc-webhook-secret': `${SECRET}x` })).status).toBe(401);
    expect(
      await count(`SELECT count(*) AS n FROM inbox_events WHERE event_id = $1`, [
        (JSON.parse(body) as { OperationId: string }).OperationId,
      ]),
    ).toBe(0);
  });

  it('answers 400 to a body that is not a RemoteExecutionContext', async () => {
    expect((await post(hook, '{"hello":1}', { 'x-ppc-webhook-secret': SECRET })).status).toBe(400);
    expect((await post(hook, 'nope', { 'x-ppc-webhook-secret': SECRET })).status).toBe(400);
  });

  it('stores an event of another table as ignored', async () => {
    expect(await post(hook, context({ PrimaryEntityName: 'lead' }), { 'x-ppc-webhook-secret': SECRET })).toEqual({
      status: 200,
      body: { status: 'ignored' },
    });
  });
});

describe('dataverse intake pieces', () => {
  it('parses the real RemoteExecutionContext fixture', () => {
    const raw = readFileSync(
      fixturePath('dataverse-webhooks', 'webhook-remoteexecutioncontext-update-contact-async.json'),
    );
    const ctx = parseRemoteExecutionContext(raw);
    expect(ctx).toMatchObject({
      MessageName: 'Update',
      PrimaryEntityName: 'contact',
      OperationId: '4af10637-4ea2-e711-8122-000d3aa2331c',
    });
  });
  it('compares secrets of any length', () => {
    expect(secretMatches('abc', 'abc')).toBe(true);
    expect(secretMatches('abcd', 'abc')).toBe(false);
    expect(secretMatches(undefined, 'abc')).toBe(false);
  });
  it('maps sources separately: PayPal behaviour unchanged', () => {
    expect(actionFor('Update:ppc_creditmemo', 'dataverse')).toBe('creditmemo.refund_requested');
    expect(actionFor('Update:ppc_creditmemo')).toBe('not_supported');
    expect(actionFor('PAYMENT.CAPTURE.REFUNDED')).toBe('capture.refunded');
    expect(actionFor('PAYMENT.CAPTURE.REFUNDED', 'dataverse')).toBe('not_supported');
  });
});
