// The account's transaction ledger: every money movement, the source of Transaction Search and reports.
import type { Emulator } from '../emulator.ts';
import type { LedgerEntry } from '../core/state.ts';

export function recordLedger(emu: Emulator, entry: LedgerEntry): void {
  emu.state.ledger.push(entry);
}

/** Balance per currency from balance-affecting, successful rows. */
export function balances(emu: Emulator, asOf: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of emu.state.ledger) {
    if (!e.balanceAffecting || e.status === 'D' || Date.parse(e.initiationTime) > asOf) continue;
    out.set(e.currency, (out.get(e.currency) ?? 0) + e.amountMinor + e.feeMinor);
  }
  return out;
}
