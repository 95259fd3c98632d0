// The metric-name check over the repository's alert rules and dashboard, and that it fails when it should.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  check,
  dashboardExprs,
  DASHBOARD_FILE,
  exportedSeries,
  metricsIn,
  ruleExprs,
  RULES_FILE,
} from '../src/check-metrics.ts';

describe('metric-name check', () => {
  it('every metric the alert rules and the dashboard name is exported by the proxy', async () => {
    const exported = await exportedSeries();
    const rules = ruleExprs(readFileSync(RULES_FILE, 'utf8'));
    const panels = dashboardExprs(readFileSync(DASHBOARD_FILE, 'utf8'));
    expect(rules.length).toBeGreaterThanOrEqual(8);
    expect(panels.length).toBeGreaterThanOrEqual(10);
    const result = check([...rules, ...panels], exported);
    expect(result.lines.filter((l) => l.startsWith('✗'))).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('the rules cover what the issue asks to alert on', () => {
    const names = ruleExprs(readFileSync(RULES_FILE, 'utf8')).flatMap((r) => metricsIn(r.expr));
    for (const m of [
      'ppc_dead_letters_open',
      'ppc_jobs_total',
      'ppc_webhooks_rejected_total',
      'ppc_intake_duration_seconds_bucket',
      'ppc_dataverse_throttled_total',
      'ppc_last_event_received_timestamp_seconds',
      'ppc_paypal_api_errors_total',
    ])
      expect(names).toContain(m);
  });

  it('fails on a metric the proxy does not export, a histogram suffix on a counter, and an expression without one', async () => {
    const exported = await exportedSeries();
    const result = check(
      [
        { where: 'rule Renamed', expr: 'sum(rate(ppc_jobs_failed_total[5m])) > 0' },
        { where: 'rule Suffix', expr: 'ppc_jobs_total_bucket > 0' },
        { where: 'rule Typo', expr: 'pcc_dead_letters_open > 0' },
        { where: 'rule Fine', expr: 'histogram_quantile(0.9, rate(ppc_intake_duration_seconds_bucket[5m])) > 1' },
      ],
      exported,
    );
    expect(result.ok).toBe(false);
    expect(result.lines).toEqual([
      '✗ rule Renamed: not exported by the proxy: ppc_jobs_failed_total',
      '✗ rule Suffix: not exported by the proxy: ppc_jobs_total_bucket',
      '✗ rule Typo: names no ppc_ metric',
      '✓ rule Fine: ppc_intake_duration_seconds_bucket',
    ]);
  });
});
