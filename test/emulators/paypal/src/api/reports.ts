// Control API for report files: generate STL/TRR for a day (written to config.reportsDir, as an SFTP
// drop would hold them, and kept in memory), list and fetch them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from '../emulator.ts';
import type { Route } from '../core/router.ts';
import { buildReport, type ReportFile } from '../reports/sftp-reports.ts';
import { balances, recordLedger } from './ledger.ts';
import { convert, parseAmount } from '../core/money.ts';

type Json = Record<string, unknown>;
const bad = (message: string, status = 400) => ({ status, body: { error: message } });

export function reportControlRoutes(emu: Emulator): Route[] {
  const files = new Map<string, ReportFile>();
  const available = (currency: string) => balances(emu, emu.clock.now().getTime()).get(currency) ?? 0;
  return [
    {
      // The merchant withdraws balance to the bank (T0400, DR). No webhook exists for it; it shows in
      // Transaction Search and the reports with the bank's reference.
      method: 'POST',
      pattern: '/_emulator/withdrawals',
      handler: ({ body }) => {
        const b = (body ?? {}) as Json;
        const currency = typeof b.currency === 'string' ? b.currency : '';
        const minor = typeof b.amount === 'string' && currency ? parseAmount(b.amount, currency) : null;
        if (minor === null || minor <= 0) return bad('amount (decimal string) and currency are required');
        if (minor > available(currency)) return bad(`the ${currency} balance is lower than ${b.amount}`, 422);
        const now = emu.nowIso();
        const entry = {
          transactionId: emu.random.paypalId(),
          eventCode: 'T0400',
          initiationTime: now,
          updatedTime: now,
          currency,
          amountMinor: -minor,
          feeMinor: 0,
          status: 'S' as const,
          balanceAffecting: true,
          bankReferenceId: typeof b.bank_reference_id === 'string' ? b.bank_reference_id : `BR${emu.random.digits(10)}`,
        };
        recordLedger(emu, entry);
        return { status: 201, body: { transaction_id: entry.transactionId, bank_reference_id: entry.bankReferenceId } };
      },
    },
    {
      // The merchant converts balance between currencies (T0200 pair: DR in the source, CR in the target) at
      // the emulator's rate (config.exchangeRates). The legs carry no reference to each other (unverified
      // against a real file); they share their time.
      method: 'POST',
      pattern: '/_emulator/conversions',
      handler: ({ body }) => {
        const b = (body ?? {}) as Json;
        const from = typeof b.from === 'string' ? b.from : '';
        const to = typeof b.to === 'string' ? b.to : '';
        const minor = typeof b.amount === 'string' && from ? parseAmount(b.amount, from) : null;
        if (minor === null || minor <= 0 || !to)
          return bad('amount (decimal string in from), from and to are required');
        const rate = emu.config.exchangeRates[`${from}:${to}`];
        if (!rate) return bad(`no exchange rate ${from}:${to} configured`);
        if (minor > available(from)) return bad(`the ${from} balance is lower than ${b.amount}`, 422);
        const now = emu.nowIso();
        const received = convert(minor, from, to, rate);
        const leg = (currency: string, amountMinor: number) => ({
          transactionId: emu.random.paypalId(),
          eventCode: 'T0200',
          initiationTime: now,
          updatedTime: now,
          currency,
          amountMinor,
          feeMinor: 0,
          status: 'S' as const,
          balanceAffecting: true,
        });
        const out = leg(from, -minor);
        const into = leg(to, received);
        recordLedger(emu, out);
        recordLedger(emu, into);
        return {
          status: 201,
          body: {
            from_transaction_id: out.transactionId,
            to_transaction_id: into.transactionId,
            rate,
            received_minor: received,
          },
        };
      },
    },
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
