// Streaming parser for PayPal's SFTP reports: Settlement (STL) and Transaction Detail (TRR). Facts followed
// (developer.paypal.com/docs/reports/sftp-reports/settlement-report/ and .../transaction-detail/, Settlement
// Report Specification v9): CSV, UTF-8, may start with a BOM; the first field names the row type: RH report
// header, FH file header, SH section header, CH column header, SB one transaction, SF section footer (per
// currency totals), SC section record count, RF report footer (per currency totals), RC report record count,
// FF file footer. SB rows are read by the CH names, never by position (whitespace in a name is normalised: a
// header variant writes "Transaction  Debit or Credit"). Amounts are unsigned with two implied decimals for
// every currency ("100,00 yen and $100.00 USD are both represented as 10000"), the direction in the CR/DR
// column before them; we turn them into signed ISO minor units of the currency.
//
// The file is read as a stream, row by row: memory does not grow with the file. Totals rows are checked
// against the rows they total (gross and fee CR/DR per currency, record counts); a mismatch is an error
// naming the row, the currency and both values. Footer layout (SF/RF): currency, gross CR, gross DR, fee CR,
// fee DR, then (CR/DR, amount) balance pairs — the first two the opening and closing balance — and the
// record count, as in the one public SF example; the pairs after the second are not interpreted.
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse/sync';
import { decimalsOf } from '../mapping/money.ts';

export type ReportKind = 'STL' | 'TRR';

export interface ReportHeader {
  /** RH field 1, as written (e.g. "2024/08/21 02:44:19 -0700"). */
  generatedAt: string;
  /** Reporting window: A, H, R or X. */
  window: string;
  accountId: string;
  /** Report version, e.g. "009" (STL v9), "008" (TRR v8). */
  version: string;
}

export interface ReportTransaction {
  /** 1-based line number in the file. */
  line: number;
  transactionId: string;
  invoiceId: string;
  referenceId: string;
  referenceIdType: string;
  eventCode: string;
  /** ISO 8601 UTC. */
  initiatedAt: string;
  completedAt: string;
  currency: string;
  /** Signed ISO minor units: CR positive, DR negative. */
  grossMinor: number;
  /** Signed ISO minor units in feeCurrency (0 when the row has none): CR positive, DR negative. */
  feeMinor: number;
  feeCurrency: string;
  customField: string;
  consumerId: string;
  bankReferenceId: string;
  paymentTrackingId: string;
  /** TRR only ("Transactional Status": S, P, D, V, F); STL rows are settled, "S". */
  status: string;
}

export interface CurrencyTotals {
  currency: string;
  /** Section/report footer values converted to signed ISO minor units. */
  grossCreditMinor: number;
  grossDebitMinor: number;
  feeCreditMinor: number;
  feeDebitMinor: number;
  openingMinor: number | undefined;
  closingMinor: number | undefined;
  count: number | undefined;
}

export type ReportEvent =
  | { type: 'header'; header: ReportHeader }
  | { type: 'file'; sequence: string }
  | { type: 'section'; start: string; end: string; accountId: string }
  | { type: 'columns'; columns: string[] }
  | { type: 'transaction'; transaction: ReportTransaction; raw: string[] }
  | { type: 'sectionTotals'; totals: CurrencyTotals }
  | { type: 'reportTotals'; totals: CurrencyTotals }
  | { type: 'end'; rows: number };

export class ReportFormatError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`report line ${line}: ${message}`);
    this.name = 'ReportFormatError';
    this.line = line;
  }
}

const norm = (name: string) => name.replace(/\s+/g, ' ').trim().toLowerCase();

const DATE = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) ([+-])(\d\d):?(\d\d)$/;
let lastDateText = '';
let lastDateIso = '';

/** "2024/08/20 00:01:17 -0700" → "2024-08-20T07:01:17.000Z" (the last one is remembered: rows repeat it). */
export function reportDate(text: string, line = 0): string {
  if (text === lastDateText) return lastDateIso;
  const m = DATE.exec(text.trim());
  if (!m) throw new ReportFormatError(line, `date "${text}" is not yyyy/mm/dd hh:mm:ss ±hhmm`);
  const [y, mo, d, h, mi, se, oh, om] = [m[1], m[2], m[3], m[4], m[5], m[6], m[8], m[9]].map<number>(Number);
  const local = Date.UTC(y!, mo! - 1, d, h, mi, se);
  const check = new Date(local);
  if (check.getUTCMonth() !== mo! - 1 || check.getUTCDate() !== d! || h! > 23 || mi! > 59 || se! > 59 || om! > 59)
    throw new ReportFormatError(line, `date "${text}" is not a date`);
  const iso = new Date(local - (m[7] === '-' ? -1 : 1) * (oh! * 60 + om!) * 60_000).toISOString();
  lastDateText = text;
  lastDateIso = iso;
  return iso;
}

