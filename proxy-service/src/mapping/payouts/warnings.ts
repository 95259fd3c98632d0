// The warnings of a payout batch an approver must acknowledge explicitly (pure). The build writes them on the batch
// (ppc_warnings, one per line: "<code> <text>"); an approval carries the codes it acknowledges
// (ppc_acknowledgedwarnings, set in the same update as the status, so the webhook's Target holds them) and the proxy
// refuses an approval that does not cover the batch's warnings as they are at approval. A code names what it warns
// about, counts included, so an acknowledgement of an earlier state of the batch does not cover a later one.
import type { PlannedItem } from './batch-plan.ts';

export interface BatchWarning {
  code: string;
  text: string;
}

const receiverKey = (r: string) => r.trim().toLowerCase().replace(/\s+/g, '');

/** Warnings of a batch: bills left out, and receivers paid several times in it. Sorted by code. */
export function batchWarnings(valid: readonly Pick<PlannedItem, 'receiver'>[], excludedCount: number): BatchWarning[] {
  const out: BatchWarning[] = [];
  if (excludedCount > 0)
    out.push({
      code: `EXCLUDED:${excludedCount}`,
      text: `${excludedCount} bill(s) are excluded and will not be paid (see Failure Reason)`,
    });
  const byReceiver = new Map<string, number>();
  for (const i of valid) byReceiver.set(receiverKey(i.receiver), (byReceiver.get(receiverKey(i.receiver)) ?? 0) + 1);
  const repeated = [...byReceiver].filter(([, n]) => n > 1).sort(([a], [b]) => a.localeCompare(b));
  if (repeated.length) {
    // One warning for all of them (a code per receiver would not fit the column for a large batch).
    const items = repeated.reduce((sum, [, n]) => sum + n, 0);
    const shown = repeated.slice(0, 10).map(([r, n]) => `${r} (${n})`);
    out.push({
      code: `DUPLICATE_RECEIVERS:${repeated.length}:${items}`,
      text: `${repeated.length} receiver(s) get several items in this batch: ${shown.join(', ')}${repeated.length > 10 ? ', …' : ''}`,
    });
  }
  return out.sort((a, b) => a.code.localeCompare(b.code));
}

/** ppc_warnings: one warning per line. */
export function warningsText(warnings: readonly BatchWarning[]): string | null {
  return warnings.length
    ? warnings
        .map((w) => `${w.code} ${w.text}`)
        .join('\n')
        .slice(0, 2000)
    : null;
}

/** The codes of an acknowledgement (ppc_acknowledgedwarnings or ppc_warnings text): the first word of each line. */
export function acknowledgedCodes(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((l) => l.trim().split(/\s+/)[0] ?? '')
        .filter(Boolean),
    ),
  ].sort();
}

/** The warnings an acknowledgement does not cover. */
export function uncovered(warnings: readonly BatchWarning[], acknowledged: readonly string[]): BatchWarning[] {
  const ack = new Set(acknowledged);
  return warnings.filter((w) => !ack.has(w.code));
}
