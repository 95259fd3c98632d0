// The repository must work as a bare clone: no tracked file may name a path outside it. Rules, each
// reported as file:line:
//   shared-path    a mention of the workspace folder beside the repository: `(../)+shared` resolving above the
//                  repository root, the folder's name followed by /paypal-, /dataverse-, /design or /reference,
//                  or a SHARED_DIR override. Contributor guidance may name it only on the exact lines of
//                  GUIDANCE_LINES (CONTRIBUTING.md), which no build, test or tool reads.
//   escapes-root   in code (.ts/.tsx/.js/.cjs/.mjs), a relative path that climbs above the repository root:
//                  a string literal `..` or `../…` (import specifiers, new URL(…, import.meta.url)), and
//                  join/resolve chains from the file's folder (import.meta.dirname, __dirname,
//                  dirname(fileURLToPath(import.meta.url)), or a const of this file built that way).
//   machine-path   an absolute path of a machine: /work/…, /home/…, /Users/….
// Paths are resolved against the folder of the file that names them. Binary files and package-lock.json are
// not read; neither are this module and its test, which spell out the patterns they look for.
import { posix } from 'node:path';

export type Rule = 'shared-path' | 'escapes-root' | 'machine-path';

export interface Finding {
  file: string;
  line: number;
  rule: Rule;
  text: string;
}

/** The folder beside the repository, spelled from parts so that a plain search for it finds only real uses. */
export const BESIDE = ['..', 'shared'].join('/');

/** Lines (exact text) allowed to name the folder beside the repository: design guidance for contributors. */
export const GUIDANCE_LINES: ReadonlyArray<{ file: string; line: string }> = [
  {
    file: 'CONTRIBUTING.md',
    line:
      'Several people (and sessions) work in this npm workspaces monorepo at once. Design guidance kept beside the ' +
      `repository (not part of it; no build, test or tool reads it): read ${BESIDE}/design/ARCHITECTURE.md and ` +
      `${BESIDE}/design/STYLE.md first, then the reference notes under ${BESIDE}/reference/.`,
  },
];

/** Files this check never reads: this module and its test (they contain the patterns on purpose). */
export const SELF = ['test/support/src/self-contained.ts', 'test/support/test/self-contained.test.ts'];

const SKIP = new Set(['package-lock.json', ...SELF]);
const CODE = /\.(?:[cm]?[jt]s|tsx|jsx)$/;

export function shouldRead(file: string): boolean {
  return !SKIP.has(file);
}

/** True when `rel`, resolved against the folder of `file` (both repository-relative), leaves the root. */
export function escapesRoot(file: string, rel: string): boolean {
  const resolved = posix.normalize(posix.join(posix.dirname(file), rel));
  return resolved === '..' || resolved.startsWith('../');
}

const SHARED_UP = /(?:\.\.\/)+shared\b/g;
const SHARED_WORDS = /\bshared\/(?:paypal-|dataverse-|design\b|reference\b)|SHARED_DIR\b/g;
const MACHINE = /(?<![\w.~-])\/(?:work|home|Users)\/[\w.-]/g;
const LITERAL = /(['"`])(\.\.(?:\/[^'"`\s$]*)?)\1/g;
const FILE_DIR = String.raw`import\.meta\.dirname|__dirname|dirname\(\s*fileURLToPath\(\s*import\.meta\.url\s*\)\s*\)`;
const URL_CONST =
  /\b(?:const|let)\s+(\w+)\s*=\s*(?:fileURLToPath\(\s*)?new URL\(\s*(['"`])([^'"`]*)\2\s*,\s*import\.meta\.url\s*\)/g;
const LITERALS = String.raw`(?:\s*,\s*(?:'[^']*'|"[^"]*"))+`;

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function literalsOf(list: string): string[] {
  return [...list.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2] ?? '');
}

/** The repository-relative path of a join/resolve chain, or undefined when its base is not known. */
function chainPath(file: string, base: string, parts: string[], known: Map<string, string>): string | undefined {
  const start = new RegExp(`^(?:${FILE_DIR})$`).test(base.trim()) ? posix.dirname(file) : known.get(base.trim());
  if (start === undefined) return undefined;
  return posix.normalize(posix.join(start, ...parts));
}

/** Every finding in one tracked file (path relative to the repository root, '/'-separated). */
export function checkFile(file: string, text: string): Finding[] {
  const found: Finding[] = [];
  const lines = text.split('\n');
  const add = (index: number, rule: Rule) => {
    const line = lineOf(text, index);
    found.push({ file, line, rule, text: (lines[line - 1] ?? '').trim().slice(0, 160) });
  };
  const allowed = new Set(GUIDANCE_LINES.filter((g) => g.file === file).map((g) => g.line));
  const guidance = (index: number) => allowed.has((lines[lineOf(text, index) - 1] ?? '').trim());

  for (const m of text.matchAll(SHARED_UP))
    if (escapesRoot(file, m[0]) && !guidance(m.index)) add(m.index, 'shared-path');
  for (const m of text.matchAll(SHARED_WORDS)) if (!guidance(m.index)) add(m.index, 'shared-path');
  for (const m of text.matchAll(MACHINE)) add(m.index, 'machine-path');

  if (CODE.test(file)) {
    for (const m of text.matchAll(LITERAL)) if (escapesRoot(file, m[2]!)) add(m.index, 'escapes-root');
    // Folders this file derives from its own location, so chains built on them can be resolved too.
    const known = new Map<string, string>();
    for (const m of text.matchAll(URL_CONST)) known.set(m[1]!, posix.normalize(posix.join(posix.dirname(file), m[3]!)));
    const defs = new RegExp(
      `\\b(?:const|let)\\s+(\\w+)\\s*=\\s*(?:path\\.)?(?:join|resolve)\\(\\s*(${FILE_DIR}|\\w+)(${LITERALS})`,
      'g',
    );
    for (const m of text.matchAll(defs)) {
      const p = chainPath(file, m[2]!, literalsOf(m[3]!), known);
      if (p !== undefined) known.set(m[1]!, p);
    }
    const calls = new RegExp(`\\b(?:path\\.)?(?:join|resolve)\\(\\s*(${FILE_DIR}|\\w+)(${LITERALS})`, 'g');
    for (const m of text.matchAll(calls)) {
      const p = chainPath(file, m[1]!, literalsOf(m[2]!), known);
      if (p !== undefined && (p === '..' || p.startsWith('../'))) add(m.index, 'escapes-root');
    }
  }
  // One report per line and rule is enough.
  const seen = new Set<string>();
  return found
    .sort((a, b) => a.line - b.line)
    .filter((f) => {
      const key = `${f.line}:${f.rule}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}: ${f.rule}: ${f.text}`;
}
