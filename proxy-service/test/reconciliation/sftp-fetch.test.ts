// Report files over a real SFTP server (ssh2's server on loopback, serving a folder as /ppreports/outgoing):
// a file fetched twice — the same listing again, and the same bytes re-delivered under another name — is
// processed once; a failed file is taken again; a wrong host key is refused before any file is read.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { startSftpServer, type SftpServer } from '@ppc/test-support';
import { buildReport } from '@ppc/paypal-emulator';
import { openStore } from '../../src/adapters/store/open-store.ts';
import type { Store } from '../../src/adapters/store/store.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { ingestReport, listReportFiles, readSpooled, type SpooledFile } from '../../src/reconciliation/report-files.ts';
import { parseReport } from '../../src/reconciliation/report-parser.ts';
import { fetchOverSftp, type SftpSettings } from '../../src/reconciliation/sftp-fetcher.ts';
import { testEnv } from '../support/test-proxy.ts';

let store: Store;
let dir: string;
let outgoing: string;
let sftp: SftpServer;
const log = createLogger('silent');

const day = Date.parse('2026-03-02T00:00:00Z');
const report = buildReport({
  type: 'STL',
  accountId: 'MERCHANT23456',
  from: day,
  to: day + 86_400_000,
  generatedAt: day + 86_400_000,
  ledger: [
    {
      transactionId: '5TY05013RG002845M',
      eventCode: 'T0006',
      initiationTime: '2026-03-02T10:00:00.000Z',
      updatedTime: '2026-03-02T10:00:00.000Z',
      currency: 'USD',
      amountMinor: 10000,
      feeMinor: -398,
      status: 'S',
      balanceAffecting: true,
    },
  ],
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ppc-recon-sftp-'));
  outgoing = join(dir, 'outgoing');
  store = await openStore(loadConfig(testEnv({ PGLITE_DATA_DIR: join(dir, 'pglite') })));
  const { mkdirSync } = await import('node:fs');
  mkdirSync(outgoing);
  writeFileSync(join(outgoing, report.name), report.content);
  writeFileSync(join(outgoing, 'README.txt'), 'not a report');
  sftp = await startSftpServer({ root: outgoing });
});
afterAll(async () => {
  await sftp?.close();
  await store?.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

const settings = (): SftpSettings => ({
  host: sftp.host,
  port: sftp.port,
  username: sftp.username,
  password: sftp.password,
  remoteDir: sftp.remoteDir,
  hostKeySha256: sftp.hostKeySha256,
});

describe('report files over SFTP', () => {
  const processed: SpooledFile[] = [];
  let failNext = false;
  const ingest = (name: string, input: Readable) =>
    ingestReport(
      {
        sql: store,
        spoolDir: join(dir, 'spool'),
        process: async (file) => {
          if (failNext) {
            failNext = false;
            throw new Error('Dataverse unavailable');
          }
          let rows = 0;
          for await (const e of parseReport(readSpooled(file))) if (e.type === 'transaction') rows++;
          processed.push(file);
          return { rows };
        },
      },
      'sftp',
      name,
      input,
    );

  it('fetches a report file, streams it through the parser and records it by content hash', async () => {
    const first = await fetchOverSftp({ settings: settings(), sql: store, log, ingest });
    expect(first.listed).toBe(1); // README.txt is not a report file name
    expect(first.results.map((r) => r.outcome)).toEqual(['processed']);
    expect(processed).toHaveLength(1);
    expect(processed[0]!.size).toBe(Buffer.byteLength(report.content));
    const [row] = await listReportFiles(store);
    expect(row).toMatchObject({ name: report.name, source: 'sftp', status: 'processed', rows_read: 1 });
  });

  it('a file fetched twice is processed once: same listing again, and the same bytes under another name', async () => {
    const again = await fetchOverSftp({ settings: settings(), sql: store, log, ingest });
    expect(again).toMatchObject({ listed: 1, skipped: 1, results: [] });
    copyFileSync(join(outgoing, report.name), join(outgoing, report.name.replace('.01.', '.02.')));
    const renamed = await fetchOverSftp({ settings: settings(), sql: store, log, ingest });
    expect(renamed.results.map((r) => r.outcome)).toEqual(['duplicate']);
    expect(processed).toHaveLength(1);
    expect(await listReportFiles(store)).toHaveLength(1);
    expect(sftp.sessions()).toBeGreaterThanOrEqual(3);
  });

  it('a file whose processing failed is processed when it comes again; then never again', async () => {
    const other = buildReport({
      ...{ type: 'TRR', accountId: 'M', from: day, to: day + 86_400_000, generatedAt: day, ledger: [] },
    });
    writeFileSync(join(outgoing, other.name), other.content);
    failNext = true;
    const failed = await fetchOverSftp({ settings: settings(), sql: store, log, ingest });
    expect(failed.results.map((r) => r.outcome)).toEqual(['failed']);
    expect((await listReportFiles(store)).find((f) => f.name === other.name)).toMatchObject({
      status: 'failed',
      last_error: 'Dataverse unavailable',
    });
    const retried = await fetchOverSftp({ settings: settings(), sql: store, log, ingest });
    expect(retried.results.map((r) => r.outcome)).toEqual(['processed']);
    const third = await fetchOverSftp({ settings: settings(), sql: store, log, ingest });
    expect(third).toMatchObject({ listed: 3, skipped: 3, results: [] }); // the renamed copy is known by name now
  });

  it('refuses a server whose host key is not the pinned one', async () => {
    const before = processed.length;
    await expect(
      fetchOverSftp({ settings: { ...settings(), hostKeySha256: 'A'.repeat(43) }, sql: store, log, ingest }),
    ).rejects.toThrow();
    expect(processed.length).toBe(before);
  });
});