/** An unsigned amount with two implied decimals → ISO minor units of `currency` (JPY 15000 → 150). */
export function impliedToMinor(text: string, currency: string, line = 0): number {
  const t = text.trim();
  if (t === '') return 0;
  if (!/^\d+$/.test(t)) throw new ReportFormatError(line, `amount "${text}" is not an unsigned integer`);
  const implied = Number(t);
  const shift = decimalsOf(currency) - 2;
  const minor = shift >= 0 ? implied * 10 ** shift : implied / 10 ** -shift;
  if (!Number.isSafeInteger(minor))
    throw new ReportFormatError(line, `amount ${text} is not a whole number of ${currency} minor units`);
  return minor;
}

function signed(direction: string, minor: number, line: number): number {
  const d = direction.trim();
  if (d === 'CR') return minor;
  if (d === 'DR') return -minor;
  if (d === '' && minor === 0) return 0;
  throw new ReportFormatError(line, `direction "${direction}" is neither CR nor DR`);
}

interface Index {
  [name: string]: number;
}

const COL = {
  transactionId: 'transaction id',
  invoiceId: 'invoice id',
  referenceId: 'paypal reference id',
  referenceIdType: 'paypal reference id type',
  eventCode: 'transaction event code',
  initiated: 'transaction initiation date',
  completed: 'transaction completion date',
  direction: 'transaction debit or credit',
  gross: 'gross transaction amount',
  currency: 'gross transaction currency',
  feeDirection: 'fee debit or credit',
  fee: 'fee amount',
  feeCurrency: 'fee currency',
  customField: 'custom field',
  consumerId: 'consumer id',
  bankReferenceId: 'bank reference id',
  paymentTrackingId: 'payment tracking id',
  status: 'transactional status',
} as const;
const REQUIRED = [COL.transactionId, COL.eventCode, COL.initiated, COL.direction, COL.gross, COL.currency] as const;

class Tally {
  readonly byCurrency = new Map<string, { gcr: number; gdr: number; fcr: number; fdr: number; n: number }>();
  rows = 0;
  add(t: ReportTransaction, grossImplied: number, feeImplied: number, feeDir: string, dir: string) {
    let c = this.byCurrency.get(t.currency);
    if (!c) this.byCurrency.set(t.currency, (c = { gcr: 0, gdr: 0, fcr: 0, fdr: 0, n: 0 }));
    if (dir === 'DR') c.gdr += grossImplied;
    else c.gcr += grossImplied;
    if (feeDir === 'DR') c.fdr += feeImplied;
    else c.fcr += feeImplied;
    c.n++;
    this.rows++;
  }
}

function footerTotals(f: string[], line: number, tally: Tally, what: string): CurrencyTotals {
  const currency = f[1] ?? '';
  const num = (i: number) => {
    const v = (f[i] ?? '').trim();
    if (!/^\d+$/.test(v)) throw new ReportFormatError(line, `${what} field ${i + 1} "${v}" is not a number`);
    return Number(v);
  };
  const gcr = num(2);
  const gdr = num(3);
  const fcr = num(4);
  const fdr = num(5);
  const seen = tally.byCurrency.get(currency) ?? { gcr: 0, gdr: 0, fcr: 0, fdr: 0, n: 0 };
  const check = (name: string, stated: number, counted: number) => {
    if (stated !== counted)
      throw new ReportFormatError(
        line,
        `${what} ${currency} ${name} is ${stated} but the rows it totals add up to ${counted} (two implied decimals)`,
      );
  };
  check('gross credit', gcr, seen.gcr);
  check('gross debit', gdr, seen.gdr);
  check('fee credit', fcr, seen.fcr);
  check('fee debit', fdr, seen.fdr);
  const pair = (i: number) =>
    f[i] === undefined || f[i + 1] === undefined || f[i + 1] === ''
      ? undefined
      : signed(f[i], impliedToMinor(f[i + 1]!, currency, line), line);
  const last = f.at(-1)?.trim();
  const count = f.length > 18 && last && /^\d+$/.test(last) ? Number(last) : undefined;
  if (count !== undefined) check('record count', count, seen.n);
  return {
    currency,
    grossCreditMinor: impliedToMinor(String(gcr), currency, line),
    grossDebitMinor: impliedToMinor(String(gdr), currency, line),
    feeCreditMinor: impliedToMinor(String(fcr), currency, line),
    feeDebitMinor: impliedToMinor(String(fdr), currency, line),
    openingMinor: pair(6),
    closingMinor: pair(8),
    count,
  };
}

