// The README's retry table is the module's: same classes, attempts and worst-case times for the default
// configuration, so the documentation cannot drift from what the code does.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.ts';
import { FAILURE_CLASSES } from '../../src/retry/failure-class.ts';
import { RETRY_TABLE, retryTableMarkdown, worstCase } from '../../src/retry/retry-table.ts';

const defaults = loadConfig({});
const queue = { maxAttempts: defaults.jobMaxAttempts, baseMs: defaults.retryBaseMs, maxMs: defaults.retryMaxMs };

describe('retry table', () => {
  it('the README prints the table the module computes from the default configuration', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
    const printed = /<!-- retry-table:start -->\n([\s\S]*?)\n<!-- retry-table:end -->/.exec(readme)?.[1];
    expect(printed).toBe(retryTableMarkdown(queue));
  });

  it('covers every failure class, and only retryable classes reach the queue', () => {
    expect(Object.keys(RETRY_TABLE).sort()).toEqual([...FAILURE_CLASSES].sort());
    for (const failure of FAILURE_CLASSES) expect(RETRY_TABLE[failure].queue).toBe(RETRY_TABLE[failure].retryable);
  });

  it('the worst case is bounded: at most 24 attempts of one request per event, inline waits of seconds', () => {
    const worst = FAILURE_CLASSES.map((f) => worstCase(f, queue));
    expect(Math.max(...worst.map((w) => w.perEvent))).toBe(24);
    expect(worstCase('unavailable', queue)).toMatchObject({ paypal: 2, dataverse: 2, queue: 8, perEvent: 16 });
    // 8 jobs × one inline wait of ≤ 250 ms, plus 1+2+4+8+16+32+64 s between jobs
    expect(worstCase('unavailable', queue).ms).toBe(8 * 250 + 127_000);
  });
});
