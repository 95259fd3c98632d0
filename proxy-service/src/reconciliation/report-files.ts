// Report files in: every file — fetched over SFTP, found in the drop folder or uploaded in the admin console —
// is streamed to the spool folder while its SHA-256 is computed, then claimed in recon_report_files by that
// hash. A file whose content was seen before (same bytes, any name, any route) is not processed again; a file
// whose processing failed is processed again when it comes back.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Sql } from '../adapters/store/store.ts';
import { reportFileInfo } from './report-parser.ts';

export type FileSource = 'sftp' | 'drop' | 'upload';

export interface SpooledFile {
  name: string;
  path: string;
  sha256: string;
  size: number;
}

/** What processing a file came to (recorded on its row). */
export interface FileOutcome {
  rows: number;
  reportDate?: string;
  /** the file is one of a day's set whose other files have not all arrived: kept, processed with the set */
  held?: string;
  /** other files of the day's set processed together with this one */
  withFiles?: string[];
}

export type IngestResult =
  | { outcome: 'processed'; file: SpooledFile; rows: number }
  | { outcome: 'held'; file: SpooledFile; reason: string }
  | { outcome: 'duplicate'; file: SpooledFile }
  | { outcome: 'failed'; file: SpooledFile; error: string };

/** Copies a stream into the spool folder, hashing as it goes; nothing is held in memory but a chunk. */
export async function spool(input: Readable, spoolDir: string, name: string): Promise<SpooledFile> {
  mkdirSync(spoolDir, { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  const tmp = join(spoolDir, `.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.part`);
  try {
    await pipeline(
      input,
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      }),
      createWriteStream(tmp),
    );
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  const sha256 = hash.digest('hex');
  const path = join(spoolDir, `${sha256}.csv`);
  renameSync(tmp, path);
  return { name, path, sha256, size };
}

/** Takes the file for processing: true when its content is new (or its last processing failed). */
export async function claimFile(sql: Sql, f: SpooledFile, source: FileSource): Promise<boolean> {
  const { rows } = await sql.query<{ sha256: string }>(
    `INSERT INTO recon_report_files (sha256, name, source, size_bytes, status, report_date)
     VALUES ($1, $2, $3, $4, 'processing', $5::date)
     ON CONFLICT (sha256) DO UPDATE SET status = 'processing', last_error = NULL, name = EXCLUDED.name
       WHERE recon_report_files.status = 'failed'
     RETURNING sha256`,
    [f.sha256, f.name, source, f.size, reportFileInfo(f.name)?.date ?? null],
  );
  return rows.length === 1;
}

export async function finishFile(sql: Sql, sha256: string, result: FileOutcome | { error: string }): Promise<void> {
  if ('error' in result) {
    await sql.query(`UPDATE recon_report_files SET status = 'failed', last_error = $2 WHERE sha256 = $1`, [
      sha256,
      result.error.slice(0, 2000),
    ]);
    return;
  }
  if (result.held !== undefined) {
    await sql.query(`UPDATE recon_report_files SET status = 'held', last_error = $2 WHERE sha256 = $1`, [
      sha256,
      result.held.slice(0, 2000),
    ]);
    return;
  }
  await sql.query(
    `UPDATE recon_report_files SET status = 'processed', rows_read = $2, processed_at = now(), last_error = NULL,
            report_date = COALESCE($3::date, report_date)
      WHERE sha256 = $1`,
    [sha256, result.rows, result.reportDate ?? null],
  );
  if (result.withFiles?.length)
    await sql.query(
      `UPDATE recon_report_files SET status = 'processed', processed_at = now(), last_error = NULL
        WHERE sha256 = ANY($1::text[]) AND sha256 <> $2`,
      [result.withFiles, sha256],
    );
}

/** A file of this name and size was processed: an SFTP listing need not download it again. */
export async function processedByNameAndSize(sql: Sql, name: string, size: number): Promise<boolean> {
  const { rows } = await sql.query(
    `SELECT 1 FROM recon_report_files
      WHERE (name = $1 OR $1 = ANY(aliases)) AND size_bytes = $2 AND status IN ('processed', 'held') LIMIT 1`,
    [name, size],
  );
  return rows.length > 0;
}

export interface ReportFileRow {
  sha256: string;
  name: string;
  source: FileSource;
  status: string;
  rows_read: number | null;
  last_error: string | null;
}

export async function listReportFiles(sql: Sql, limit = 100): Promise<ReportFileRow[]> {
  const { rows } = await sql.query<ReportFileRow>(
    `SELECT sha256, name, source, status, rows_read, last_error FROM recon_report_files
      ORDER BY received_at DESC LIMIT $1`,
    [limit],
  );
  return rows;
}

/**
 * Spools, claims and processes one file. `process` reads the spooled file as a stream; its failure is kept on
 * the file's row (and the file is taken again next time it arrives).
 */
export async function ingestReport(
  deps: { sql: Sql; spoolDir: string; process: (file: SpooledFile) => Promise<FileOutcome> },
  source: FileSource,
  name: string,
  input: Readable,
): Promise<IngestResult> {
  const file = await spool(input, deps.spoolDir, name);
  if (!(await claimFile(deps.sql, file, source))) {
    await deps.sql.query(
      `UPDATE recon_report_files SET aliases = array_append(aliases, $2)
        WHERE sha256 = $1 AND name <> $2 AND NOT ($2 = ANY(aliases))`,
      [file.sha256, name],
    );
    return { outcome: 'duplicate', file };
  }
  try {
    const outcome = await deps.process(file);
    await finishFile(deps.sql, file.sha256, outcome);
    if (outcome.held !== undefined) return { outcome: 'held', file, reason: outcome.held };
    return { outcome: 'processed', file, rows: outcome.rows };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await finishFile(deps.sql, file.sha256, { error });
    return { outcome: 'failed', file, error };
  }
}

/** The spooled file as a stream (for the processor). */
export const readSpooled = (f: SpooledFile): Readable => createReadStream(f.path);

/** `STL-20261207.02.009.CSV` → its set (`STL-20261207.|009`) and sequence (2): the files of one report. */
export function setOf(name: string): { key: string; sequence: number } | undefined {
  const info = reportFileInfo(name);
  if (!info) return undefined;
  const upper = name.toUpperCase();
  return { key: `${upper.slice(0, -10)}|${upper.slice(-7, -4)}`, sequence: Number(info.sequence) };
}

/**
 * Whether a report file ends its report: its last records hold the report footer (RF totals or RC count). Only
 * the file's tail is read.
 */
export async function hasReportFooter(path: string, tailBytes = 65_536): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const length = Math.min(size, tailBytes);
    const buf = Buffer.alloc(length);
    await fh.read(buf, 0, length, size - length);
    return buf
      .toString('utf8')
      .split(/\r?\n/)
      .some((l) => /^\uFEFF?"?(RF|RC)"?(,|$)/.test(l));
  } finally {
    await fh.close();
  }
}

