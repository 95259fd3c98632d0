// The alert rules' own unit tests (prometheus/tests/*.test.yml) run by promtool: the payment anomaly spikes fire on
// a spike and stay quiet on the normal rate and on a handful of events. promtool comes with the Debian package
// `prometheus` (CI installs it, README "Monitoring"); without it these tests are skipped, with a note.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MONITORING_DIR } from '../src/check-metrics.ts';

const TESTS_DIR = join(MONITORING_DIR, 'prometheus', 'tests');
const files = readdirSync(TESTS_DIR).filter((f) => f.endsWith('.test.yml'));
const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
if (!promtool) console.warn('promtool not found: the rules unit tests are skipped (apt-get install prometheus)');

describe('alert rules unit tests (promtool test rules)', () => {
  it('there is one for the payment anomaly rules', () => {
    expect(files).toContain('ppc-payment-anomalies.test.yml');
  });
  (promtool ? it.each(files) : it.skip.each(files))('%s passes', (file) => {
    const out = execFileSync('promtool', ['test', 'rules', file], { cwd: TESTS_DIR, encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS/);
  });
});
