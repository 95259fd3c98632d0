// Reading the unpacked source tree and the PCF build output into memory (the only file I/O besides cli.ts).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parseXml, text, type XmlNode } from './lib/xml.ts';

/** Files by path relative to the tree root, always with '/' separators. */
export type FileTree = Map<string, Uint8Array>;

export async function readTree(dir: string): Promise<FileTree> {
  const out: FileTree = new Map();
  async function walk(d: string): Promise<void> {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries) {
      const full = join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) out.set(relative(dir, full).split(sep).join('/'), new Uint8Array(await readFile(full)));
    }
  }
  await walk(dir);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export interface PcfControl {
  /** Solution name `<prefix>_<namespace>.<constructor>`, the folder under Controls/ and the CustomControl name. */
  name: string;
  namespace: string;
  constructorName: string;
  version: string;
  /** Output folder name (pcf-scripts: the constructor). */
  folder: string;
  files: FileTree;
}

export function controlFromFiles(prefix: string, folder: string, files: FileTree): PcfControl {
  const manifest = files.get('ControlManifest.xml');
  if (!manifest) throw new Error(`pcf-controls/out/controls/${folder}: ControlManifest.xml missing`);
  const doc = parseXml(Buffer.from(manifest).toString('utf8'));
  const control = (doc['manifest'] as XmlNode | undefined)?.['control'] as XmlNode | undefined;
  if (!control) throw new Error(`pcf-controls/out/controls/${folder}/ControlManifest.xml: <manifest><control> missing`);
  const namespace = text(control['@_namespace']);
  const constructorName = text(control['@_constructor']);
  return {
    name: `${prefix}_${namespace}.${constructorName}`,
    namespace,
    constructorName,
    version: text(control['@_version']),
    folder,
    files,
  };
}

/** Built controls, or undefined when the pcf-controls output folder does not exist. */
export async function readControls(dir: string, prefix: string): Promise<PcfControl[] | undefined> {
  if (!(await exists(dir))) return undefined;
  const entries = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const controls: PcfControl[] = [];
  for (const folder of entries) controls.push(controlFromFiles(prefix, folder, await readTree(join(dir, folder))));
  return controls;
}
