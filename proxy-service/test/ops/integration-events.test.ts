// The ppc_integrationevent mirror and what feeds it: a dead letter always gets its integration event in the same
// transaction; the mirror writes it to Dataverse and marks the affected record; a Dataverse that fails leaves the
// event (and the dead letter) where they are, counted and retried later; security events aggregate per window;
// who may press Retry.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DataversePort, BatchOp } from '../../src/adapters/dataverse/types.ts';
import { openStore } from '../../src/adapters/store/open-store.ts';
import type { Store } from '../../src/adapters/store/store.ts';
import { loadConfig } from '../../src/config.ts';
import { errors } from '../../src/errors.ts';
import { createLogger } from '../../src/logger.ts';
import { createMetrics } from '../../src/metrics.ts';
import { describeDeadLetter } from '../../src/ops/describe.ts';
import { getIntegrationEvent, recordIntegrationEvent } from '../../src/ops/integration-events.ts';
import { mirrorOnce } from '../../src/ops/mirror.ts';
import { decideRetryRequest } from '../../src/ops/retry-command.ts';
import { securityAggregator } from '../../src/ops/security-events.ts';
import { payPalError } from '../../src/adapters/paypal/paypal-error.ts';
import { CreditMemoStatus, IntegrationEventStatus } from '@ppc/solution';
import { post, startTestProxy, testEnv, testPki } from '../support/test-proxy.ts';
import { waitFor } from '@ppc/test-support';

let store: Store;
const log = createLogger('silent');
beforeAll(async () => {
  store = await openStore(loadConfig(testEnv()));
});
afterAll(async () => {
  await store?.close();
});

/** A Dataverse port that records writes, fails while `down`, and holds one credit memo. */
function fakeDataverse(memo: { id: string; statuscode: number }) {
  const state = {
    down: false,
    writes: [] as BatchOp[],
    updates: [] as { path: string; body: Record<string, unknown> }[],
  };
  const port = {
    async changeSet(ops: BatchOp[]) {
      if (state.down) throw errors.remote('dataverse', 503, 'Service Unavailable');
      state.writes.push(...ops);
      return ops.map(() => ({ status: 204 }));
    },
    async get(path: string) {
      return path === `ppc_creditmemos(${memo.id})` ? { statuscode: memo.statuscode } : null;
    },
    async update(path: string, body: Record<string, unknown>) {
      state.updates.push({ path, body });
      if (path === `ppc_creditmemos(${memo.id})`) memo.statuscode = Number(body.statuscode);
    },
  } as unknown as DataversePort;
  return { port, state };
}

const refundEvent = (memoId: string) => ({
  source: 'dataverse',
  eventType: 'Update:ppc_creditmemo',
  action: 'creditmemo.refund_requested',
  payload: { PrimaryEntityId: memoId, PrimaryEntityName: 'ppc_creditmemo', MessageName: 'Update' },
});

describe('integration event mirror', () => {
  it('a Dataverse outage leaves the event in the store, counted; once it answers, the event and the memo are written', async () => {
    const memo = { id: randomUUID(), statuscode: CreditMemoStatus.RefundRequested };
    const err = payPalError(
      500,
      { name: 'INTERNAL_SERVER_ERROR', message: 'An internal server error occurred.', debug_id: 'dbg123' },
      { method: 'POST', path: '/v2/payments/captures/C1/refund' },
    );
    const described = describeDeadLetter(refundEvent(memo.id), err, 8, true);
    const id = await recordIntegrationEvent(store, {
      key: `test:${memo.id}`,
      kind: 'dead_letter',
      source: 'dataverse',
      eventType: 'Update:ppc_creditmemo',
      eventId: randomUUID(),
      action: 'creditmemo.refund_requested',
      attempts: 8,
      errorCode: err.code,
      ...described,
    });
    const metrics = createMetrics();
    const dv = fakeDataverse(memo);
    dv.state.down = true;
    expect(await mirrorOnce({ store, dataverse: dv.port, log, metrics })).toBe(0);
    const pending = await getIntegrationEvent(store, id);
    expect(pending).toMatchObject({ mirrored_version: 0, mirror_attempts: 1, status: 'open' });
    expect(pending!.mirror_error).toContain('dataverse');
    expect((await metrics.integrationEventMirrorFailures.get()).values[0]!.value).toBe(1);
    expect(memo.statuscode).toBe(CreditMemoStatus.RefundRequested);

    dv.state.down = false;
    await store.query(`UPDATE integration_events SET mirror_after = now() WHERE id = $1::bigint`, [id]);
    expect(await mirrorOnce({ store, dataverse: dv.port, log, metrics })).toBe(1);
    const written = dv.state.writes.find((w) => w.url.startsWith('ppc_integrationevents('))!;
    expect(written.method).toBe('PATCH');
    expect(written.ifMatch).toBeUndefined(); // an upsert: the same write twice is one record
    expect(written.body).toMatchObject({
      ...{ statecode: 0, statuscode: IntegrationEventStatus.DeadLetter },
      ppc_attempts: 8,
      ppc_recordtable: 'ppc_creditmemo',
      ppc_recordid: memo.id,
      'ppc_creditmemoid@odata.bind': `/ppc_creditmemos(${memo.id})`,
    });
    expect(String(written.body!.ppc_lasterror)).toContain(
      'PayPal answered with a server error (HTTP 500) every time (8 attempts). No money was moved.',
    );
    expect(String(written.body!.ppc_technicaldetail)).toContain('PayPal debug id dbg123');
    expect(memo.statuscode).toBe(CreditMemoStatus.Failed);
    expect(dv.state.updates[0]!.body.ppc_failurereason).toBe(written.body!.ppc_lasterror);
    // Nothing left to write.
    expect(await mirrorOnce({ store, dataverse: dv.port, log, metrics })).toBe(0);
  });

  it('never fails a memo that is already Refunded (a replay won the race)', async () => {
    const memo = { id: randomUUID(), statuscode: CreditMemoStatus.Refunded };
    await recordIntegrationEvent(store, {
      key: `test:${memo.id}`,
      kind: 'dead_letter',
      source: 'dataverse',
      eventType: 'Update:ppc_creditmemo',
      eventId: randomUUID(),
      action: 'creditmemo.refund_requested',
      message: 'failed',
      record: { table: 'ppc_creditmemo', id: memo.id },
    });
    const dv = fakeDataverse(memo);
    await mirrorOnce({ store, dataverse: dv.port, log, metrics: createMetrics() });
    expect(memo.statuscode).toBe(CreditMemoStatus.Refunded);
    expect(dv.state.updates).toEqual([]);
  });
});

