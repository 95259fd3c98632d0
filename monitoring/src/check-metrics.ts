// `npm run check:metrics`: every metric an alert rule or a dashboard panel names must be one the proxy exports
// (its prom-client registry, createMetrics), so a renamed metric cannot leave a rule that never fires or a panel
// that stays empty. Every expression must name at least one ppc_ metric (a typo in the prefix is caught too).
// Exit code 1 with the offending rule or panel named.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMetrics } from '@ppc/proxy-service';
import { parse } from 'yaml';

export const MONITORING_DIR = join(import.meta.dirname, '..');
export const RULES_FILE = join(MONITORING_DIR, 'prometheus', 'ppc-alerts.rules.yml');
/** Every rules file (operations, payment anomalies): what CI's `promtool check rules` validates too. */
export const RULES_FILES = readdirSync(join(MONITORING_DIR, 'prometheus'))
  .filter((f) => f.endsWith('.rules.yml'))
  .sort()
  .map((f) => join(MONITORING_DIR, 'prometheus', f));
export const DASHBOARD_FILE = join(MONITORING_DIR, 'grafana', 'ppc-proxy.dashboard.json');

/** The series names the proxy exports: each metric, and a histogram's _bucket/_sum/_count. */
export async function exportedSeries(): Promise<Set<string>> {
  const metrics = createMetrics();
  const names = new Set<string>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
  }
  return names;
}

/** The ppc_ metric names in a PromQL expression (label names and functions never start with ppc_). */
export const metricsIn = (expr: string): string[] => [...new Set(expr.match(/\bppc_[a-zA-Z0-9_:]*/g) ?? [])];

export interface NamedExpr {
  where: string;
  expr: string;
}

export function ruleExprs(text: string): NamedExpr[] {
  const doc = parse(text) as {
    groups?: { name: string; rules?: { alert?: string; record?: string; expr: unknown }[] }[];
  };
  return (doc.groups ?? []).flatMap((g) =>
    (g.rules ?? []).map((r) => ({ where: `rule ${r.alert ?? r.record ?? '?'}`, expr: String(r.expr) })),
  );
}

export function dashboardExprs(text: string): NamedExpr[] {
  const doc = JSON.parse(text) as { panels?: { title?: string; targets?: { expr?: string; refId?: string }[] }[] };
  return (doc.panels ?? []).flatMap((p) =>
    (p.targets ?? [])
      .filter((t) => typeof t.expr === 'string')
      .map((t) => ({ where: `panel "${p.title ?? '?'}" ${t.refId ?? ''}`.trim(), expr: t.expr! })),
  );
}

export function check(exprs: NamedExpr[], exported: Set<string>): { lines: string[]; ok: boolean } {
  const lines: string[] = [];
  let ok = true;
  for (const { where, expr } of exprs) {
    const names = metricsIn(expr);
    const unknown = names.filter((n) => !exported.has(n));
    if (!names.length) {
      ok = false;
      lines.push(`✗ ${where}: names no ppc_ metric`);
    } else if (unknown.length) {
      ok = false;
      lines.push(`✗ ${where}: not exported by the proxy: ${unknown.join(', ')}`);
    } else lines.push(`✓ ${where}: ${names.join(', ')}`);
  }
  return { lines, ok };
}

if (import.meta.main) {
  const exported = await exportedSeries();
  const rules = RULES_FILES.flatMap((f) => ruleExprs(readFileSync(f, 'utf8')));
  const exprs = [...rules, ...dashboardExprs(readFileSync(DASHBOARD_FILE, 'utf8'))];
  const { lines, ok } = check(exprs, exported);
  for (const l of lines) console.log(l);
  console.log(
    `${exprs.length} expressions (${rules.length} rules in ${RULES_FILES.length} files, the rest dashboard panels): ${ok ? 'every metric is exported' : 'FAILED'}`,
  );
  process.exitCode = ok ? 0 : 1;
}