/**
 * Reads a report stream and yields its rows as events, checking footers against the rows. The stream may be
 * a file, an SFTP read stream or an upload; nothing but the current row is kept.
 */
export async function* parseReport(input: Readable): AsyncGenerator<ReportEvent> {
  let index: Index | undefined;
  let section = new Tally();
  const report = new Tally();
  let line = 0;
  // A day PayPal splits into several files (spec 9.0.4: files split at 1 million records) is read as one stream,
  // the files in sequence order (concatReportFiles): every file repeats RH and has its FH (sequence) and FF;
  // a section that goes on in the next file repeats its SH. Totals (SF/SC, RF/RC) come once, in the last file,
  // and are checked against the rows of all the files.
  let first: ReportHeader | undefined;
  let sequence: number | undefined;
  let fileRows = 0;
  let fileRecords = 0;
  let sectionKey = '';
  for await (const block of blocks(input)) {
    for (const record of block.records) {
      const f = record.record;
      line = block.firstLine + record.info.lines - 1;
      const type = f[0];
      fileRecords++;
      switch (type) {
        case 'RH': {
          const header = { generatedAt: f[1] ?? '', window: f[2] ?? '', accountId: f[3] ?? '', version: f[4] ?? '' };
          fileRecords = 1;
          fileRows = 0;
          if (!first) {
            first = header;
            yield { type: 'header', header };
          } else if (
            header.accountId !== first.accountId ||
            header.version !== first.version ||
            header.window !== first.window
          )
            throw new ReportFormatError(
              line,
              `report header of another report (account ${header.accountId}, window ${header.window}, version ${header.version}) inside the report of account ${first.accountId}, window ${first.window}, version ${first.version}`,
            );
          break;
        }
        case 'FH': {
          const n = Number(f[1]);
          if (!Number.isInteger(n) || n < 1)
            throw new ReportFormatError(line, `file header sequence "${f[1] ?? ''}" is not a number`);
          if (sequence !== undefined && n !== sequence + 1)
            throw new ReportFormatError(
              line,
              n <= sequence
                ? `file ${String(n).padStart(2, '0')} comes after file ${String(sequence).padStart(2, '0')}`
                : `file ${String(sequence + 1).padStart(2, '0')} of the report is missing (file ${String(sequence).padStart(2, '0')} is followed by ${String(n).padStart(2, '0')})`,
            );
          sequence = n;
          yield { type: 'file', sequence: f[1] ?? '' };
          break;
        }
        case 'SH': {
          const key = f.slice(1, 5).join('\u0000');
          // the same section again after a file header: it goes on from the previous file
          const continued = key === sectionKey && fileRows === 0 && sequence !== undefined && sequence > 1;
          if (!continued) {
            section = new Tally();
            sectionKey = key;
          }
          yield { type: 'section', start: f[1] ?? '', end: f[2] ?? '', accountId: f[4] ?? f[3] ?? '' };
          break;
        }
        case 'CH': {
          const columns = f.slice(1);
          index = Object.fromEntries(columns.map((c, i) => [norm(c), i + 1]));
          for (const r of REQUIRED)
            if (index[r] === undefined) throw new ReportFormatError(line, `column header lacks "${r}"`);
          yield { type: 'columns', columns };
          break;
        }
        case 'SB': {
          if (!index) throw new ReportFormatError(line, 'SB row before the CH column header');
          const at = (name: string) => {
            const i = index![name];
            return i === undefined ? '' : (f[i] ?? '');
          };
          const currency = at(COL.currency);
          const feeCurrency = at(COL.feeCurrency) || currency;
          const dir = at(COL.direction);
          const feeDir = at(COL.feeDirection);
          const grossText = at(COL.gross);
          const feeText = at(COL.fee);
          const t: ReportTransaction = {
            line,
            transactionId: at(COL.transactionId),
            invoiceId: at(COL.invoiceId),
            referenceId: at(COL.referenceId),
            referenceIdType: at(COL.referenceIdType),
            eventCode: at(COL.eventCode),
            initiatedAt: reportDate(at(COL.initiated), line),
            completedAt: at(COL.completed) ? reportDate(at(COL.completed), line) : '',
            currency,
            grossMinor: signed(dir, impliedToMinor(grossText, currency, line), line),
            feeMinor: feeText.trim() ? signed(feeDir, impliedToMinor(feeText, feeCurrency, line), line) : 0,
            feeCurrency: feeText.trim() ? feeCurrency : '',
            customField: at(COL.customField),
            consumerId: at(COL.consumerId),
            bankReferenceId: at(COL.bankReferenceId),
            paymentTrackingId: at(COL.paymentTrackingId),
            status: at(COL.status) || 'S',
          };
          const grossImplied = grossText.trim() ? Number(grossText) : 0;
          const feeImplied = feeText.trim() ? Number(feeText) : 0;
          section.add(t, grossImplied, feeImplied, feeDir, dir);
          report.add(t, grossImplied, feeImplied, feeDir, dir);
          fileRows++;
          yield { type: 'transaction', transaction: t, raw: f };
          break;
        }
        case 'SF':
          yield { type: 'sectionTotals', totals: footerTotals(f, line, section, 'SF') };
          break;
        case 'SC':
          if (Number(f[1]) !== section.rows)
            throw new ReportFormatError(line, `SC says ${f[1]} rows, the section has ${section.rows}`);
          break;
        case 'RF':
          yield { type: 'reportTotals', totals: footerTotals(f, line, report, 'RF') };
          break;
        case 'RC':
          if (Number(f[1]) !== report.rows)
            throw new ReportFormatError(line, `RC says ${f[1]} rows, the report has ${report.rows}`);
          break;
        case 'FF': {
          // The file footer's count (when it has one) is this file's: its transaction rows (as the emulator
          // writes) or all its records; unverified against a real split file, so either is taken.
          const stated = (f[1] ?? '').trim();
          if (/^\d+$/.test(stated) && Number(stated) !== fileRows && Number(stated) !== fileRecords)
            throw new ReportFormatError(
              line,
              `FF says ${stated} rows, the file has ${fileRows} transaction rows (${fileRecords} records)`,
            );
          break;
        }
        default:
          throw new ReportFormatError(line, `unknown row type "${type}"`);
      }
    }
  }
  yield { type: 'end', rows: report.rows };
}

