// Programmatic packer API for other workspaces (e2e, start scripts): build the zips in memory.
import { join } from 'node:path';
import { buildSolution, type BuildResult } from './build.ts';
import { PUBLISHER_PREFIX } from './scaffold/solution-xml.ts';
import { readControls, readTree } from './source.ts';

export type { BuildResult, BuiltZip } from './build.ts';
export type { Diagnostic } from './diagnostics.ts';
export { formatDiagnostic } from './diagnostics.ts';

export const DEFAULT_SRC_DIR = join(import.meta.dirname, '..', 'src');
export const DEFAULT_PCF_DIR = join(import.meta.dirname, '..', '..', 'pcf-controls', 'out', 'controls');

/** Reads solution/src (+ built PCF controls when present) and returns both zips; nothing is written. */
export async function buildFromDisk(options: { srcDir?: string; pcfDir?: string } = {}): Promise<BuildResult> {
  const tree = await readTree(options.srcDir ?? DEFAULT_SRC_DIR);
  const controls = await readControls(options.pcfDir ?? DEFAULT_PCF_DIR, PUBLISHER_PREFIX);
  return buildSolution(tree, controls);
}
