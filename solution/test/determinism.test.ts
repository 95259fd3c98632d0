// Must show 1: two builds produce zips with the same sha256 (separate processes, different time zones).
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FIXTURES, SOLUTION_DIR } from './helpers.ts';

const run = promisify(execFile);

async function buildInProcess(tz: string): Promise<Map<string, string>> {
  const out = await mkdtemp(join(tmpdir(), 'ppc-solution-'));
  await run(process.execPath, [join(SOLUTION_DIR, 'packer', 'cli.ts'), '--pcf', join(FIXTURES, 'pcf-controls'), '--out', out], { env: { ...process.env, TZ: tz } });
  const hashes = new Map<string, string>();
  for (const f of (await readdir(out)).sort()) hashes.set(f, createHash('sha256').update(await readFile(join(out, f))).digest('hex'));
  return hashes;
}

describe('deterministic build', () => {
  it('two builds (UTC and Asia/Tokyo) give byte-identical managed and unmanaged zips', async () => {
    const a = await buildInProcess('UTC');
    const b = await buildInProcess('Asia/Tokyo');
    expect([...a.keys()]).toEqual(['PayPalConnector_1_0_0_0.zip', 'PayPalConnector_1_0_0_0_managed.zip']);
    expect(b).toEqual(a);
    expect(a.get('PayPalConnector_1_0_0_0.zip')).not.toBe(a.get('PayPalConnector_1_0_0_0_managed.zip'));
  }, 60_000);
});
