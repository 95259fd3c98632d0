// Reproducible builds: two builds produce zips with the same sha256 (separate processes, different time zones).
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSolution } from '../packer/build.ts';
import { readTree } from '../packer/source.ts';
import { FIXTURES, fixtureControls, SOLUTION_DIR, SRC_DIR } from './helpers.ts';

const run = promisify(execFile);

async function buildInSubprocess(tz: string): Promise<Map<string, string>> {
  const out = await mkdtemp(join(tmpdir(), 'ppc-solution-'));
  await run(
    process.execPath,
    [join(SOLUTION_DIR, 'packer', 'cli.ts'), '--no-xsd', '--pcf', join(FIXTURES, 'pcf-controls'), '--out', out],
    { env: { ...process.env, TZ: tz } },
  );
  const hashes = new Map<string, string>();
  for (const f of (await readdir(out)).filter((n) => n.endsWith('.zip')).sort())
    hashes.set(
      f,
      createHash('sha256')
        .update(await readFile(join(out, f)))
        .digest('hex'),
    );
  return hashes;
}

describe('deterministic build', () => {
  it('a CLI build in another process and time zone equals an in-process build, byte for byte', async () => {
    const local = buildSolution(await readTree(SRC_DIR), await fixtureControls());
    const a = new Map(local.zips.map((z) => [z.fileName, createHash('sha256').update(z.bytes).digest('hex')] as const));
    const b = await buildInSubprocess(process.env['TZ'] === 'Asia/Tokyo' ? 'America/Los_Angeles' : 'Asia/Tokyo');
    expect([...a.keys()]).toEqual(['PayPalConnector_1_0_0_0.zip', 'PayPalConnector_1_0_0_0_managed.zip']);
    expect(b).toEqual(a);
    expect(a.get('PayPalConnector_1_0_0_0.zip')).not.toBe(a.get('PayPalConnector_1_0_0_0_managed.zip'));
  }, 60_000);
});
