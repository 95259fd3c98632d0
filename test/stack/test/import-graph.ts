// Walks the import graph a Node process would load from an entry file: every static import, re-export and
// string-literal dynamic import (type-only imports too: they name a dependency all the same), resolved the
// way TypeScript resolves them for Node (NodeNext: package.json "exports", workspace symlinks followed).
// Our own files are followed; a third-party package ends the walk (its name is what is checked).
import { readFileSync, realpathSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import ts from 'typescript';

export interface ImportEdge {
  /** the import as written */
  specifier: string;
  /** importing file, then the files that led to it from the entry */
  chain: string[];
}

export interface ImportGraph {
  files: Set<string>;
  /** bare package names imported from our files, with where they were first imported */
  packages: Map<string, ImportEdge>;
}

const OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
};

export const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

export function walkImports(entries: string[], root: string): ImportGraph {
  const files = new Set<string>();
  const packages = new Map<string, ImportEdge>();
  const queue: { file: string; chain: string[] }[] = entries.map((e) => ({ file: realpathSync(e), chain: [] }));
  while (queue.length) {
    const { file, chain } = queue.shift()!;
    if (files.has(file)) continue;
    files.add(file);
    const here = [...chain, file];
    for (const { fileName: specifier } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (isBuiltin(specifier)) continue;
      const bare = !specifier.startsWith('.') && !specifier.startsWith('/');
      if (bare && !packages.has(packageName(specifier)))
        packages.set(packageName(specifier), { specifier, chain: here });
      const resolved = ts.resolveModuleName(
        specifier,
        file,
        OPTIONS,
        ts.sys,
        undefined,
        undefined,
        ts.ModuleKind.ESNext,
      ).resolvedModule?.resolvedFileName;
      if (!resolved) {
        if (!bare) throw new Error(`${file}: cannot resolve ${specifier}`);
        continue; // a package without a resolvable entry: its name was recorded above
      }
      const real = realpathSync(resolved);
      // Our sources only: workspace packages resolve (through their node_modules symlink) into the repository.
      if (real.startsWith(root) && !real.includes('/node_modules/') && !real.endsWith('.d.ts'))
        queue.push({ file: real, chain: here });
    }
  }
  return { files, packages };
}
