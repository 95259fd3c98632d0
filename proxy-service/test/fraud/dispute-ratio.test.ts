// The customer's dispute ratio (fraud/disputes.ts): the dispute flow counts each dispute PayPal confirms once in the
// proxy's store, the scorer reads disputes / payments of the payer over 180 days in its transaction, and the reason
// HIGH_DISPUTE_RATIO explains the score. The attacker's versions: a dispute PayPal does not know, or one whose body
// names another customer's capture, counts nothing. The in-memory ledger of the evaluation gives the same numbers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchOp, DataversePort } from '../../src/adapters/dataverse/types.ts';
import { openStore } from '../../src/adapters/store/open-store.ts';
import type { Store } from '../../src/adapters/store/store.ts';
import { loadConfig } from '../../src/config.ts';
import { AppError, errors } from '../../src/errors.ts';
import { disputeChanged } from '../../src/flows/dispute.ts';
import type { ReferenceDataSource } from '../../src/flows/reference-data.ts';
import {
  databaseDisputes,
  disputeHistory,
  disputeRatio,
  DISPUTE_WINDOW_DAYS,
  MemoryDisputes,
} from '../../src/fraud/disputes.ts';
import { FEATURES, windowKeys, type PaymentSignals } from '../../src/fraud/features.ts';
import { createScorer, loadModel } from '../../src/fraud/scorer.ts';
import { createLogger } from '../../src/logger.ts';
import { createMetrics } from '../../src/metrics.ts';
import { testEnv } from '../support/test-proxy.ts';