describe('security events', () => {
  it('a flood of rejections is one integration event per source, reason and hour, with the count', async () => {
    const metrics = createMetrics();
    const flush = securityAggregator({ store, metrics, log, clock: () => new Date('2026-12-07T10:15:00Z') });
    for (let i = 0; i < 500; i++) metrics.rejected.inc({ source: 'paypal', reason: 'signature_invalid' });
    expect(await flush()).toBe(1);
    for (let i = 0; i < 20; i++) metrics.rejected.inc({ source: 'paypal', reason: 'signature_invalid' });
    expect(await flush()).toBe(1);
    expect(await flush()).toBe(0);
    const { rows } = await store.query<{ occurrences: number; kind: string }>(
      `SELECT occurrences, kind FROM integration_events WHERE key LIKE 'security:rejected:%signature_invalid%'`,
    );
    expect(rows).toEqual([{ occurrences: 520, kind: 'security' }]);
  });
});

describe('who may retry from D365', () => {
  const ROLES = { agent: ['Refund Agent'], finance: ['PayPal Finance'], approver: ['Payout Approver'] };
  it('a refund only by a Refund Agent, a payout only by a Payout Approver, anything else by PayPal Finance', () => {
    const u = randomUUID();
    expect(decideRetryRequest({ user: u, roles: ROLES.agent, action: 'creditmemo.refund_requested' }).ok).toBe(true);
    expect(decideRetryRequest({ user: u, roles: ROLES.finance, action: 'creditmemo.refund_requested' })).toEqual({
      ok: false,
      reason: 'retry refused: only a user with the Refund Agent role may retry this event',
    });
    expect(decideRetryRequest({ user: u, roles: ROLES.approver, action: 'payout.batch_changed' }).ok).toBe(true);
    expect(decideRetryRequest({ user: u, roles: ROLES.finance, action: 'payout.batch_changed' }).ok).toBe(false);
    expect(decideRetryRequest({ user: u, roles: ROLES.finance, action: 'capture.completed' }).ok).toBe(true);
    expect(decideRetryRequest({ user: u, roles: ROLES.agent, action: 'capture.completed' }).ok).toBe(false);
    expect(decideRetryRequest({ user: undefined, roles: ROLES.agent, action: 'creditmemo.refund_requested' }).ok).toBe(
      false,
    );
  });
});

describe('the inbox worker records integration events', () => {
  it('a dead letter and a parked event each have their integration event, written with them', async () => {
    const pki = await testPki();
    const { proxy, url } = await startTestProxy({
      env: { JOB_MAX_ATTEMPTS: '1' },
      overrides: {
        registry: {
          'capture.completed': async () => {
            throw errors.remote('paypal', 500, 'boom');
          },
        },
      },
    });
    try {
      const send = async (eventType: string) => {
        const eventId = `WH-${randomUUID()}`;
        const body = JSON.stringify({
          id: eventId,
          event_type: eventType,
          resource: { id: `CAP-${eventId.slice(3, 11)}` },
        });
        expect(
          (await post(`${url}/webhooks/paypal`, body, { 'content-type': 'application/json', ...pki.sign(body) }))
            .status,
        ).toBe(200);
        return eventId;
      };
      const dead = await send('PAYMENT.CAPTURE.COMPLETED');
      const parked = await send('PAYMENT.CAPTURE.REFUNDED');
      const rows = await waitFor(
        async () => {
          const r = await proxy.store.query<{
            event_id: string;
            kind: string;
            dead_letter_id: string | null;
            message: string;
          }>(
            `SELECT event_id, kind, dead_letter_id::text AS dead_letter_id, message FROM integration_events WHERE event_id = ANY($1) ORDER BY kind`,
            [[dead, parked]],
          );
          return r.rows.length === 2 ? r.rows : undefined;
        },
        20_000,
        'integration events',
      );
      expect(rows.map((r) => [r.event_id, r.kind])).toEqual([
        [dead, 'dead_letter'],
        [parked, 'parked'],
      ]);
      expect(rows[0]!.dead_letter_id).not.toBeNull();
      expect(rows[0]!.message).toContain('could not be booked in Dynamics 365');
      expect(rows[1]!.message).toContain('Waiting');
      // What the alert rules read, on /metrics.
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/^ppc_integration_events\{kind="dead_letter",status="open"\} 1$/m);
      expect(metrics).toMatch(/^ppc_integration_events\{kind="parked",status="open"\} 1$/m);
      expect(metrics).toMatch(/^ppc_last_event_received_timestamp_seconds\{source="paypal"\} \d{10}/m);
      expect(metrics).toMatch(/^ppc_dead_letters_open 1$/m);
    } finally {
      await proxy.stop();
    }
  });
});
