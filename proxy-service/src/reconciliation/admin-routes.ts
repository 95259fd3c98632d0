// Admin console endpoints for reconciliation, mounted under /admin/reconciliation behind the admin token:
// upload a report file (the raw CSV as the body, streamed), fetch now (SFTP + drop folder), Transaction Search
// catch-up for a range, re-check open breaks, list the files received.
import express, { Router } from 'express';
import type { Sql } from '../adapters/store/store.ts';
import { capped } from '../logger.ts';
import { listReportFiles } from './report-files.ts';
import { reportFileInfo } from './report-parser.ts';
import type { Reconciler } from './reconciler.ts';

const DATE = /^\d{4}-\d\d-\d\d(T[\d:.]+Z)?$/;

export function reconciliationRouter(reconciler: Reconciler, sql: Sql): Router {
  const router = Router();
  router.get('/files', async (_req, res) => {
    res.json({ value: await listReportFiles(sql) });
  });
  router.post('/reports', async (req, res) => {
    const name = typeof req.query.name === 'string' ? req.query.name : '';
    if (!reportFileInfo(name)) {
      res.status(400).json({
        error: {
          code: 'bad_request',
          message: `name must be a PayPal report file name (STL-yyyymmdd.nn.vvv.CSV), got "${capped(name, 64)}"`,
        },
      });
      return;
    }
    const result = await reconciler.ingest('upload', name, req);
    res.status(result.outcome === 'failed' ? 422 : 200).json({
      outcome: result.outcome,
      sha256: result.file.sha256,
      ...(result.outcome === 'processed' ? { rows: result.rows } : {}),
      ...(result.outcome === 'failed' ? { error: result.error } : {}),
      ...(result.outcome === 'held' ? { reason: result.reason } : {}),
    });
  });
  router.post('/fetch', async (_req, res) => {
    const sftp = await reconciler.fetchSftp();
    const drop = await reconciler.scanDropFolder();
    res.json({
      sftp: sftp
        ? {
            listed: sftp.listed,
            skipped: sftp.skipped,
            outcomes: sftp.results.map((r) => [r.file.name, r.outcome]),
          }
        : null,
      drop: drop.map((r) => [r.file.name, r.outcome, ...(r.outcome === 'failed' ? [r.error] : [])]),
    });
  });
  router.post('/catch-up', express.json(), async (req, res) => {
    const b = (req.body ?? {}) as { from?: unknown; to?: unknown };
    if (
      (b.from !== undefined && (typeof b.from !== 'string' || !DATE.test(b.from))) ||
      (b.to !== undefined && (typeof b.to !== 'string' || !DATE.test(b.to)))
    ) {
      res
        .status(400)
        .json({ error: { code: 'bad_request', message: 'from/to must be YYYY-MM-DD or an ISO UTC time' } });
      return;
    }
    const range = b.from ? { from: new Date(b.from), to: b.to ? new Date(b.to) : new Date() } : undefined;
    const r = await reconciler.catchUp(range);
    res.json({
      windows: r.windows.length,
      listed: r.listed,
      missing: r.missing,
      enqueued: r.enqueued,
      already: r.already,
      unknown: r.unknown,
    });
  });
  // One day on demand (the code "Reconcile now" in D365 runs): fetch, the day's report (one currency if asked),
  // Transaction Search catch-up of the day, re-check.
  router.post('/run', express.json(), async (req, res) => {
    const b = (req.body ?? {}) as { date?: unknown; currency?: unknown };
    if (
      typeof b.date !== 'string' ||
      !/^\d{4}-\d\d-\d\d$/.test(b.date) ||
      (b.currency !== undefined && (typeof b.currency !== 'string' || !/^[A-Z]{3}$/.test(b.currency)))
    ) {
      res.status(400).json({
        error: { code: 'bad_request', message: 'date must be YYYY-MM-DD and currency, if given, an ISO code' },
      });
      return;
    }
    const r = await reconciler.runDay({ date: b.date, ...(b.currency ? { currency: b.currency } : {}) });
    res.json({
      date: r.date,
      currency: r.currency ?? null,
      held: r.held ?? null,
      noReport: !!r.noReport,
      run: r.run ? { runId: r.run.runId, rows: r.run.rows, matched: r.run.matched, breaks: r.run.breaks.length } : null,
      catchUp: r.catchUp,
      closed: r.closed,
      notes: r.notes,
    });
  });
  router.post('/recheck', async (_req, res) => {
    res.json(await reconciler.recheck());
  });
  return router;
}
