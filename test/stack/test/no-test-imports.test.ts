// `npm start` must run without anything test-only: the sandbox (emulators, harness, @ppc/stack) is allowed,
// test workspaces and test frameworks are not. Checked on the real import graph, and by the lint rule.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../src/sandbox-settings.ts';
import { packageName, walkImports, type ImportGraph } from './import-graph.ts';

const TEST_ONLY_WORKSPACES = ['@ppc/e2e', '@ppc/bench', '@ppc/test-support'];
const TEST_ONLY_PACKAGES = ['jest', '@jest/*', '@testing-library/*', 'playwright', 'playwright-core', 'supertest'];

const testOnly = (name: string) =>
  TEST_ONLY_WORKSPACES.includes(name) ||
  TEST_ONLY_PACKAGES.some((p) => (p.endsWith('/*') ? name.startsWith(p.slice(0, -1)) : name === p));

const at = (path: string) => join(REPO_ROOT, path);
const shown = (file: string) => file.slice(REPO_ROOT.length);

function violations(graph: ImportGraph): string[] {
  return [...graph.packages]
    .filter(([name]) => testOnly(name))
    .map(([, edge]) => `${[...edge.chain.map(shown), edge.specifier].join(' → ')}`);
}

describe('the sandbox imports nothing test-only', () => {
  const entries = ['scripts/start.ts', 'scripts/demo-purchase.ts', 'scripts/dlq.ts', 'test/stack/src/index.ts'];
  const graph = walkImports(entries.map(at), REPO_ROOT);

  it('walks the real graph of npm start through the workspaces it uses', () => {
    // The walk follows workspace packages (dynamic imports included) into their sources.
    for (const file of [
      'test/stack/src/sandbox.ts',
      'proxy-service/src/main.ts',
      'proxy-service/src/cli/dlq.ts',
      'test/harness/src/harness.ts',
      'test/emulators/paypal/src/index.ts',
      'test/emulators/dataverse/src/index.ts',
    ])
      expect(graph.files).toContain(at(file));
    expect([...graph.packages.keys()]).toEqual(expect.arrayContaining(['@ppc/stack', 'express', 'pino-pretty']));
  });

  it('reaches no test-only workspace or package', () => {
    expect(violations(graph)).toEqual([]);
  });

  it('finds a test-only import however deep it is', () => {
    const bad = walkImports([fileURLToPath(new URL('fixtures/entry.ts', import.meta.url))], REPO_ROOT);
    expect(violations(bad)).toEqual([
      'test/stack/test/fixtures/entry.ts → test/stack/test/fixtures/middle.ts → @ppc/e2e',
    ]);
  });

  it('declares no test-only runtime dependency in the workspaces it reaches', () => {
    const workspaces = [...graph.packages.keys()].filter((name) => name.startsWith('@ppc/'));
    const declared = workspaces.flatMap((ws) => {
      const manifest = JSON.parse(readFileSync(at(`node_modules/${ws}/package.json`), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      return Object.keys(manifest.dependencies ?? {}).map((dep) => `${ws} → ${dep}`);
    });
    expect(declared.length).toBeGreaterThan(0);
    expect(declared.filter((d) => testOnly(packageName(d.split(' → ')[1]!)))).toEqual([]);
  });
});

describe('the lint rule on scripts/ and test/stack/src', () => {
  const eslint = new ESLint({ cwd: REPO_ROOT });
  const messages = async (filePath: string, code: string) =>
    (await eslint.lintText(code, { filePath: at(filePath) }))[0]!.messages.map((m) => m.ruleId);

  it.each([...TEST_ONLY_WORKSPACES, 'jest', '@jest/globals', '@testing-library/react', 'playwright-core', 'supertest'])(
    'rejects %s, statically and dynamically',
    async (name) => {
      for (const file of ['scripts/example.ts', 'test/stack/src/example.ts']) {
        expect(await messages(file, `import '${name}';\n`)).toContain('no-restricted-imports');
        expect(await messages(file, `export const load = () => import('${name}');\n`)).toContain(
          'no-restricted-syntax',
        );
      }
    },
  );

  it('accepts the sandbox parts', async () => {
    const code =
      "import '@ppc/stack';\nimport '@ppc/harness';\nexport const load = () => import('@ppc/proxy-service/main');\n";
    expect(await messages('scripts/example.ts', code)).toEqual([]);
  });
});
