// The drop folder (RECON_DROP_DIR): a report file placed there is processed once and moved to done/; a bad file
// (totals that do not check, not a report name) is moved aside to failed/ with its reason beside it and on its
// row, and does not stop the next file; a file still being written (a dot name) is left alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/adapters/store/open-store.ts';
import type { Store } from '../../src/adapters/store/store.ts';
import { loadConfig } from '../../src/config.ts';
import { listReportFiles } from '../../src/reconciliation/report-files.ts';
import { testEnv } from '../support/test-proxy.ts';
import { dayReport, testReconciler } from './support.ts';

let store: Store;
let dir: string;
let drop: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ppc-recon-drop-'));
  drop = join(dir, 'drop');
  mkdirSync(drop);
  store = await openStore(loadConfig(testEnv({ PGLITE_DATA_DIR: join(dir, 'pglite') })));
});
afterAll(async () => {
  await store?.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('drop folder', () => {
  const good1 = dayReport('2026-05-01', 4);
  const bad = dayReport('2026-05-02', 4);
  const badContent = bad.content.replace(/"RC",4/, '"RC",5');
  const good2 = dayReport('2026-05-03', 5);

  it('processes each report once, moves a bad file aside with its reason, and goes on with the next', async () => {
    const { reconciler, dv } = testReconciler(store, dir, { dropDir: drop });
    writeFileSync(join(drop, good1.name), good1.content);
    writeFileSync(join(drop, bad.name), badContent);
    writeFileSync(join(drop, 'notes.txt'), 'not a report');
    writeFileSync(join(drop, good2.name), good2.content);
    writeFileSync(join(drop, `.${good2.name.replace('.01.', '.02.')}`), 'still being written');

    const results = await reconciler.scanDropFolder();
    expect(results.map((r) => [r.file.name, r.outcome])).toEqual([
      [good1.name, 'processed'],
      [bad.name, 'failed'],
      [good2.name, 'processed'],
      ['notes.txt', 'failed'],
    ]);
    expect(dv.runsCreated().map((r) => [r.body.ppc_rundate, r.body.ppc_rowsread])).toEqual([
      ['2026-05-01', 4],
      ['2026-05-03', 5],
    ]);
    expect(readdirSync(join(drop, 'done')).sort()).toEqual([good1.name, good2.name].sort());
    expect(readdirSync(join(drop, 'failed')).sort()).toEqual(
      [bad.name, `${bad.name}.reason.txt`, 'notes.txt', 'notes.txt.reason.txt'].sort(),
    );
    expect(readFileSync(join(drop, 'failed', `${bad.name}.reason.txt`), 'utf8')).toMatch(
      /RC says 5 rows, the report has 4/,
    );
    expect(readFileSync(join(drop, 'failed', 'notes.txt.reason.txt'), 'utf8')).toMatch(/not a PayPal report file name/);
    // the dead letter is on the file's row too
    expect((await listReportFiles(store)).find((f) => f.name === bad.name)).toMatchObject({
      status: 'failed',
      last_error: expect.stringMatching(/RC says 5 rows/),
    });
    // the file being written is left where it is
    expect(existsSync(join(drop, `.${good2.name.replace('.01.', '.02.')}`))).toBe(true);

    // nothing left to do; the same file dropped again is known by its content and not processed twice
    expect(await reconciler.scanDropFolder()).toEqual([]);
    writeFileSync(join(drop, good1.name), good1.content);
    const again = await reconciler.scanDropFolder();
    expect(again.map((r) => r.outcome)).toEqual(['duplicate']);
    expect(dv.runsCreated()).toHaveLength(2);

    // the bad file, corrected and dropped again, is processed
    writeFileSync(join(drop, bad.name), bad.content);
    const fixed = await reconciler.scanDropFolder();
    expect(fixed.map((r) => [r.file.name, r.outcome])).toEqual([[bad.name, 'processed']]);
    expect(dv.runsCreated().map((r) => r.body.ppc_rundate)).toEqual(['2026-05-01', '2026-05-03', '2026-05-02']);
  });
});
