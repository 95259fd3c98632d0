// A day PayPal delivers in several files (spec 9.0.4: files split at 1 million records; names
// STL-yyyymmdd.<sequence>.<version>.CSV): the footers (SF/SC in the section, RF/RC at the end) come once, in the
// last file, and are checked against the rows of every file of the day; a file missing from the set holds the
// day (nothing reconciled, the reason on the files) until it arrives, then the whole day runs once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openStore } from '../../src/adapters/store/open-store.ts';
import type { Store } from '../../src/adapters/store/store.ts';
import { loadConfig } from '../../src/config.ts';
import { listReportFiles, spool, concatReportFiles } from '../../src/reconciliation/report-files.ts';
import { parseReport, type ReportEvent } from '../../src/reconciliation/report-parser.ts';
import { testEnv } from '../support/test-proxy.ts';
import { buildReport } from '@ppc/paypal-emulator';
import { BreakType } from '@ppc/solution';
import { breaksWritten, dayReport, splitReport, testReconciler } from './support.ts';

let store: Store;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ppc-recon-days-'));
  store = await openStore(loadConfig(testEnv({ PGLITE_DATA_DIR: join(dir, 'pglite') })));
});
afterAll(async () => {
  await store?.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

async function events(files: { name: string; content: string }[]): Promise<ReportEvent[]> {
  const spooled = [];
  for (const f of files) spooled.push(await spool(Readable.from([f.content]), join(dir, 'parse'), f.name));
  const out: ReportEvent[] = [];
  for await (const e of parseReport(concatReportFiles(spooled))) out.push(e);
  return out;
}

const report = dayReport('2026-04-01', 30);
const parts = splitReport(report, 3);

describe('a day in several files, parsed as one report', () => {
  it('reads the files in order and checks the day totals (RF, SF, counts) against the rows of all files', async () => {
    expect(parts.map((p) => p.name)).toEqual([
      'STL-20260401.01.009.CSV',
      'STL-20260401.02.009.CSV',
      'STL-20260401.03.009.CSV',
    ]);
    const whole = await events([report]);
    const split = await events(parts);
    const pick = (es: ReportEvent[]) =>
      es.filter((e) => e.type === 'reportTotals' || e.type === 'sectionTotals' || e.type === 'end');
    expect(pick(split)).toEqual(pick(whole));
    expect(split.filter((e) => e.type === 'transaction')).toHaveLength(30);
    expect(split.filter((e) => e.type === 'header')).toHaveLength(1);
    expect(split.filter((e) => e.type === 'file').map((e) => (e as { sequence: string }).sequence)).toEqual([
      '01',
      '02',
      '03',
    ]);
    const rf = split.find((e) => e.type === 'reportTotals' && e.totals.currency === 'USD');
    expect(rf).toMatchObject({ totals: { count: 20 } });
  });

  it('a wrong amount in the first file is caught by the totals in the last file', async () => {
    const [a, b, c] = parts;
    const tampered = { ...a!, content: a!.content.replace(/"CR",1004,/, '"CR",1104,') };
    expect(tampered.content).not.toBe(a!.content);
    await expect(events([tampered, b!, c!])).rejects.toThrow(
      /(SF|RF) USD gross credit is \d+ but the rows it totals add up to \d+/,
    );
  });

  it('a gap in the sequence, a file of another report and a wrong file row count are refused, each named', async () => {
    const [a, b, c] = parts;
    await expect(events([a!, c!])).rejects.toThrow(/file 02 of the report is missing/);
    const other = splitReport(dayReport('2026-04-02', 6), 2)[1]!;
    await expect(
      events([a!, { ...other, content: other.content.replace('MERCHANT23456', 'OTHER999') }]),
    ).rejects.toThrow(/report header of another report/);
    const badCount = { ...b!, content: b!.content.replace(/"FF",10/, '"FF",11') };
    await expect(events([a!, badCount, c!])).rejects.toThrow(/FF says 11 rows, the file has 10 transaction rows/);
  });
});

describe('a day whose files arrive one by one', () => {
  it('holds the day while a file is missing (the reason on the files), then runs the whole day once', async () => {
    const { reconciler, dv } = testReconciler(store, join(dir, 'held'));
    const [a, b, c] = parts;
    const first = await reconciler.ingest('upload', c!.name, Readable.from([c!.content]));
    expect(first).toMatchObject({
      outcome: 'held',
      reason: expect.stringMatching(/waiting for file 01, 02 of the 2026-04-01 report/),
    });
    const second = await reconciler.ingest('sftp', a!.name, Readable.from([a!.content]));
    expect(second).toMatchObject({ outcome: 'held', reason: expect.stringMatching(/waiting for file 02/) });
    expect(dv.runsCreated()).toHaveLength(0); // nothing reconciled on part of a day
    const files = await listReportFiles(store);
    expect(files.map((f) => [f.name, f.status]).sort()).toEqual([
      [a!.name, 'held'],
      [c!.name, 'held'],
    ]);
    expect(files.find((f) => f.name === a!.name)!.last_error).toMatch(/waiting for file 02/);

    const last = await reconciler.ingest('drop', b!.name, Readable.from([b!.content]));
    expect(last).toMatchObject({ outcome: 'processed', rows: 30 });
    expect(dv.runsCreated()).toHaveLength(1);
    const run = dv.runsCreated()[0]!.body;
    expect(run).toMatchObject({ ppc_rundate: '2026-04-01', ppc_rowsread: 30 });
    const totals = JSON.parse(String(run.ppc_totalsjson)) as { currencies: { currency: string; ties: boolean }[] };
    expect(totals.currencies.map((x) => [x.currency, x.ties])).toEqual([
      ['EUR', true],
      ['USD', true],
    ]);
    expect((await listReportFiles(store)).map((f) => [f.name, f.status]).sort()).toEqual(
      [a!, b!, c!].map((p) => [p.name, 'processed']).sort(),
    );
    // a file of the set delivered again changes nothing
    expect(await reconciler.ingest('sftp', c!.name, Readable.from([c!.content]))).toMatchObject({
      outcome: 'duplicate',
    });
    expect(dv.runsCreated()).toHaveLength(1);
  });

  it('a last file without the report footer holds the day: more files are coming', async () => {
    const { reconciler, dv } = testReconciler(store, join(dir, 'tail'));
    const five = splitReport(dayReport('2026-04-03', 10), 2);
    const cut = { ...five[1]!, content: five[1]!.content.replace(/"RF".*\r\n|"RC".*\r\n/g, '') };
    const r1 = await reconciler.ingest('upload', five[0]!.name, Readable.from([five[0]!.content]));
    const r2 = await reconciler.ingest('upload', cut.name, Readable.from([cut.content]));
    expect([r1.outcome, r2.outcome]).toEqual(['held', 'held']);
    expect(r2).toMatchObject({ reason: expect.stringMatching(/waiting for file 03 .*does not end the report/) });
    expect(dv.runsCreated()).toHaveLength(0);
  });
});

describe('holds, releases and payout returns in a run, matched to Dataverse', () => {
  it('ties a dispute hold to its dispute and a payout return to its item; what does not tie is a break of its own type', async () => {
    const from = Date.parse('2026-04-10T00:00:00Z');
    const at = (m: number) => new Date(from + m * 60_000).toISOString();
    const entry = (transactionId: string, eventCode: string, amountMinor: number, referenceId = '') => ({
      transactionId,
      eventCode,
      initiationTime: at(transactionId.length),
      updatedTime: at(transactionId.length),
      currency: 'USD',
      amountMinor,
      feeMinor: 0,
      status: 'S' as const,
      balanceAffecting: true,
      ...(referenceId ? { referenceId, referenceIdType: 'TXN' as const } : {}),
    });
    const report = buildReport({
      type: 'STL',
      accountId: 'MERCHANT23456',
      from,
      to: from + 86_400_000,
      generatedAt: from + 86_400_000,
      ledger: [
        entry('HOLD00000000001', 'T1110', -5000, 'CAPDISPUTED0001'), // the dispute is in D365: matched
        entry('RETURN000000001', 'T1114', 1500, 'PAYOUTTXN000001'), // its item is Success in D365: status break
        entry('ODD000000000001', 'T9876', -100), // an event code nobody books
      ],
    });
    const { reconciler, dv } = testReconciler(
      store,
      join(dir, 'linked'),
      {},
      {
        ppc_disputes: [
          {
            ppc_disputeid: 'd-1',
            ppc_captureid: 'CAPDISPUTED0001',
            ppc_disputedamount: 50,
            ppc_paypalstatus: 'OPEN',
            statecode: 0,
            _transactioncurrencyid_value: 'c-usd',
          },
        ],
        ppc_payoutitems: [
          {
            ppc_payoutitemid: 'i-1',
            ppc_paypaltransactionref: 'PAYOUTTXN000001',
            ppc_amount: 15,
            statuscode: 2, // Success
            _transactioncurrencyid_value: 'c-usd',
          },
        ],
      },
      false,
    );
    const r = await reconciler.ingest('upload', report.name, Readable.from([report.content]));
    expect(r).toMatchObject({ outcome: 'processed', rows: 3 });
    const breaks = breaksWritten(dv.writes).map((w) => [w.body.ppc_paypalid, w.body.ppc_breaktype]);
    expect(breaks).toEqual([
      ['ODD000000000001', BreakType.UnknownEventCode],
      ['RETURN000000001', BreakType.StatusMismatch],
    ]);
    expect(dv.runsCreated()[0]!.body).toMatchObject({ ppc_rowsread: 3, ppc_matchedcount: 1, ppc_breakcount: 2 });
  });
});

describe('one day on demand (runDay: Reconcile now, POST /admin/reconciliation/run)', () => {
  it("re-runs the day's stored report for one currency onto an On Demand run; the report's own run keeps every currency", async () => {
    const { reconciler, dv } = testReconciler(store, join(dir, 'ondemand'));
    const day = dayReport('2026-04-20', 12); // 4 EUR rows, 8 USD rows
    await reconciler.ingest('sftp', day.name, Readable.from([day.content]));
    expect(dv.runsCreated().map((r) => r.body.ppc_source)).toEqual([416500161]);
    const before = dv.writes.length;

    const result = await reconciler.runDay({ date: '2026-04-20', currency: 'EUR' });
    expect(result).toMatchObject({ date: '2026-04-20', currency: 'EUR', run: { rows: 4 } });
    expect(result.held).toBeUndefined();
    const later = dv.writes.slice(before);
    // a new On Demand run carries the result; the settlement run is not written again
    expect(later.filter((w) => w.url === 'ppc_reconciliationruns').map((w) => w.body)).toEqual([
      expect.objectContaining({ ppc_source: 416500163, ppc_currencyscope: 'EUR', ppc_rundate: '2026-04-20' }),
    ]);
    const written = later.filter((w) => w.url === 'ppc_reconciliationruns(run-2)' && 'ppc_totalsjson' in w.body);
    expect(written).toHaveLength(1);
    const totals = JSON.parse(String(written[0]!.body.ppc_totalsjson)) as {
      currencyScope: string;
      currencies: { currency: string; ties: boolean }[];
    };
    expect(totals.currencyScope).toBe('EUR');
    expect(totals.currencies.map((c) => [c.currency, c.ties])).toEqual([['EUR', true]]);
    expect(written[0]!.body.ppc_rowsread).toBe(4);
    expect(later.some((w) => w.url === 'ppc_reconciliationruns(run-1)')).toBe(false);

    // a day with nothing received yet is said so (Transaction Search only)
    expect(await reconciler.runDay({ date: '2026-04-21' })).toMatchObject({ noReport: true, catchUp: { listed: 0 } });
  });

  it('a day whose files were all held (arrived together, each waiting for the other) is reconciled by runDay and its files done', async () => {
    const { reconciler, dv } = testReconciler(store, join(dir, 'race'));
    const [a, b] = splitReport(dayReport('2026-04-25', 6), 2);
    await reconciler.ingest('upload', a!.name, Readable.from([a!.content]));
    await reconciler.ingest('upload', b!.name, Readable.from([b!.content]));
    // as if both had been taken at the same moment: both held, nothing reconciled
    await store.query(`UPDATE recon_report_files SET status = 'held' WHERE report_date = '2026-04-25'`);
    const before = dv.runsCreated().length;
    const result = await reconciler.runDay({ date: '2026-04-25' });
    expect(result).toMatchObject({ run: { rows: 6 } });
    expect(dv.runsCreated().length).toBe(before); // the day's settlement run is updated, not a second one
    expect((await listReportFiles(store)).filter((f) => f.name.includes('20260425')).map((f) => f.status)).toEqual([
      'processed',
      'processed',
    ]);
  });
});
