// Test support for reconciliation: a recording Dataverse port (runs and breaks written, nothing booked), the
// reconciler on a PGlite store with it, and a PayPal day split into several report files as PayPal does for big
// days (spec 9.0.4: files split at 1 million records).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PgBoss } from 'pg-boss';
import { buildReport } from '@ppc/paypal-emulator';
import type { BatchOp, DataversePort } from '../../src/adapters/dataverse/types.ts';
import type { PayPalClient } from '../../src/adapters/paypal/client.ts';
import type { Store } from '../../src/adapters/store/store.ts';
import type { ReferenceDataSource } from '../../src/flows/reference-data.ts';
import { createLogger } from '../../src/logger.ts';
import { createReconciler, type ReconSettings } from '../../src/reconciliation/reconciler.ts';

export interface Written {
  method: string;
  url: string;
  body: Record<string, unknown>;
}

/** A Dataverse with two currencies and nothing booked but `rows` (per entity set, any filter); writes recorded. */
export function recordingDataverse(rows: Record<string, Record<string, unknown>[]> = {}) {
  const writes: Written[] = [];
  const runs = new Map<string, string>();
  let n = 0;
  const record = (op: BatchOp) => writes.push({ method: op.method, url: op.url, body: op.body ?? {} });
  const port: DataversePort = {
    get: async () => null,
    query: async <T>(set: string, q: string) => {
      if (set === 'transactioncurrencies')
        return [
          { transactioncurrencyid: 'c-usd', isocurrencycode: 'USD' },
          { transactioncurrencyid: 'c-eur', isocurrencycode: 'EUR' },
        ] as T[];
      if (set === 'ppc_reconciliationruns') {
        const m = /ppc_rundate eq (\S+) and ppc_source eq (\d+)/.exec(q);
        const id = m ? runs.get(`${m[1]}|${m[2]}`) : undefined;
        return (id ? [{ ppc_reconciliationrunid: id }] : []) as T[];
      }
      return (rows[set] ?? []) as T[];
    },
    changeSet: async (ops) =>
      ops.map((op) => {
        record(op);
        if (op.method === 'POST' && op.url === 'ppc_reconciliationruns') {
          const id = `run-${++n}`;
          runs.set(`${String(op.body!.ppc_rundate)}|${String(op.body!.ppc_source)}`, id);
          return { status: 204, entityId: id };
        }
        return { status: 204 };
      }),
    readBatch: async () => [],
    update: async (url, body) => {
      writes.push({ method: 'PATCH', url, body });
    },
    stats: () => ({ requests: 0, operations: 0, throttled: {} }),
  };
  return {
    port,
    writes,
    /** the bodies of the runs created, in order */
    runsCreated: () => writes.filter((w) => w.method === 'POST' && w.url === 'ppc_reconciliationruns'),
  };
}

const paypal = {
  getBalances: async () => ({ balances: [] }),
  searchTransactions: async () => ({ transaction_details: [], total_pages: 1 }),
} as unknown as PayPalClient;

const reference: ReferenceDataSource = {
  get: () => Promise.reject(new Error('no reference data in this test')),
  invalidate: () => undefined,
};

/**
 * The reconciler on a store and a recording Dataverse. The cutover is after the days of these tests: a run
 * records totals (opening balances) only, so nothing is caught up and no job queue is needed.
 */
export function testReconciler(
  store: Store,
  dir: string,
  over: Partial<ReconSettings> = {},
  rows: Record<string, Record<string, unknown>[]> = {},
  /** false: no cutover, breaks are written (reports whose rows need no catch-up only: no job queue here) */
  cutover = true,
) {
  const dv = recordingDataverse(rows);
  mkdirSync(join(dir, 'spool'), { recursive: true });
  const reconciler = createReconciler({
    store,
    boss: {} as PgBoss,
    dataverse: dv.port,
    paypal,
    reference,
    log: createLogger('silent'),
    settings: {
      spoolDir: join(dir, 'spool'),
      tolerances: { amountMinor: 0, feeMinor: 0 },
      ...(cutover ? { cutover: new Date('2100-01-01T00:00:00Z') } : {}),
      lagMs: 0,
      overlapMs: 86_400_000,
      lookbackDays: 1,
      ...over,
    },
  });
  return { reconciler, dv };
}

/** The breaks a run wrote (upserts by key), in order. */
export const breaksWritten = (writes: Written[]) =>
  writes.filter((w) => w.method === 'PATCH' && w.url.startsWith('ppc_reconciliationbreaks('));

const DAY = 86_400_000;

/** A settlement report of `date` with `n` payments (USD and EUR), as one file. */
export function dayReport(
  date: string,
  n: number,
  amount = (i: number) => 1000 + i,
): { name: string; content: string } {
  const from = Date.parse(`${date}T00:00:00Z`);
  return buildReport({
    type: 'STL',
    accountId: 'MERCHANT23456',
    from,
    to: from + DAY,
    generatedAt: from + DAY,
    ledger: Array.from({ length: n }, (_, i) => ({
      transactionId: `${date.replace(/-/g, '')}TX${String(i).padStart(6, '0')}`,
      eventCode: 'T0006',
      initiationTime: new Date(from + 60_000 * (i + 1)).toISOString(),
      updatedTime: new Date(from + 60_000 * (i + 1)).toISOString(),
      currency: i % 3 === 0 ? 'EUR' : 'USD',
      amountMinor: amount(i),
      feeMinor: -(30 + (i % 7)),
      status: 'S',
      balanceAffecting: true,
    })),
  });
}

/**
 * One report split into `parts` files the way PayPal splits a big day: every file has the report header (RH),
 * its file header (FH nn), the section header (SH) and the column header (CH) again, a share of the rows and its
 * file footer (FF, its row count); the section and report footers (SF/SC, RF/RC) are in the last file only.
 */
export function splitReport(report: { name: string; content: string }, parts: number) {
  const lines = report.content
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean);
  const type = (l: string) => l.slice(1, 3);
  const rh = lines.find((l) => type(l) === 'RH')!;
  const sh = lines.find((l) => type(l) === 'SH')!;
  const ch = lines.find((l) => type(l) === 'CH')!;
  const sb = lines.filter((l) => type(l) === 'SB');
  const footers = lines.filter((l) => ['SF', 'SC', 'RF', 'RC'].includes(type(l)));
  const size = Math.ceil(sb.length / parts);
  return Array.from({ length: parts }, (_, i) => {
    const rows = sb.slice(i * size, (i + 1) * size);
    const seq = String(i + 1).padStart(2, '0');
    const body = [rh, `"FH",${seq}`, sh, ch, ...rows, ...(i === parts - 1 ? footers : []), `"FF",${rows.length}`];
    return { name: report.name.replace('.01.', `.${seq}.`), content: `\uFEFF${body.join('\r\n')}\r\n` };
  });
}