export interface DaySet {
  /** the files of the set in sequence order (the given file among them) */
  files: SpooledFile[];
  /** why the set cannot be processed yet (a file missing, or no file ending the report) */
  held?: string;
}

/**
 * The files of the report `file` belongs to (same kind, date, window, version), as received so far, and whether
 * they make a whole report: sequences 01…n without a gap, the last one ending with the report footer. A set of
 * one file that ends the report is the usual day.
 */
export async function daySet(sql: Sql, spoolDir: string, file: SpooledFile): Promise<DaySet> {
  const set = setOf(file.name);
  const date = reportFileInfo(file.name)?.date;
  if (!set || !date) return { files: [file] };
  const { rows } = await sql.query<{ sha256: string; name: string; size_bytes: string | number }>(
    `SELECT sha256, name, size_bytes FROM recon_report_files
      WHERE report_date = $1::date AND status IN ('processed', 'held') AND sha256 <> $2
      ORDER BY received_at DESC`,
    [date, file.sha256],
  );
  const bySeq = new Map<number, SpooledFile>([[set.sequence, file]]);
  for (const r of rows) {
    const other = setOf(r.name);
    if (!other || other.key !== set.key || bySeq.has(other.sequence)) continue;
    const path = join(spoolDir, `${r.sha256}.csv`);
    if (!existsSync(path)) continue;
    bySeq.set(other.sequence, { name: r.name, path, sha256: r.sha256, size: Number(r.size_bytes) });
  }
  const last = Math.max(...bySeq.keys());
  const files = [...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([, f]) => f);
  const missing = Array.from({ length: last }, (_, i) => i + 1).filter((n) => !bySeq.has(n));
  const seq = (n: number) => String(n).padStart(2, '0');
  if (missing.length)
    return {
      files,
      held: `waiting for file ${missing.map(seq).join(', ')} of the ${date} report (${files.length} of at least ${last} received); the day is processed when the set is whole`,
    };
  if (!(await hasReportFooter(bySeq.get(last)!.path)))
    return {
      files,
      held: `waiting for file ${seq(last + 1)} of the ${date} report: file ${seq(last)} does not end the report (no report footer)`,
    };
  return { files };
}

/** The files of a set as one stream, in order: each file's BOM dropped, each ending with a line break. */
export function concatReportFiles(files: readonly SpooledFile[]): Readable {
  return Readable.from(
    (async function* () {
      for (const f of files) {
        let first = true;
        let last = 10;
        for await (const chunk of createReadStream(f.path)) {
          let b = chunk as Buffer;
          if (first) {
            first = false;
            if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
          }
          if (b.length) {
            last = b[b.length - 1]!;
            yield b;
          }
        }
        if (last !== 10) yield Buffer.from('\n');
      }
    })(),
  );
}
