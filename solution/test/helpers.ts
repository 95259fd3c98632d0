import { join } from 'node:path';
import { readControls, readTree, type FileTree, type PcfControl } from '../packer/source.ts';
import { PUBLISHER_PREFIX } from '../packer/scaffold/solution-xml.ts';

export const SOLUTION_DIR = join(import.meta.dirname, '..');
export const SRC_DIR = join(SOLUTION_DIR, 'src');
export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** Minimal valid solution, optionally with the files of fixtures/broken/<overlay> replacing or adding to it. */
export async function fixtureTree(overlay?: string): Promise<FileTree> {
  const tree = await readTree(join(FIXTURES, 'minimal'));
  if (overlay) for (const [p, b] of await readTree(join(FIXTURES, 'broken', overlay))) tree.set(p, b);
  return new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export async function fixtureControls(): Promise<PcfControl[]> {
  return (await readControls(join(FIXTURES, 'pcf-controls'), PUBLISHER_PREFIX))!;
}

export const decode = (b: Uint8Array | undefined): string => new TextDecoder().decode(b ?? new Uint8Array());
