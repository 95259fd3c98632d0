// `npm run bench -- fraud`: the fraud score of one payment, in process (windows in memory, features, model,
// reasons), next to a no-op scorer timed the same way in the same run; the same with the windows and the score in
// the proxy's database (PGlite, in process); and the memory of the velocity windows at 1,000,000 payers.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '@ppc/proxy-service';
import {
  assess,
  createScorer,
  generatePayments,
  isFirstPurchase,
  loadModel,
  MemoryDisputes,
  MemoryWindows,
  observe,
  windowKeys,
  type PaymentSignals,
  openStore,
  type WindowState,
} from '@ppc/proxy-service/fraud';
import { table } from './report.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function percentiles(ns: bigint[]): { p50: string; p99: string; max: string } {
  const us = ns.map((x) => Number(x) / 1000).sort((a, b) => a - b);
  const at = (q: number) => us[Math.min(us.length - 1, Math.floor(q * us.length))]!;
  return { p50: `${at(0.5).toFixed(1)} µs`, p99: `${at(0.99).toFixed(1)} µs`, max: `${at(1).toFixed(0)} µs` };
}

function timeEach(payments: PaymentSignals[], fn: (p: PaymentSignals) => unknown): bigint[] {
  const out: bigint[] = [];
  for (const p of payments) {
    const t = process.hrtime.bigint();
    fn(p);
    out.push(process.hrtime.bigint() - t);
  }
  return out;
}

export async function run(): Promise<void> {
  const model = loadModel();
  const payments = generatePayments({ seed: 7 }).map((g) => g.signals);
  process.stdout.write(`fraud scoring: ${payments.length} generated payments, model v${model.version}\n`);

  // In process: read the windows, features, score and reasons, write the windows back. `zoned`: also the merchant's
  // time zone (the hour by Intl) and the payer's dispute history (the evaluation's in-memory ledger).
  const zonedProfile = { ...model.profile, timeZone: 'America/New_York' };
  const scoreInMemory =
    (windows: MemoryWindows, ledger?: MemoryDisputes) =>
    (p: PaymentSignals): unknown => {
      const keys = windowKeys(p);
      const states = new Map<string, WindowState>();
      for (const k of Object.values(keys)) {
        const s = windows.loadSync(k);
        if (s) states.set(k, s);
      }
      isFirstPurchase(p, states);
      const atMs = ledger && keys.payer ? Date.parse(p.at) : 0;
      const history = ledger && keys.payer ? ledger.historyAt(keys.payer, atMs) : undefined;
      const { features, next } = observe(p, states, ledger ? zonedProfile : model.profile, history);
      const a = assess(model, features);
      for (const [k, s] of next) windows.saveSync(k, s);
      if (ledger && keys.payer) ledger.recordPayment(keys.payer, p.paypalId, atMs, p.declined);
      return a;
    };
  const noop = (p: PaymentSignals) => p.amountMinor;
  // Fresh copies for every pass (window keys are cached per payment object), a warm-up pass (JIT) first, then
  // three measured passes of each; the pass with the median p99 is reported (the machine is shared: a single pass's
  // p99 is at the mercy of the scheduler — the load average is printed below).
  const fresh = () => payments.map((p) => ({ ...p }));
  timeEach(fresh(), scoreInMemory(new MemoryWindows()));
  timeEach(fresh(), noop);
  const medianPass = (passes: bigint[][]) => {
    const p99 = (xs: bigint[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[Math.floor(0.99 * xs.length)]!;
    return [...passes].sort((a, b) => (p99(a) < p99(b) ? -1 : 1))[1]!;
  };
  const baseline = medianPass([0, 1, 2].map(() => timeEach(fresh(), noop)));
  const scored = medianPass([0, 1, 2].map(() => timeEach(fresh(), scoreInMemory(new MemoryWindows()))));
  timeEach(fresh(), scoreInMemory(new MemoryWindows(), new MemoryDisputes()));
  const zoned = medianPass(
    [0, 1, 2].map(() => timeEach(fresh(), scoreInMemory(new MemoryWindows(), new MemoryDisputes()))),
  );
  const rows: Record<string, string | number>[] = [
    { scorer: 'no-op (baseline)', payments: payments.length, ...percentiles(baseline) },
    { scorer: 'score in process (windows in memory)', payments: payments.length, ...percentiles(scored) },
    {
      scorer: 'same + merchant time zone (Intl) + dispute ledger',
      payments: payments.length,
      ...percentiles(zoned),
    },
  ];

  // With the proxy's database: windows and the stored score (PGlite in process; PostgreSQL adds a network hop).
  const dir = mkdtempSync(join(tmpdir(), 'ppc-bench-fraud-'));
  const store = await openStore(
    loadConfig({ STORE: 'pglite', STORE_DATA_DIR: join(dir, 'pglite'), LOG_LEVEL: 'silent' }),
  );
  try {
    const scorer = createScorer({ store, model });
    const sample = payments.slice(0, 2000);
    const db: bigint[] = [];
    for (const p of sample) {
      const t = process.hrtime.bigint();
      await scorer.score(p);
      db.push(process.hrtime.bigint() - t);
    }
    rows.push({ scorer: 'score with the proxy database (PGlite)', payments: sample.length, ...percentiles(db) });
    const { rows: size } = await store.query<{ rows: string; bytes: string }>(
      `SELECT count(*)::text AS rows, pg_total_relation_size('fraud_windows')::text AS bytes FROM fraud_windows`,
    );
    const perRow = Number(size[0]!.bytes) / Number(size[0]!.rows);
    process.stdout.write(table(rows));
    process.stdout.write(
      `load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} on ${cpus().length} cores\n`,
    );
    process.stdout.write(
      `budget p99 < 1 ms in process: ${[scored, zoned].every((xs) => xs.map(Number).sort((a, b) => a - b)[Math.floor(0.99 * xs.length)]! < 1e6) ? 'met' : 'NOT met'}\n`,
    );
    process.stdout.write(
      `fraud_windows in the database: ${size[0]!.rows} keys, ${perRow.toFixed(0)} bytes/key incl. index → ~${((perRow * 1e6 * 2.5) / 2 ** 20).toFixed(0)} MiB for 1,000,000 payers (≈2.5 keys each: payer, e-mail, address; extrapolated)\n`,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }

  // Memory of the in-process windows at 1,000,000 payers (each with a realistic state: a few payments, amounts).
  gc();
  const before = process.memoryUsage();
  const windows = new MemoryWindows();
  const hour = Math.floor(Date.parse('2026-03-01T00:00:00Z') / 3_600_000);
  const counts = new Array<number>(24).fill(0);
  counts[hour % 24] = 2;
  for (let i = 0; i < 1_000_000; i++)
    windows.saveSync(`p:${i.toString(36).padStart(14, '0')}`, {
      hourBase: hour,
      counts,
      declines: new Array<number>(24).fill(0),
      amounts: [4500, 3900, 5200, 4100, 6000],
    });
  gc();
  const after = process.memoryUsage();
  const heap = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
  process.stdout.write(
    table([
      {
        structure: 'MemoryWindows (Map<key, slot> + Int32Array slabs)',
        payers: windows.size.toLocaleString('en'),
        'heap + array buffers': `${(heap / 2 ** 20).toFixed(0)} MiB`,
        'bytes/payer': (heap / windows.size).toFixed(0),
      },
    ]),
  );
}
