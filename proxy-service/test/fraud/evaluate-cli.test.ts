// `npm run fraud -- evaluate`: the report is written, has every pattern and three explained alerts, and is
// reproducible (same seed, same bytes).
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFraud } from '../../src/cli/fraud.ts';
import { FRAUD_PATTERNS } from '../../src/fraud/generator.ts';

const SMALL = ['--seed', '3', '--customers', '1500', '--days', '90'];
const dir = mkdtempSync(join(tmpdir(), 'ppc-fraud-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fraud evaluate command', () => {
  it('writes the report: per pattern and overall precision, recall, PR-AUC, three example alerts; same seed, same report', async () => {
    const lines: string[] = [];
    const a = join(dir, 'a.md');
    const b = join(dir, 'b.md');
    expect(await runFraud(['evaluate', ...SMALL, '--report', a], (l) => lines.push(l))).toBe(0);
    expect(await runFraud(['evaluate', ...SMALL, '--report', b], () => undefined)).toBe(0);
    const report = readFileSync(a, 'utf8');
    expect(readFileSync(b, 'utf8')).toBe(report);
    for (const p of ['overall', ...FRAUD_PATTERNS])
      expect(report).toMatch(new RegExp(`^\\| ${p} \\| \\d+ \\| \\d+ \\| `, 'm'));
    expect(report.match(/^### GEN\w+ \(\w+\): score \d+/gm)).toHaveLength(3);
    expect(report).toMatch(/\| [A-Z_]+ \| .+ \| [\d.-]+ \| \+\d+\.\d\d \|/);
    const json = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')) as { trained: { overall: { prAuc: number } } };
    expect(json.trained.overall.prAuc).toBeGreaterThan(0.5);
    expect(lines.join()).toMatch(/evaluated seed 3: \d+ held-out payments/);
    expect(await runFraud(['nonsense'], () => undefined)).toBe(2);
  });
});
