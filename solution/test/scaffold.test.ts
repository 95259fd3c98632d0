import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scaffoldFiles } from '../packer/scaffold/generate.ts';
import { renderReadme } from '../packer/scaffold/readme.ts';
import { customTables } from '../packer/model/tables.ts';

const root = join(import.meta.dirname, '..');

describe('scaffold', () => {
  it('solution/src matches packer/model (run `npm run -w @ppc/solution scaffold` after editing the model)', async () => {
    const stale: string[] = [];
    for (const [rel, content] of scaffoldFiles()) {
      const onDisk = await readFile(join(root, 'src', rel), 'utf8').catch(() => '<missing>');
      if (onDisk !== content) stale.push(rel);
    }
    expect(stale).toEqual([]);
  });

  it('README data model section is current', async () => {
    const path = join(root, 'README.md');
    const readme = await readFile(path, 'utf8');
    expect(await renderReadme(readme, path)).toBe(readme);
  });

  it('every custom table has a primary name, states and unique column names', () => {
    for (const t of customTables) {
      const names = t.columns.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names).not.toContain(`${t.name}id`);
      expect(t.states.length).toBe(2);
      for (const k of t.keys) for (const c of k.columns) expect(names).toContain(c);
    }
  });
});
