// The learning loop on the proxy's own database (PGlite): live scoring stores features and counts each payment
// once in the windows; review labels are stored; `train` from those labels writes a new model file (version + 1,
// other weights) and a report that differs from the previous one.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/adapters/store/open-store.ts';
import type { Store } from '../../src/adapters/store/store.ts';
import { loadConfig } from '../../src/config.ts';
import { createMetrics } from '../../src/metrics.ts';
import { windowKeys } from '../../src/fraud/features.ts';
import { generatePayments } from '../../src/fraud/generator.ts';
import { retrainFromStore } from '../../src/fraud/retrain.ts';
import { createScorer, loadModel } from '../../src/fraud/scorer.ts';
import { DatabaseWindows, saveLabel, trainingRows } from '../../src/fraud/store.ts';
import { testEnv } from '../support/test-proxy.ts';

let store: Store;
let dir: string;
const REVIEWER = '5f0c7a6e-0000-4000-8000-000000000006';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ppc-fraud-'));
  store = await openStore(loadConfig(testEnv({ PGLITE_DATA_DIR: join(dir, 'pglite') })));
});
afterAll(async () => {
  await store?.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('fraud scoring with the proxy database', () => {
  it('a retried job reuses the stored score: the payment is counted once in its windows', async () => {
    const model = loadModel();
    const metrics = createMetrics();
    const scorer = createScorer({ store, model, thresholds: { hold: 60 }, metrics });
    const [p] = generatePayments({ seed: 5, customers: 50, days: 5 }).map((g) => g.signals);
    const first = await scorer.score({ ...p!, paypalId: 'RETRY-1' });
    const again = await scorer.score({ ...p!, paypalId: 'RETRY-1' });
    expect(again).toEqual(first);
    expect(first.thresholds.hold).toBe(60);
    const payer = windowKeys(p!).payer!;
    const [state] = (await new DatabaseWindows(store).load([payer])).values();
    expect(state!.counts.reduce((a, b) => a + b, 0)).toBe(1);
    // and in the metrics
    const scored = (await metrics.fraudScored.get()).values.reduce((a, v) => a + v.value, 0);
    expect(scored).toBe(1);
    expect((await metrics.lastPayment.get()).values[0]!.value).toBe(Date.parse(p!.at) / 1000);
  });

  it('retrains from stored labels: a new model file (version + 1, fitted weights) and a different report', async () => {
    const model = loadModel();
    const scorer = createScorer({ store, model });
    const generated = generatePayments({
      seed: 11,
      customers: 100,
      days: 20,
      attacks: { card_testing: 2, account_takeover: 5, triangulation: 10, friendly_fraud: 5, velocity_ring: 2 },
    });
    for (const g of generated) await scorer.score(g.signals);
    // Reviewers' verdicts on every fraud and on as many legit payments (the labels the review loop stores).
    const frauds = generated.filter((g) => g.label === 1);
    const legit = generated.filter((g) => g.label === 0).slice(0, frauds.length * 2);
    for (const g of [...frauds, ...legit])
      await saveLabel(store, {
        paypalId: g.signals.paypalId,
        label: g.label,
        reviewer: REVIEWER,
        reviewedAt: new Date('2026-02-01T00:00:00Z'),
      });
    const rows = await trainingRows(store);
    expect(rows.filter((r) => r.label !== undefined)).toHaveLength(frauds.length + legit.length);
    expect(frauds.length).toBeGreaterThanOrEqual(5);

    const modelFile = join(dir, 'fraud-model.json');
    const reportFile = join(dir, 'training.md');
    writeFileSync(modelFile, JSON.stringify(model));
    writeFileSync(reportFile, 'previous report');
    const before = readFileSync(modelFile, 'utf8');
    const { model: trained, report } = await retrainFromStore(store, loadModel(modelFile), { modelFile, reportFile });
    const written = loadModel(modelFile);
    expect(readFileSync(modelFile, 'utf8')).not.toBe(before);
    expect(written).toEqual(trained);
    expect(written.version).toBe(model.version + 1);
    expect(written.supervised).toBe(true);
    expect(written.trainedOn).toMatchObject({ labels: frauds.length + legit.length, fraudLabels: frauds.length });
    expect(written.weights).not.toEqual(model.weights);
    expect(readFileSync(reportFile, 'utf8')).toBe(report);
    expect(report).toContain(`Model version ${model.version} → ${model.version + 1}`);
    expect(report).toMatch(/Weights fitted on the labels/);

    // Trained again on the same rows: the next version, the same weights (deterministic).
    const { model: next } = await retrainFromStore(store, written, { modelFile, reportFile });
    expect(next.version).toBe(model.version + 2);
    expect(next.weights).toEqual(written.weights);
  });
});
