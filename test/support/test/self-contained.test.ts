// The self-contained check on violating and clean samples (the CI step runs it over every tracked file).
import { describe, expect, it } from '@jest/globals';
import { BESIDE, checkFile, escapesRoot, GUIDANCE_LINES, shouldRead } from '../src/self-contained.ts';

/** The folder's bare name, spelled apart for the same reason as BESIDE. */
const NAME = BESIDE.slice(3);
const rules = (file: string, text: string) => checkFile(file, text).map((f) => `${f.line}:${f.rule}`);

describe('self-contained check', () => {
  it('resolves relative paths against the folder of the file that names them', () => {
    expect(escapesRoot('README.md', `${BESIDE}/x`)).toBe(true);
    expect(escapesRoot('pcf-controls/Refund/index.ts', `${BESIDE}/names`)).toBe(false);
    expect(escapesRoot('a/b/c.ts', '../../x')).toBe(false);
    expect(escapesRoot('a/b/c.ts', '../../../x')).toBe(true);
    expect(escapesRoot('a/b/c.ts', '../../..')).toBe(true);
  });

  it('flags the folder beside the repository, by relative path or by name', () => {
    expect(rules('README.md', `intro\nTarget design: \`${BESIDE}/design/ARCHITECTURE.md\`.\n`)).toEqual([
      '2:shared-path',
    ]);
    expect(rules('proxy-service/src/x.ts', `// copied from ${NAME}/paypal-openapi\nconst a = 1;\n`)).toEqual([
      '1:shared-path',
    ]);
    expect(rules('x/y.md', `see ${NAME}/dataverse-schemas and ${NAME}/reference/paypal.md`)).toEqual(['1:shared-path']);
    expect(rules('t/h.ts', "export const D = process.env.PPC_SHARED_DIR ?? '/tmp';")).toEqual(['1:shared-path']);
  });

  it("accepts an in-repository folder named shared (pcf-controls' own)", () => {
    expect(rules('pcf-controls/RefundButton/index.ts', 'import { Tables } from `${BESIDE}/names`;')).toEqual([]);
    expect(rules('pcf-controls/test/X/a.test.ts', 'import { f } from `../${BESIDE}/fraud`;')).toEqual([]);
  });

  it('flags relative paths in code that climb above the root', () => {
    const file = 'proxy-service/src/adapters/paypal/codegen.ts';
    expect(
      rules(file, "const d = fileURLToPath(new URL('../../../../../elsewhere/specs/', import.meta.url));"),
    ).toEqual(['1:escapes-root']);
    expect(rules(file, "import x from '../../../../../../lib/x.ts';")).toEqual(['1:escapes-root']);
    expect(rules(file, "const ok = new URL('./openapi/', import.meta.url);\nimport y from '../../x.ts';")).toEqual([]);
  });

  it('resolves join/resolve chains from the file folder, also through consts of the same file', () => {
    const xsd = 'solution/packer/validate/xsd.ts';
    expect(rules(xsd, "export const R = join(import.meta.dirname, '..', '..', '..', '..', 'vendor');")).toEqual([
      '1:escapes-root',
    ]);
    expect(
      rules(xsd, "export const R = join(\n  import.meta.dirname,\n  '..',\n  '..',\n  '..',\n  '..',\n  'x',\n);"),
    ).toEqual(['1:escapes-root']);
    expect(rules(xsd, "export const R = join(import.meta.dirname, 'schemas');")).toEqual([]);
    const paths = 'proxy-service/test/support/paths.ts';
    expect(
      rules(
        paths,
        "const proxyRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');\n" +
          "const repoRoot = resolve(proxyRoot, '..');\n" +
          "const outside = resolve(repoRoot, '../elsewhere');\n",
      ),
    ).toEqual(['3:escapes-root']);
    expect(
      rules('scripts/start.ts', "const root = fileURLToPath(new URL('..', import.meta.url));\njoin(root, '..')"),
    ).toEqual(['2:escapes-root']);
  });

  it('does not apply the code rules to data files', () => {
    expect(
      rules('proxy-service/test/fixtures/a/signed/x.delivery.json', '{ "event_file": "../../../../../../x.json" }'),
    ).toEqual([]);
  });

  it('flags absolute machine paths, not URLs', () => {
    expect(rules('CONTRIBUTING.md', 'run `cd /work/main && npm test`')).toEqual(['1:machine-path']);
    expect(rules('a.ts', "const p = '/home/someone/repo';")).toEqual(['1:machine-path']);
    expect(rules('a.md', 'see https://example.com/work/items and /tmp/x.lock')).toEqual([]);
  });

  it('allows only the exact guidance lines of CONTRIBUTING.md', () => {
    const guidance = GUIDANCE_LINES[0]!;
    expect(rules(guidance.file, `# Title\n${guidance.line}\n`)).toEqual([]);
    expect(rules(guidance.file, `${guidance.line} Fixtures are in ${BESIDE}/paypal-fixtures.\n`)).toEqual([
      '1:shared-path',
    ]);
    expect(rules('README.md', `${guidance.line}\n`)).toEqual(['1:shared-path']);
  });

  it('passes a clean file', () => {
    expect(
      rules(
        'proxy-service/test/support/paths.ts',
        "export const proxyRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');\n" +
          "export const fixturesDir = join(proxyRoot, 'test', 'fixtures');\n",
      ),
    ).toEqual([]);
  });

  it('reads every file except the lock file and its own two files', () => {
    expect(shouldRead('package-lock.json')).toBe(false);
    expect(shouldRead('test/support/src/self-contained.ts')).toBe(false);
    expect(shouldRead('proxy-service/package.json')).toBe(true);
  });
});
