// The alert rules name only metrics the proxy registers (a renamed metric would silently never alert).
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createMetrics } from '../../src/metrics.ts';

describe('payment anomaly alert rules', () => {
  it('every ppc_ metric in monitoring/prometheus/ppc-payment-anomalies.rules.yml is registered by metrics.ts', async () => {
    const rules = readFileSync(
      new URL('../../../monitoring/prometheus/ppc-payment-anomalies.rules.yml', import.meta.url),
      'utf8',
    );
    const named = new Set([...rules.matchAll(/\b(ppc_[a-z_]+?)(?:_total|_seconds)?\b/g)].map((m) => m[0]));
    expect(named.size).toBeGreaterThanOrEqual(5);
    const registered = new Set((await createMetrics().registry.getMetricsAsJSON()).map((m) => m.name));
    for (const name of named) expect([name, registered.has(name)]).toEqual([name, true]);
  });
});