/**
 * The stream as blocks of whole CSV records: text up to the last line break outside quotes is parsed at once
 * with csv-parse's synchronous API (several times faster than one stream object per record); the rest waits
 * for the next chunk. Memory: one chunk plus an unfinished line.
 */
async function* blocks(
  input: Readable,
): AsyncGenerator<{ firstLine: number; records: { record: string[]; info: { lines: number } }[] }> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let first = true;
  let nextLine = 1;
  const parseBlock = (text: string) => {
    const records = parse(text, { relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    const out = { firstLine: nextLine, records };
    let breaks = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) breaks++;
    nextLine += breaks;
    return out;
  };
  const cut = (text: string): number => {
    // the last '\n' with an even number of quotes before it (not inside a quoted field)
    let quotes = 0;
    let last = -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) quotes++;
      else if (c === 10 && (quotes & 1) === 0) last = i;
    }
    return last;
  };
  for await (const chunk of input) {
    let text = carry + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
    if (first && text.length) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const k = cut(text);
    if (k === -1) {
      carry = text;
      continue;
    }
    carry = text.slice(k + 1);
    yield parseBlock(text.slice(0, k + 1));
  }
  const rest = carry + decoder.end();
  if (rest.trim()) yield parseBlock(first && rest.charCodeAt(0) === 0xfeff ? rest.slice(1) : rest);
}

/** `STL-20201221.01.009.CSV`, `TRR-…`, and the multi-account form with a window letter. */
export const REPORT_FILE_NAME = /^(STL|TRR)-(\d{8})\.(?:([AHRX])\.)?(?:\d{2}\.)?(\d{2})\.(\d{3})\.CSV$/i;

export function reportFileInfo(name: string): { kind: ReportKind; date: string; sequence: string } | undefined {
  const m = REPORT_FILE_NAME.exec(name);
  if (!m) return undefined;
  const d = m[2]!;
  return {
    kind: m[1]!.toUpperCase() as ReportKind,
    date: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`,
    sequence: m[4]!,
  };
}
