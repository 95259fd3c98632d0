// Report files in: every file — fetched over SFTP, found in the drop folder or uploaded in the admin console —
// is streamed to the spool folder while its SHA-256 is computed, then claimed in recon_report_files by that
// hash. A file whose content was seen before (same bytes, any name, any route) is not processed again; a file
// whose processing failed is processed again when it comes back.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
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
}

export type IngestResult =
  | { outcome: 'processed'; file: SpooledFile; rows: number }
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
  await sql.query(
    `UPDATE recon_report_files SET status = 'processed', rows_read = $2, processed_at = now(),
            report_date = COALESCE($3::date, report_date)
      WHERE sha256 = $1`,
    [sha256, result.rows, result.reportDate ?? null],
  );
}

/** A file of this name and size was processed: an SFTP listing need not download it again. */
export async function processedByNameAndSize(sql: Sql, name: string, size: number): Promise<boolean> {
  const { rows } = await sql.query(
    `SELECT 1 FROM recon_report_files
      WHERE (name = $1 OR $1 = ANY(aliases)) AND size_bytes = $2 AND status = 'processed' LIMIT 1`,
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
    return { outcome: 'processed', file, rows: outcome.rows };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await finishFile(deps.sql, file.sha256, { error });
    return { outcome: 'failed', file, error };
  }
}

/** The spooled file as a stream (for the processor). */
export const readSpooled = (f: SpooledFile): Readable => createReadStream(f.path);
