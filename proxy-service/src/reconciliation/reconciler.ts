// One reconciliation: a report file (or a Transaction Search window) → matched against Dynamics 365 → breaks,
// catch-up of what is missing through the webhook flows, conversions posted with their FX result, the day closed
// per currency → a ppc_reconciliationrun with its totals and ppc_reconciliationbreak rows for finance.
// Breaks also go to an IntegrationEventSink (the seam for the integration event log).
import { readdirSync, createReadStream, renameSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { PgBoss } from 'pg-boss';
import type { DataversePort, BatchOp } from '../adapters/dataverse/types.ts';
import type { PayPalClient } from '../adapters/paypal/client.ts';
import type { Store } from '../adapters/store/store.ts';
import type { ReferenceDataSource } from '../flows/reference-data.ts';
import type { Logger } from '../logger.ts';
import { LedgerSourceType, odataString, toDecimal } from '../mapping/dataverse-values.ts';
import { money, parseAmount } from '../mapping/money.ts';
import { BreakType, ReconciliationBreakStatus, ReconciliationRunStatus, ReconciliationSource } from '@ppc/solution';
import { bankDeposits, linkedRecords, loadBooks, lookUpBooked, currencyCodes, toMinor } from './books.ts';
import { enqueueCatchUp, searchAll, searchWindows } from './catch-up.ts';
import { closeDay, postConversion, type CurrencyClose, type FxPosting } from './close.ts';
import { Matcher, type Break, type BreakKind, type Tolerances } from './matcher.ts';
import {
  concatReportFiles,
  daySet,
  ingestReport,
  readSpooled,
  type FileOutcome,
  type FileSource,
  type IngestResult,
  type SpooledFile,
} from './report-files.ts';
import { parseReport, reportDate, reportFileInfo, type CurrencyTotals, type ReportKind } from './report-parser.ts';
import { fetchOverSftp, type SftpSettings } from './sftp-fetcher.ts';
import { bookedAsTransaction, classify } from './tcodes.ts';

/** Where breaks and runs are mirrored as integration events (ppc_integrationevent, once the ops log exists). */
export interface IntegrationEventSink {
  record(event: {
    type: 'reconciliation.break.opened' | 'reconciliation.break.closed' | 'reconciliation.run.completed';
    key: string;
    summary: string;
    details: Record<string, unknown>;
  }): Promise<void>;
}

export interface ReconSettings {
  spoolDir: string;
  dropDir?: string;
  sftp?: SftpSettings;
  tolerances: Tolerances;
  /** history before this date is opening balances only: no breaks, no catch-up */
  cutover?: Date;
  lagMs: number;
  overlapMs: number;
  /** Transaction Search catch-up looks back this far on its daily run */
  lookbackDays: number;
}

export interface ReconcilerDeps {
  store: Store;
  boss: PgBoss;
  dataverse: DataversePort;
  paypal: PayPalClient;
  reference: ReferenceDataSource;
  log: Logger;
  settings: ReconSettings;
  events?: IntegrationEventSink;
  now?: () => Date;
}

export interface RunSummary {
  runId: string;
  runDate: string;
  source: keyof typeof ReconciliationSource;
  rows: number;
  matched: number;
  breaks: Break[];
  caughtUp: string[];
  closes: CurrencyClose[];
  fx: FxPosting[];
}

export const BREAK_TYPE: Record<BreakKind, number> = {
  missing_in_d365: BreakType.MissingInDynamics,
  missing_in_paypal: BreakType.MissingInPayPal,
  amount: BreakType.AmountMismatch,
  fee: BreakType.FeeMismatch,
  currency: BreakType.FxMismatch,
  status: BreakType.StatusMismatch,
  // a withdrawal whose bank deposit differs: an amount to find at the bank
  withdrawal: BreakType.AmountMismatch,
  // the day does not add up, a conversion leg alone, a movement that cannot be tied to anything
  balance: BreakType.UnexplainedMovement,
  unexplained: BreakType.UnexplainedMovement,
  unknown_tcode: BreakType.UnknownEventCode,
};

/** What one "Reconcile now" (or POST /admin/reconciliation/run) of a day came to. */
export interface DayRun {
  date: string;
  currency?: string;
  /** the run of the day's report, when one has been received whole */
  run?: RunSummary;
  /** the day's report set is incomplete: why */
  held?: string;
  /** no report for the day was received yet (Transaction Search only) */
  noReport?: boolean;
  catchUp: { listed: number; missing: string[]; enqueued: string[]; already: string[] };
  closed: string[];
  /** what did not work but did not stop the run (SFTP down, …) */
  notes: string[];
}

export interface StreamOptions {
  /** the file name's date, when the report has no section header */
  fileDate?: string;
  /** only this currency's rows are matched and closed (the file is still checked whole) */
  currency?: string;
  /** the ppc_reconciliationrun to write the result on (a "Reconcile now" request); default: by date and source */
  runId?: string;
}

const SECOND = 1000;

export function createReconciler(deps: ReconcilerDeps) {
  const { dataverse: dv, log, settings } = deps;
  const now = deps.now ?? (() => new Date());

  async function processStream(input: Readable, kind: ReportKind, opts: StreamOptions = {}): Promise<RunSummary> {
    const { fileDate, currency: scope } = opts;
    let from: string | undefined;
    let to: string | undefined;
    const sectionTotals = new Map<string, CurrencyTotals>();
    const reportTotals = new Map<string, CurrencyTotals>();
    let matcher: Matcher | undefined;
    let books: Awaited<ReturnType<typeof loadBooks>> | undefined;
    const pending: Parameters<Matcher['add']>[0][] = [];
    for await (const e of parseReport(input)) {
      if (e.type === 'section' && !from) {
        from = reportDate(e.start);
        to = new Date(Date.parse(reportDate(e.end)) + SECOND).toISOString();
      } else if (e.type === 'transaction') {
        if (scope && e.transaction.currency !== scope) continue;
        if (!matcher) {
          if (!from || !to) {
            pending.push(e.transaction);
            continue;
          }
          books = scoped(await loadBooks(dv, from, to), scope);
          matcher = new Matcher(books.byId, settings.tolerances);
        }
        matcher.add(e.transaction);
      } else if (e.type === 'sectionTotals') sectionTotals.set(e.totals.currency, e.totals);
      else if (e.type === 'reportTotals') reportTotals.set(e.totals.currency, e.totals);
    }
    if (!from || !to) {
      if (!fileDate) throw new Error('the report has no section header (SH) and its file name no date');
      from = `${fileDate}T00:00:00.000Z`;
      to = new Date(Date.parse(from) + 86_400_000).toISOString();
    }
    books ??= scoped(await loadBooks(dv, from, to), scope);
    matcher ??= new Matcher(books.byId, settings.tolerances);
    for (const t of pending) matcher.add(t);
    const totals = reportTotals.size ? reportTotals : sectionTotals;
    if (scope) for (const c of [...totals.keys()]) if (c !== scope) totals.delete(c);
    return finishRun(matcher, books, {
      from,
      to,
      source: kind === 'STL' ? 'SettlementReport' : 'TransactionDetailReport',
      // A TRR's totals include rows that do not move the balance: only a settlement report closes the day.
      totals: kind !== 'STL' ? new Map<string, CurrencyTotals>() : totals,
      ...(scope ? { currency: scope } : {}),
      ...(opts.runId ? { runId: opts.runId } : {}),
    });
  }

  function scoped(books: Awaited<ReturnType<typeof loadBooks>>, currency: string | undefined) {
    if (!currency) return books;
    for (const [id, b] of books.byId) if (b.currency !== currency) books.byId.delete(id);
    return books;
  }

  async function finishRun(
    matcher: Matcher,
    books: Awaited<ReturnType<typeof loadBooks>>,
    run: {
      from: string;
      to: string;
      source: keyof typeof ReconciliationSource;
      totals: Map<string, CurrencyTotals>;
      currency?: string;
      runId?: string;
    },
  ): Promise<RunSummary> {
    const startedOn = now().toISOString();
    const runDate = run.from.slice(0, 10);
    const beforeCutover = settings.cutover && Date.parse(run.to) <= settings.cutover.getTime();
    // Rows no index held: look them up by id (a booking dated on another day is not missing).
    const unresolved = matcher.unresolved();
    const found = await lookUpBooked(dv, books.currencies, {
      transactions: unresolved.filter((t) => classify(t.eventCode) !== 'payout').map((t) => t.transactionId),
      payouts: unresolved.filter((t) => classify(t.eventCode) === 'payout').map((t) => t.transactionId),
    });
    matcher.resolve(found);
    // Dispute holds/releases and payout returns, 1:1 to their dispute / payout item.
    const linked = await linkedRecords(dv, books.currencies, matcher.linkedRefs());
    matcher.resolveLinked(linked.disputes, linked.payoutItems);
    matcher.missingInPayPal(books.byId.values());
    const result = matcher.finish();
    const breaks: Break[] = [...result.breaks];

    // Withdrawals N:1 to the bank deposits recorded in D365 (by bank reference, else by withdrawal id).
    const refs = [...result.withdrawals.entries()];
    const keys = refs.flatMap(([k, w]) => (k.startsWith('currency:') ? w.ids : [k]));
    const deposits = keys.length
      ? await bankDeposits(dv, books.currencies, keys)
      : new Map<string, { currency: string; amountMinor: number }>();
    for (const [key, w] of refs) {
      const ids = key.startsWith('currency:') ? w.ids : [key];
      const deposited = ids.reduce((s, id) => s + (deposits.get(id)?.amountMinor ?? 0), 0);
      if (deposited === w.amountMinor) continue;
      breaks.push({
        kind: 'withdrawal',
        subject: key.startsWith('currency:') ? w.ids.join('+').slice(0, 120) : key,
        paypalId: w.ids[0]!,
        eventCode: 'T0400',
        currency: w.currency,
        paypalMinor: w.amountMinor,
        bookedMinor: deposited,
        differenceMinor: w.amountMinor - deposited,
        explanation: `PayPal paid out ${toDecimal(w.amountMinor, w.currency)} ${w.currency} to the bank (${w.ids.join(', ')}${key.startsWith('currency:') ? '' : `, bank reference ${key}`}); the bank deposits recorded in Dynamics 365 for it add up to ${toDecimal(deposited, w.currency)} ${w.currency}.`,
        action:
          'Record the bank deposit (ledger line, purpose Bank, source Withdrawal, source id = bank reference) when it arrives, then resolve.',
      });
    }

    // Close per currency, tied to the report and to PayPal's balance at the end of the window.
    let balances: Map<string, number> | undefined;
    try {
      const res = await deps.paypal.getBalances({
        as_of_time: new Date(Date.parse(run.to) - SECOND).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      });
      balances = new Map(
        (res.balances ?? []).flatMap((b) => {
          const amount = b.available_balance;
          return amount?.value && amount.currency_code && (!run.currency || amount.currency_code === run.currency)
            ? [[amount.currency_code, parseAmount(amount.value, amount.currency_code).minor]]
            : [];
        }),
      );
    } catch (err) {
      log.warn(
        { err: { message: (err as Error).message } },
        'PayPal balances not read: the close ties to the report only',
      );
    }
    const close = closeDay(result.movements, run.totals, balances);
    breaks.push(...close.breaks);

    // Conversions with their FX result.
    const fx: FxPosting[] = [];
    if (result.conversions.length) {
      const ref = await deps.reference.get();
      for (const c of result.conversions) {
        const origin = books.byId.get(c.reference) ?? found.get(c.reference);
        const carried =
          origin && 'netBase' in origin && typeof origin.netBase === 'number' && origin.currency === c.from.currency
            ? money(toMinor(origin.netBase, ref.baseCurrency), ref.baseCurrency)
            : undefined;
        try {
          const posting = postConversion(c, ref, carried);
          await postFx(posting, ref);
          fx.push(posting);
        } catch (err) {
          breaks.push({
            kind: 'unexplained',
            subject: c.from.transactionId,
            paypalId: c.from.transactionId,
            eventCode: 'T0200',
            currency: c.from.currency,
            paypalMinor: c.from.amountMinor,
            explanation: `The currency conversion ${c.from.transactionId} could not be posted: ${(err as Error).message}.`,
            action: 'Add the missing exchange rate or GL account mapping; the next run posts it.',
          });
        }
      }
    }

    // Catch-up of what D365 misses, through the webhook flows.
    const missing = beforeCutover
      ? []
      : breaks.filter((b) => b.kind === 'missing_in_d365' && b.tclass && bookedAsTransaction(b.tclass));
    const caught = missing.length
      ? await enqueueCatchUp(
          { store: deps.store, boss: deps.boss, paypal: deps.paypal, now },
          missing.map((b) => ({ paypalId: b.paypalId!, tclass: b.tclass! })),
        )
      : { enqueued: [], already: [], unknown: [] };

    const kept = beforeCutover ? [] : breaks;
    const runId = await writeRun({
      ...(run.runId ? { runId: run.runId } : {}),
      runDate,
      source: run.source,
      startedOn,
      rows: result.rows,
      matched: result.matched,
      breaks: kept,
      caughtUp: [...caught.enqueued, ...caught.already],
      totals: {
        window: { from: run.from, to: run.to },
        currencies: close.closes,
        fx: fx.map((p) => ({ sourceId: p.sourceId, resultMinor: p.resultMinor })),
        openingBalancesOnly: !!beforeCutover,
        ...(run.currency ? { currencyScope: run.currency } : {}),
      },
    });
    await writeBreaks(runId, runDate, run.source, kept, books.currencies);
    const summary: RunSummary = {
      runId,
      runDate,
      source: run.source,
      rows: result.rows,
      matched: result.matched,
      breaks: kept,
      caughtUp: [...caught.enqueued, ...caught.already],
      closes: close.closes,
      fx,
    };
    log.info(
      {
        runDate,
        source: run.source,
        rows: result.rows,
        matched: result.matched,
        breaks: kept.length,
        caughtUp: summary.caughtUp.length,
      },
      'reconciliation run completed',
    );
    await deps.events?.record({
      type: 'reconciliation.run.completed',
      key: `recon-run:${runDate}:${run.source}`,
      summary: `Reconciliation ${runDate}: ${result.rows} rows, ${kept.length} breaks`,
      details: { runId, closes: close.closes },
    });
    return summary;
  }

  async function postFx(p: FxPosting, ref: Awaited<ReturnType<ReferenceDataSource['get']>>) {
    const ops: BatchOp[] = p.lines.map((l) => {
      const currencyId = ref.currencyId(l.amount.currency);
      if (!currencyId) throw new Error(`currency ${l.amount.currency} is not in Dataverse`);
      return {
        method: 'PATCH',
        url: `ppc_ledgerentries(ppc_sourceid=${odataString(p.sourceId)},ppc_lineno=${l.lineNo})`,
        body: {
          ppc_name: `${p.sourceId} #${l.lineNo}`,
          ppc_sourcetype: LedgerSourceType.FxRevaluation,
          ppc_accountcode: l.accountCode,
          ppc_purpose: l.purpose,
          ppc_side: l.side,
          ppc_amount: toDecimal(l.amount.minor, l.amount.currency),
          'transactioncurrencyid@odata.bind': `/transactioncurrencies(${currencyId})`,
          ppc_basecurrencycode: ref.baseCurrency,
          ppc_baseamount: toDecimal(l.base.minor, l.base.currency),
          ...(p.rate ? { ppc_fxrate: Number(p.rate) } : {}),
          ppc_postingdate: p.date,
          ppc_description: l.description.slice(0, 200),
        },
      };
    });
    await dv.changeSet(ops);
  }

  async function writeRun(r: {
    runId?: string;
    runDate: string;
    source: keyof typeof ReconciliationSource;
    startedOn: string;
    rows: number;
    matched: number;
    breaks: Break[];
    caughtUp: string[];
    totals: unknown;
  }): Promise<string> {
    const source = ReconciliationSource[r.source];
    const [existing] = r.runId
      ? [{ ppc_reconciliationrunid: r.runId }]
      : await dv.query<{ ppc_reconciliationrunid: string }>(
          'ppc_reconciliationruns',
          `$select=ppc_reconciliationrunid&$filter=ppc_rundate eq ${r.runDate} and ppc_source eq ${source}`,
          1,
        );
    const body = {
      // a requested run keeps its own name, date and source (On Demand)
      ...(r.runId
        ? {}
        : {
            ppc_name: `${r.source === 'SettlementReport' ? 'Settlement' : r.source === 'TransactionDetailReport' ? 'Transaction detail' : 'Transaction Search'} ${r.runDate}`,
            ppc_rundate: r.runDate,
            ppc_source: source,
          }),
      ppc_startedon: r.startedOn,
      ppc_completedon: now().toISOString(),
      ppc_rowsread: r.rows,
      ppc_matchedcount: r.matched,
      ppc_breakcount: r.breaks.length,
      ppc_caughtupcount: r.caughtUp.length,
      ppc_totalsjson: JSON.stringify(r.totals).slice(0, 20000),
    };
    let id = existing?.ppc_reconciliationrunid;
    if (!id) {
      const [created] = await dv.changeSet([{ method: 'POST', url: 'ppc_reconciliationruns', body }]);
      id = created!.entityId!;
    } else await dv.update(`ppc_reconciliationruns(${id})`, body);
    await dv.update(`ppc_reconciliationruns(${id})`, { statecode: 1, statuscode: ReconciliationRunStatus.Completed });
    return id;
  }

  async function writeBreaks(
    runId: string,
    runDate: string,
    source: keyof typeof ReconciliationSource,
    breaks: Break[],
    currencies: Map<string, string>,
  ) {
    const idOf = new Map([...currencies.entries()].map(([id, iso]) => [iso, id]));
    const ops: BatchOp[] = breaks.map((b) => {
      const key = `${runDate}|${ReconciliationSource[source]}|${b.subject}|${b.kind}`.slice(0, 200);
      const currencyId = idOf.get(b.currency);
      const dec = (m: number | undefined) => (m === undefined || !currencyId ? undefined : toDecimal(m, b.currency));
      return {
        method: 'PATCH',
        url: `ppc_reconciliationbreaks(ppc_breakkey=${odataString(key)})`,
        body: {
          ppc_name: b.explanation.slice(0, 200),
          ppc_breaktype: BREAK_TYPE[b.kind],
          'ppc_runid@odata.bind': `/ppc_reconciliationruns(${runId})`,
          ...(b.paypalId ? { ppc_paypalid: b.paypalId.slice(0, 64) } : {}),
          ...(b.eventCode ? { ppc_eventcode: b.eventCode } : {}),
          ...(currencyId ? { 'transactioncurrencyid@odata.bind': `/transactioncurrencies(${currencyId})` } : {}),
          ...(dec(b.paypalMinor) !== undefined ? { ppc_paypalamount: dec(b.paypalMinor) } : {}),
          ...(dec(b.bookedMinor) !== undefined ? { ppc_dataverseamount: dec(b.bookedMinor) } : {}),
          ...(dec(b.differenceMinor) !== undefined ? { ppc_difference: dec(b.differenceMinor) } : {}),
          ...(b.recordId && b.kind !== 'withdrawal' && !(b.tclass === 'payout')
            ? { 'ppc_transactionid@odata.bind': `/ppc_paypaltransactions(${b.recordId})` }
            : {}),
          ppc_details: `${b.explanation}\nSuggested action: ${b.action}\n[${b.kind}]`.slice(0, 4000),
        },
      };
    });
    for (let i = 0; i < ops.length; i += 100) await dv.changeSet(ops.slice(i, i + 100));
    for (const b of breaks)
      await deps.events?.record({
        type: 'reconciliation.break.opened',
        key: `${runDate}|${b.subject}|${b.kind}`,
        summary: b.explanation,
        details: { kind: b.kind, paypalId: b.paypalId, currency: b.currency, action: b.action },
      });
  }

  /**
   * Open breaks whose cause is gone close themselves (Auto Resolved): a payment caught up, an amount or fee
   * corrected in D365 to PayPal's value.
   */
  async function recheck(): Promise<{ closed: string[] }> {
    const open = await dv.query<{
      ppc_reconciliationbreakid: string;
      ppc_breaktype: number;
      ppc_paypalid?: string;
      ppc_paypalamount?: number;
      ppc_details?: string;
      _transactioncurrencyid_value?: string;
    }>(
      'ppc_reconciliationbreaks',
      `$select=ppc_reconciliationbreakid,ppc_breaktype,ppc_paypalid,ppc_paypalamount,ppc_details,_transactioncurrencyid_value&$filter=statecode eq 0 and (ppc_breaktype eq ${BreakType.MissingInDynamics} or ppc_breaktype eq ${BreakType.AmountMismatch} or ppc_breaktype eq ${BreakType.FeeMismatch})`,
    );
    const candidates = open.filter(
      (b) => b.ppc_paypalid && /\[(missing_in_d365|amount|fee)\]$/.test(b.ppc_details ?? ''),
    );
    if (!candidates.length) return { closed: [] };
    const currencies = await currencyCodes(dv);
    const found = await lookUpBooked(dv, currencies, {
      transactions: [...new Set(candidates.map((b) => b.ppc_paypalid!))],
      payouts: [],
    });
    const closed: string[] = [];
    for (const b of candidates) {
      const booked = found.get(b.ppc_paypalid!);
      const currency = currencies.get(b._transactioncurrencyid_value ?? '');
      if (!booked || !currency) continue;
      const want = toMinor(b.ppc_paypalamount, currency);
      const kind = /\[(\w+)\]$/.exec(b.ppc_details ?? '')?.[1];
      const have = kind === 'fee' ? booked.feeMinor : booked.grossMinor;
      if (have !== want || booked.currency !== currency) continue;
      const reason =
        kind === 'missing_in_d365'
          ? `Caught up: Dynamics 365 now records ${b.ppc_paypalid} with PayPal's amount (${toDecimal(want, currency)} ${currency}).`
          : `Corrected: Dynamics 365 now books ${b.ppc_paypalid} with PayPal's ${kind === 'fee' ? 'fee' : 'amount'} (${toDecimal(want, currency)} ${currency}).`;
      await dv.update(`ppc_reconciliationbreaks(${b.ppc_reconciliationbreakid})`, {
        statecode: 1,
        statuscode: ReconciliationBreakStatus.AutoResolved,
        ppc_resolution: reason,
      });
      closed.push(b.ppc_paypalid!);
      await deps.events?.record({
        type: 'reconciliation.break.closed',
        key: b.ppc_reconciliationbreakid,
        summary: reason,
        details: { paypalId: b.ppc_paypalid },
      });
    }
    return { closed };
  }

  // A file is processed with the other files of its day's report (PayPal splits big days); until the set is
  // whole the file is held (kept, with the reason on its row) and the day is not reconciled.
  const processFile = async (file: SpooledFile): Promise<FileOutcome> => {
    const info = reportFileInfo(file.name);
    const set = await daySet(deps.store, settings.spoolDir, file);
    if (set.held) {
      log.warn({ file: file.name, reason: set.held }, 'report file held: its day is not whole yet');
      return { rows: 0, held: set.held, ...(info ? { reportDate: info.date } : {}) };
    }
    const input = set.files.length > 1 ? concatReportFiles(set.files) : readSpooled(file);
    const run = await processStream(input, info?.kind ?? 'STL', info ? { fileDate: info.date } : {});
    return { rows: run.rows, reportDate: run.runDate, withFiles: set.files.map((f) => f.sha256) };
  };
  const ingest = (source: FileSource, name: string, input: Readable) =>
    ingestReport({ sql: deps.store, spoolDir: settings.spoolDir, process: processFile }, source, name, input);

  /**
   * Report files dropped into the drop folder, oldest name first, each once: a processed (or duplicate, or held)
   * file is moved to `done/`; a file that fails — not a report name, unreadable, a report that does not parse or
   * whose totals do not check — is moved to `failed/` with `<name>.reason.txt` beside it (its row in
   * recon_report_files keeps the reason too) and the next file is processed all the same. Names starting with a
   * dot are files still being written (write as `.name`, then rename): left alone.
   */
  async function scanDropFolder(): Promise<IngestResult[]> {
    const dir = settings.dropDir;
    if (!dir) return [];
    const results: IngestResult[] = [];
    const done = join(dir, 'done');
    const failed = join(dir, 'failed');
    mkdirSync(done, { recursive: true });
    mkdirSync(failed, { recursive: true });
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (name.startsWith('.') || !statSync(path, { throwIfNoEntry: false })?.isFile()) continue;
      let result: IngestResult;
      if (!reportFileInfo(name))
        result = {
          outcome: 'failed',
          file: { name, path, sha256: '', size: 0 },
          error: 'not a PayPal report file name (STL-yyyymmdd.nn.vvv.CSV or TRR-…)',
        };
      else
        try {
          result = await ingest('drop', name, createReadStream(path));
        } catch (err) {
          result = { outcome: 'failed', file: { name, path, sha256: '', size: 0 }, error: (err as Error).message };
        }
      if (result.outcome === 'failed') {
        renameSync(path, join(failed, name));
        writeFileSync(join(failed, `${name}.reason.txt`), `${now().toISOString()} ${result.error}\n`);
        log.warn({ file: name, reason: result.error }, 'dropped report file failed: moved to failed/');
      } else renameSync(path, join(done, name));
      results.push(result);
    }
    return results;
  }

  async function fetchSftp() {
    if (!settings.sftp) return undefined;
    return fetchOverSftp({
      settings: settings.sftp,
      sql: deps.store,
      log,
      ingest: (name, input) => ingest('sftp', name, input),
    });
  }

  /**
   * Reconciles one day on request ("Reconcile now" in D365, POST /admin/reconciliation/run): new report files
   * fetched (SFTP, drop folder), the day's report re-run from the spool (optionally one currency only) onto
   * `runId` when given, the day's Transaction Search catch-up, open breaks re-checked. The same code the
   * schedule and the admin console run.
   */
  async function runDay(req: { date: string; currency?: string; runId?: string }): Promise<DayRun> {
    const notes: string[] = [];
    try {
      await fetchSftp();
    } catch (err) {
      notes.push(`The SFTP fetch failed (${(err as Error).message}); reports already received were used.`);
    }
    try {
      await scanDropFolder();
    } catch (err) {
      notes.push(`The drop folder could not be read (${(err as Error).message}).`);
    }
    const out: DayRun = {
      date: req.date,
      ...(req.currency ? { currency: req.currency } : {}),
      catchUp: { listed: 0, missing: [], enqueued: [], already: [] },
      closed: [],
      notes,
    };
    const { rows } = await deps.store.query<{ sha256: string; name: string; size_bytes: string | number }>(
      `SELECT sha256, name, size_bytes FROM recon_report_files
        WHERE report_date = $1::date AND status IN ('processed', 'held') ORDER BY received_at DESC`,
      [req.date],
    );
    // the settlement report when there is one (it closes the day), else the transaction detail report
    const anchor = rows.find((r) => reportFileInfo(r.name)?.kind === 'STL') ?? rows.find((r) => reportFileInfo(r.name));
    if (anchor) {
      const file = {
        name: anchor.name,
        path: join(settings.spoolDir, `${anchor.sha256}.csv`),
        sha256: anchor.sha256,
        size: Number(anchor.size_bytes),
      };
      const set = await daySet(deps.store, settings.spoolDir, file);
      const whole = set.files.every((f) => statSync(f.path, { throwIfNoEntry: false })?.isFile());
      // One currency without a run of its own (admin console): the day's On Demand run takes the result, so the
      // day's report run keeps its totals of every currency.
      const runId = req.runId ?? (req.currency ? await onDemandRun(req.date, req.currency) : undefined);
      if (set.held) out.held = set.held;
      else if (!whole) out.held = `the ${req.date} report files are no longer in the spool folder`;
      else {
        out.run = await processStream(concatReportFiles(set.files), reportFileInfo(file.name)!.kind, {
          fileDate: req.date,
          ...(req.currency ? { currency: req.currency } : {}),
          ...(runId ? { runId } : {}),
        });
        // files of the set still held (two arrived at once and each waited for the other) are done now
        await deps.store.query(
          `UPDATE recon_report_files SET status = 'processed', processed_at = now(), last_error = NULL
            WHERE sha256 = ANY($1::text[]) AND status = 'held'`,
          [set.files.map((f) => f.sha256)],
        );
      }
    } else out.noReport = true;
    const from = new Date(`${req.date}T00:00:00.000Z`);
    const caught = await catchUp({ from, to: new Date(from.getTime() + 86_400_000) }, req.currency);
    out.catchUp = {
      listed: caught.listed,
      missing: caught.missing,
      enqueued: caught.enqueued,
      already: caught.already,
    };
    out.closed = (await recheck()).closed;
    return out;
  }

  /** The On Demand run of a day (created when there is none yet; one per day by the table's key). */
  async function onDemandRun(date: string, currency: string): Promise<string> {
    const source = ReconciliationSource.OnDemand;
    const [existing] = await dv.query<{ ppc_reconciliationrunid: string }>(
      'ppc_reconciliationruns',
      `$select=ppc_reconciliationrunid&$filter=ppc_rundate eq ${date} and ppc_source eq ${source}`,
      1,
    );
    if (existing) {
      await dv.update(`ppc_reconciliationruns(${existing.ppc_reconciliationrunid})`, { ppc_currencyscope: currency });
      return existing.ppc_reconciliationrunid;
    }
    const [created] = await dv.changeSet([
      {
        method: 'POST',
        url: 'ppc_reconciliationruns',
        body: {
          ppc_name: `On demand ${date} ${currency}`,
          ppc_rundate: date,
          ppc_source: source,
          ppc_currencyscope: currency,
        },
      },
    ]);
    return created!.entityId!;
  }

  /**
   * Transaction Search catch-up over [from, to): PayPal's money movements that D365 does not have are
   * enqueued through their webhook flows. Daily with the lookback, or on demand for any range.
   */
  async function catchUp(range?: { from: Date; to: Date }, currency?: string) {
    const end = range?.to ?? now();
    const start = range?.from ?? new Date(end.getTime() - settings.lookbackDays * 86_400_000);
    const windows = searchWindows(start, end, {
      now: now(),
      lagMs: settings.lagMs,
      overlapMs: settings.overlapMs,
      ...(settings.cutover ? { cutover: settings.cutover } : {}),
    });
    const listed = await searchAll(deps.paypal, windows);
    const candidates = listed.filter(
      (t) => bookedAsTransaction(t.tclass) && t.status !== 'D' && (!currency || t.currency === currency),
    );
    const currencies = await currencyCodes(dv);
    const found = await lookUpBooked(dv, currencies, {
      transactions: candidates.map((t) => t.paypalId),
      payouts: [],
    });
    const missing = candidates.filter((t) => !found.has(t.paypalId));
    const caught = await enqueueCatchUp(
      { store: deps.store, boss: deps.boss, paypal: deps.paypal, now },
      missing.map((t) => ({ paypalId: t.paypalId, tclass: t.tclass })),
    );
    log.info(
      { windows: windows.length, listed: listed.length, missing: missing.length, enqueued: caught.enqueued.length },
      'Transaction Search catch-up',
    );
    return { windows, listed: listed.length, missing: missing.map((t) => t.paypalId), ...caught };
  }

  return {
    processStream,
    ingest,
    recheck,
    /** Fetches new report files over SFTP and processes each once. */
    fetchSftp,
    scanDropFolder,
    runDay,
    catchUp,
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
