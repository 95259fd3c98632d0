// Control API for report files: generate STL/TRR for a day (written to config.reportsDir, as an SFTP
// drop would hold them, and kept in memory), list and fetch them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from '../emulator.ts';
import type { Route } from '../core/router.ts';
import { buildReport, type ReportFile } from '../reports/sftp-reports.ts';

type Json = Record<string, unknown>;
const bad = (message: string, status = 400) => ({ status, body: { error: message } });

export function reportControlRoutes(emu: Emulator): Route[] {
  const files = new Map<string, ReportFile>();
  return [
    {
      method: 'POST',
      pattern: '/_emulator/reports',
      handler: ({ body }) => {
        const b = (body ?? {}) as Json;
        const type = b.type === 'TRR' ? 'TRR' : b.type === 'STL' || b.type === undefined ? 'STL' : undefined;
        if (!type) return bad('type must be STL or TRR');
        const day = typeof b.date === 'string' ? b.date : emu.clock.now().toISOString().slice(0, 10);
        if (!/^\d{4}-\d\d-\d\d$/.test(day)) return bad('date must be YYYY-MM-DD');
        const days = Number(b.days ?? 1);
        const from = Date.parse(`${day}T00:00:00Z`);
        const report = buildReport({
          type,
          accountId: emu.config.merchant.accountId,
          from,
          to: from + days * 86_400_000,
          generatedAt: emu.clock.now().getTime(),
          ledger: emu.state.ledger,
        });
        files.set(report.name, report);
        let path: string | undefined;
        if (emu.config.reportsDir) {
          mkdirSync(emu.config.reportsDir, { recursive: true });
          path = join(emu.config.reportsDir, report.name);
          writeFileSync(path, report.content, 'utf8');
        }
        return {
          status: 201,
          body: { name: report.name, ...(path ? { path } : {}), url: emu.link(`/_emulator/reports/${report.name}`) },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/_emulator/reports',
      handler: () => ({ status: 200, body: { reports: [...files.keys()] } }),
    },
    {
      method: 'GET',
      pattern: '/_emulator/reports/:name',
      handler: ({ params }) => {
        const f = files.get(params.name!);
        return f
          ? { status: 200, text: { contentType: 'text/csv; charset=utf-8', data: f.content } }
          : bad('unknown report', 404);
      },
    },
  ];
}