let store: Store;
let dir: string;
const DAY = 86_400_000;
const I = FEATURES.indexOf('dispute_ratio');
const t0 = Date.parse('2026-04-01T18:00:00Z');
const at = (days: number) => new Date(t0 + days * DAY).toISOString();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ppc-fraud-disputes-'));
  store = await openStore(loadConfig(testEnv({ PGLITE_DATA_DIR: join(dir, 'pglite') })));
});
afterAll(async () => {
  await store?.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

const payment = (
  paypalId: string,
  payerId: string,
  days: number,
  over: Partial<PaymentSignals> = {},
): PaymentSignals => ({
  paypalId,
  at: at(days),
  amountMinor: 4500,
  currency: 'USD',
  decimals: 2,
  declined: false,
  source: 'paypal',
  payerId,
  email: `${payerId.toLowerCase()}@example.com`,
  payerCountry: 'US',
  shipCountry: 'US',
  shipAddress: `1 ${payerId} St|95131|US`,
  sellerProtection: 'ELIGIBLE',
  payerStatus: 'VERIFIED',
  customer: { paymentCount: 2, refundRatio: 0 },
  ...over,
});

/** PayPal's dispute resource (Customer Disputes v1). */
const disputeResource = (id: string, captureId: string, status = 'OPEN', days = 0) => ({
  dispute_id: id,
  dispute_life_cycle_stage: 'INQUIRY',
  create_time: at(days),
  update_time: at(days),
  reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
  status,
  dispute_amount: { currency_code: 'USD', value: '45.00' },
  disputed_transactions: [{ seller_transaction_id: captureId }],
});

/** The dispute flow with a Dataverse that records change sets and a PayPal that knows `known`. */
function disputeFlow(known: Record<string, ReturnType<typeof disputeResource>>, metrics = createMetrics()) {
  const sets: BatchOp[][] = [];
  const dataverse = {
    changeSet: async (ops: BatchOp[]) => {
      sets.push(ops);
      return ops.map(() => ({ status: 204 }));
    },
    get: async () => null,
    query: async () => [],
    readBatch: async (paths: string[]) => paths.map(() => ({ value: [] })),
    update: async () => undefined,
    stats: () => ({ requests: 0, operations: 0, throttled: {} }),
  } as unknown as DataversePort;
  const reference = { get: async () => ({ currencyId: () => 'c-usd' }) } as unknown as ReferenceDataSource;
  const paypal = {
    getDispute: async (id: string) => {
      const d = known[id];
      if (!d) throw errors.notFound(`dispute ${id}`);
      return d;
    },
  };
  const handler = disputeChanged({
    dataverse,
    reference,
    paypal: paypal as never,
    disputes: databaseDisputes(metrics.disputesOpened),
  });
  const deliver = (eventType: string, resource: unknown, id = `WH-${Math.random()}`) =>
    handler({
      inboxId: '1',
      eventId: id,
      eventType,
      action: 'dispute.changed',
      attempt: 1,
      event: { id, event_type: eventType, resource },
      store,
      log: createLogger('silent'),
    });
  return { deliver, sets };
}

const rejected = async (run: Promise<void>) => {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('webhook_forgery_suspected');
};

describe('the dispute ratio feature', () => {
  it('disputes / (payments before + 1), clipped to 1; none without disputes', () => {
    expect(disputeRatio(undefined)).toBe(0);
    expect(disputeRatio({ payments: 7, disputes: 0 })).toBe(0);
    expect(disputeRatio({ payments: 1, disputes: 1 })).toBe(0.5);
    expect(disputeRatio({ payments: 3, disputes: 1 })).toBe(0.25);
    expect(disputeRatio({ payments: 0, disputes: 3 })).toBe(1);
  });
});

describe('the dispute ratio from the proxy store', () => {
  it('a dispute the flow books once (CREATED, UPDATED, RESOLVED, retried) raises the payer’s next score', async () => {
    const model = loadModel();
    const scorer = createScorer({ store, model });
    // two payers with the same two earlier purchases; only ALICE disputes one of hers
    for (const [payer, ids] of [
      ['ALICE', ['CAP-A1', 'CAP-A2']],
      ['BOB', ['CAP-B1', 'CAP-B2']],
    ] as const) {
      await scorer.score(payment(ids[0], payer, 0));
      await scorer.score(payment(ids[1], payer, 20));
    }
    const d = disputeResource('PP-D-A1', 'CAP-A1', 'OPEN', 30);
    const metrics = createMetrics();
    const flow = disputeFlow({ 'PP-D-A1': d }, metrics);
    await flow.deliver('CUSTOMER.DISPUTE.CREATED', d, 'WH-D1');
    await flow.deliver('CUSTOMER.DISPUTE.CREATED', d, 'WH-D1'); // the job retried
    await flow.deliver('CUSTOMER.DISPUTE.UPDATED', { ...d, status: 'UNDER_REVIEW' });
    const resolved = { ...d, status: 'RESOLVED', update_time: at(40) };
    const later = disputeFlow({ 'PP-D-A1': resolved }, metrics);
    await later.deliver('CUSTOMER.DISPUTE.RESOLVED', resolved);
    const { rows } = await store.query<{ n: string }>(`SELECT count(*)::text AS n FROM fraud_disputes`);
    expect(Number(rows[0]!.n)).toBe(1);
    // counted once for the dispute-rate alert (ppc_disputes_opened_total), by its stage when first seen
    expect((await metrics.disputesOpened.get()).values).toEqual([
      expect.objectContaining({ labels: { stage: 'INQUIRY' }, value: 1 }),
    ]);
    // the ppc_dispute was still booked every time
    expect(flow.sets.length + later.sets.length).toBe(4);

    const alice = await scorer.score(payment('CAP-A3', 'ALICE', 45));
    const bob = await scorer.score(payment('CAP-B3', 'BOB', 45));
    expect(await disputeHistory(store, windowKeys(payment('x', 'ALICE', 45)).payer!, at(45), 'CAP-A3')).toEqual({
      payments: 2,
      disputes: 1,
    });
    const features = async (id: string) =>
      (
        await store.query<{ features: number[] }>(`SELECT features FROM fraud_scores WHERE paypal_id = $1`, [id])
      ).rows[0]!.features.map(Number);
    expect((await features('CAP-A3'))[I]).toBeCloseTo(1 / 3, 9);
    expect((await features('CAP-B3'))[I]).toBe(0);
    expect(alice.assessment.score).toBeGreaterThan(bob.assessment.score);
    expect(alice.assessment.reasons[0]).toMatchObject({ code: 'HIGH_DISPUTE_RATIO', feature: 'dispute_ratio' });
    expect(bob.assessment.reasons.map((r) => r.code)).not.toContain('HIGH_DISPUTE_RATIO');
  });

  it('the attacker’s versions count nothing: a dispute PayPal does not know, a body naming another capture', async () => {
    const model = loadModel();
    const scorer = createScorer({ store, model });
    await scorer.score(payment('CAP-C1', 'CAROL', 0));
    const real = disputeResource('PP-D-D1', 'CAP-D1', 'OPEN', 10); // someone else's payment
    const flow = disputeFlow({ 'PP-D-D1': real });
    // unknown to PayPal
    await rejected(flow.deliver('CUSTOMER.DISPUTE.CREATED', disputeResource('PP-FAKE', 'CAP-C1', 'OPEN', 10)));
    // PayPal's dispute disputes CAP-D1; the body claims CAROL's capture
    await rejected(
      flow.deliver('CUSTOMER.DISPUTE.CREATED', {
        ...real,
        disputed_transactions: [{ seller_transaction_id: 'CAP-C1' }],
      }),
    );
    const { rows } = await store.query<{ dispute_id: string }>(
      `SELECT dispute_id FROM fraud_disputes WHERE paypal_id = 'CAP-C1' OR dispute_id IN ('PP-FAKE', 'PP-D-D1')`,
    );
    expect(rows).toEqual([]);
    const carol = await scorer.score(payment('CAP-C2', 'CAROL', 20));
    expect(carol.assessment.reasons.map((r) => r.code)).not.toContain('HIGH_DISPUTE_RATIO');
  });

  it('a dispute booked before its payment was scored still counts; one older than 180 days does not', async () => {
    const model = loadModel();
    const scorer = createScorer({ store, model });
    const early = disputeResource('PP-D-E1', 'CAP-E1', 'OPEN', 5);
    await disputeFlow({ 'PP-D-E1': early }).deliver('CUSTOMER.DISPUTE.CREATED', early);
    await scorer.score(payment('CAP-E1', 'ERIN', 1)); // the capture's own job ran late
    const payer = windowKeys(payment('x', 'ERIN', 0)).payer!;
    expect(await disputeHistory(store, payer, at(10))).toEqual({ payments: 1, disputes: 1 });
    expect(await disputeHistory(store, payer, at(5 + DISPUTE_WINDOW_DAYS + 1))).toEqual({ payments: 0, disputes: 0 });
  });

  it('an earlier payment in the same second (PayPal times are whole seconds) is an earlier payment', async () => {
    const scorer = createScorer({ store, model: loadModel() });
    await scorer.score(payment('CAP-F1', 'FRANK', 0));
    const d = disputeResource('PP-D-F1', 'CAP-F1', 'OPEN', 0);
    await disputeFlow({ 'PP-D-F1': d }).deliver('CUSTOMER.DISPUTE.CREATED', d);
    await scorer.score(payment('CAP-F2', 'FRANK', 0));
    const { rows } = await store.query<{ features: number[] }>(
      `SELECT features FROM fraud_scores WHERE paypal_id = 'CAP-F2'`,
    );
    expect(Number(rows[0]!.features[I])).toBe(0.5);
  });

  it('the evaluation’s in-memory ledger gives the numbers the store gives', async () => {
    const m = new MemoryDisputes();
    const payer = windowKeys(payment('x', 'ERIN', 0)).payer!;
    m.recordDispute({ disputeId: 'PP-D-E1', paypalId: 'CAP-E1', openedAtMs: Date.parse(at(5)) });
    m.recordDispute({ disputeId: 'PP-D-E1', paypalId: 'CAP-E1', openedAtMs: Date.parse(at(5)) });
    m.recordPayment(payer, 'CAP-E1', Date.parse(at(1)), false);
    for (const days of [10, 5 + DISPUTE_WINDOW_DAYS + 1])
      expect(m.historyAt(payer, Date.parse(at(days)))).toEqual(await disputeHistory(store, payer, at(days)));
  });
});
