// read → assemble → validate → zip. Pure over in-memory trees; cli.ts does the I/O.
import { createHash } from 'node:crypto';
import { assemble, parseSources } from './assemble.ts';
import { warning, type Diagnostic } from './diagnostics.ts';
import { child, textOf } from './lib/ordered.ts';
import type { FileTree, PcfControl } from './source.ts';
import { stampControls } from './control-version.ts';
import { checkContentTypes } from './validate/content-types.ts';
import { validateSource } from './validate/index.ts';
import { zipEntries } from './zip.ts';

export interface BuiltZip {
  fileName: string;
  bytes: Uint8Array;
  sha256: string;
  entries: string[];
}

export interface BuildResult {
  uniqueName: string;
  version: string;
  zips: BuiltZip[];
  diagnostics: Diagnostic[];
  ok: boolean;
}

export function solutionIdentity(tree: FileTree): { uniqueName: string; version: string } {
  const { docs } = parseSources(new Map([...tree].filter(([p]) => p === 'Other/Solution.xml')));
  const manifest = docs.get('Other/Solution.xml')
    ? child(docs.get('Other/Solution.xml')!, 'SolutionManifest')
    : undefined;
  return {
    uniqueName: textOf(manifest ? child(manifest, 'UniqueName') : undefined) || 'Solution',
    version: textOf(manifest ? child(manifest, 'Version') : undefined) || '0.0.0.0',
  };
}

/**
 * built: the PCF build output, undefined when pcf-controls is not built (warned, packed without them). Each
 * manifest's control version is replaced by the one derived from the solution version (control-version.ts).
 */
export function buildSolution(tree: FileTree, built: readonly PcfControl[] | undefined): BuildResult {
  const { uniqueName, version } = solutionIdentity(tree);
  const stamped = built && stampControls(built, version);
  const controls = stamped?.controls;
  const diagnostics: Diagnostic[] = [...(stamped?.diagnostics ?? [])];
  if (controls === undefined)
    diagnostics.push(
      warning(
        'pcf-controls/out/controls',
        '(folder)',
        'not found: packing WITHOUT the PCF controls (run `npm run build -w pcf-controls` first)',
      ),
    );
  const zips: BuiltZip[] = [];
  let sourceChecked = false;
  for (const managed of [false, true]) {
    const assembled = assemble(tree, controls ?? [], managed);
    if (!sourceChecked) {
      diagnostics.push(
        ...assembled.diagnostics.filter((d) => !d.element.startsWith('[Content_Types]')),
        ...validateSource(tree, assembled.docs, controls),
      );
      sourceChecked = true;
    }
    if (!managed) diagnostics.push(...checkContentTypes(assembled.entries)); // both zips hold the same entries
    const bytes = zipEntries(assembled.entries);
    zips.push({
      fileName: `${uniqueName}_${version.replace(/\./g, '_')}${managed ? '_managed' : ''}.zip`,
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      entries: assembled.entries.map(([p]) => p),
    });
  }
  const unique = dedupe(diagnostics);
  return { uniqueName, version, zips, diagnostics: unique, ok: !unique.some((d) => d.severity === 'error') };
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const k = `${d.severity}|${d.file}|${d.element}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
