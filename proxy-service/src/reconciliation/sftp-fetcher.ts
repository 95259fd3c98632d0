// Fetches PayPal's report files over SFTP as PayPal delivers them (paypal.md §4: host reports.paypal.com,
// sandbox reports.sandbox.paypal.com, folder /ppreports/outgoing, names STL-yyyymmdd.seq.ver.CSV; kept a year)
// with ssh2-sftp-client. Each listed report file is streamed into the spool and ingested (report-files.ts):
// same content is processed once. A file already processed under the same name and size is not downloaded
// again. The host key is pinned when a SHA-256 fingerprint is configured.
import { createHash, timingSafeEqual } from 'node:crypto';
import SftpClient from 'ssh2-sftp-client';
import type { Logger } from '../logger.ts';
import type { Sql } from '../adapters/store/store.ts';
import { processedByNameAndSize, type IngestResult } from './report-files.ts';
import { REPORT_FILE_NAME } from './report-parser.ts';
import type { Readable } from 'node:stream';

export interface SftpSettings {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
  remoteDir: string;
  /** base64 SHA-256 of the server's host key ("SHA256:…" without the prefix); unset = not pinned */
  hostKeySha256?: string;
}

export interface FetchSummary {
  listed: number;
  skipped: number;
  results: IngestResult[];
}

function hostVerifier(expected: string | undefined) {
  if (!expected) return undefined;
  const want = Buffer.from(expected.replace(/^SHA256:/, '').replace(/=+$/, ''));
  return (key: Buffer) => {
    const got = Buffer.from(createHash('sha256').update(key).digest('base64').replace(/=+$/, ''));
    return got.length === want.length && timingSafeEqual(got, want);
  };
}

export async function fetchOverSftp(deps: {
  settings: SftpSettings;
  sql: Sql;
  log: Logger;
  ingest: (name: string, input: Readable) => Promise<IngestResult>;
}): Promise<FetchSummary> {
  const { settings } = deps;
  // ssh2-sftp-client's default listeners write to the console; ours log (errors only: end/close are normal).
  const client = new SftpClient('ppc-reconciliation', {
    error: (err: unknown) =>
      deps.log.warn({ err: { message: err instanceof Error ? err.message : String(err) } }, 'SFTP connection error'),
    end: () => undefined,
    close: () => undefined,
  });
  const verify = hostVerifier(settings.hostKeySha256);
  await client.connect({
    host: settings.host,
    port: settings.port,
    username: settings.username,
    ...(settings.password ? { password: settings.password } : {}),
    ...(settings.privateKey ? { privateKey: settings.privateKey } : {}),
    ...(verify ? { hostVerifier: verify } : {}),
    readyTimeout: 20_000,
  });
  try {
    const listing = await client.list(settings.remoteDir, (f) => f.type === '-' && REPORT_FILE_NAME.test(f.name));
    listing.sort((a, b) => a.name.localeCompare(b.name));
    const results: IngestResult[] = [];
    let skipped = 0;
    for (const f of listing) {
      if (await processedByNameAndSize(deps.sql, f.name, f.size)) {
        skipped++;
        continue;
      }
      const stream = client.createReadStream(`${settings.remoteDir}/${f.name}`) as Readable;
      const result = await deps.ingest(f.name, stream);
      deps.log.info(
        { file: f.name, outcome: result.outcome, ...(result.outcome === 'processed' ? { rows: result.rows } : {}) },
        'report file fetched over SFTP',
      );
      results.push(result);
    }
    return { listed: listing.length, skipped, results };
  } finally {
    await client.end().catch(() => undefined);
  }
}
