// Catch-up: a PayPal money movement that Dynamics 365 does not have is created through the SAME flow its
// webhook would have run. We read the resource from PayPal's API (capture, sale or refund by id), wrap PayPal's
// own answer in the event its webhook carries (PAYMENT.CAPTURE.COMPLETED / PENDING / DECLINED, PAYMENT.SALE.
// COMPLETED, PAYMENT.CAPTURE.REFUNDED / REVERSED) and store it in the inbox with its job, exactly as the
// intake stores a verified webhook. The flow then re-reads PayPal as for any webhook (flows/paypal-truth.ts).
// The event id is derived from the PayPal id: catching the same movement up twice stores one event.
//
// Transaction Search backfill: windows of at most 31 days (PayPal's limit) that overlap the previous one,
// ending before the ~3 h availability lag, never before the cutover date, paged to the last page.
import type { PgBoss } from 'pg-boss';
import type { Store } from '../adapters/store/store.ts';
import type { PayPalClient } from '../adapters/paypal/client.ts';
import { readResource } from '../flows/paypal-truth.ts';
import { insertInboxEvents } from '../queue/inbox.ts';
import { QUEUES, type InboxJob } from '../queue/job-queue.ts';
import { bookedAsTransaction, classify, type TCodeClass } from './tcodes.ts';

export interface CatchUpItem {
  paypalId: string;
  tclass: TCodeClass;
}

export interface CatchUpDeps {
  store: Store;
  boss: PgBoss;
  paypal: Pick<PayPalClient, 'getCapture' | 'getSale' | 'getRefund'>;
  now?: () => Date;
}

export const CATCH_UP_EVENT_PREFIX = 'WH-RECON-';

async function eventFor(deps: CatchUpDeps, item: CatchUpItem) {
  const { paypal } = deps;
  if (item.tclass === 'payment') {
    const capture = await readResource(() => paypal.getCapture(item.paypalId));
    if (capture) {
      const status = String((capture as { status?: string }).status ?? '');
      const type =
        status === 'PENDING'
          ? 'PAYMENT.CAPTURE.PENDING'
          : status === 'DECLINED' || status === 'FAILED'
            ? 'PAYMENT.CAPTURE.DECLINED'
            : 'PAYMENT.CAPTURE.COMPLETED';
      return { type, resourceType: 'capture', resourceVersion: '2.0', resource: capture };
    }
    const sale = await readResource(() => paypal.getSale(item.paypalId));
    if (sale) return { type: 'PAYMENT.SALE.COMPLETED', resourceType: 'sale', resourceVersion: '1.0', resource: sale };
    return undefined;
  }
  if (item.tclass === 'refund' || item.tclass === 'reversal') {
    const refund = await readResource(() => paypal.getRefund(item.paypalId));
    if (!refund) return undefined;
    const type = item.tclass === 'reversal' ? 'PAYMENT.CAPTURE.REVERSED' : 'PAYMENT.CAPTURE.REFUNDED';
    return { type, resourceType: 'refund', resourceVersion: '2.0', resource: refund };
  }
  return undefined;
}

/** Stores a synthesized event per item (inbox + job, one transaction each). Returns the ids enqueued. */
export async function enqueueCatchUp(
  deps: CatchUpDeps,
  items: CatchUpItem[],
): Promise<{ enqueued: string[]; unknown: string[]; already: string[] }> {
  const enqueued: string[] = [];
  const unknown: string[] = [];
  const already: string[] = [];
  const now = (deps.now ?? (() => new Date()))().toISOString();
  for (const item of items) {
    if (!bookedAsTransaction(item.tclass)) continue;
    const e = await eventFor(deps, item);
    if (!e) {
      unknown.push(item.paypalId);
      continue;
    }
    const event = {
      id: `${CATCH_UP_EVENT_PREFIX}${item.paypalId}`,
      event_version: '1.0',
      create_time: now,
      resource_type: e.resourceType,
      resource_version: e.resourceVersion,
      event_type: e.type,
      summary: `Caught up by reconciliation from PayPal's ${e.resourceType} ${item.paypalId}`,
      resource: e.resource,
      links: [],
    };
    const stored = await deps.store.transaction(async (tx) => {
      const [id] = await insertInboxEvents(tx, [
        { source: 'paypal', eventId: event.id, eventType: event.event_type, knownType: true, payload: event },
      ]);
      if (!id) return false;
      const jobs: { data: InboxJob }[] = [{ data: { inboxId: id, attempt: 1 } }];
      await deps.boss.insert(QUEUES.inbound, jobs, { db: tx.bossDb });
      return true;
    });
    (stored ? enqueued : already).push(item.paypalId);
  }
  return { enqueued, unknown, already };
}

export interface SearchWindow {
  start: Date;
  end: Date;
}

const DAY = 86_400_000;

/**
 * The Transaction Search windows covering [from, to): at most 31 days each, each starting `overlapMs` before
 * the previous one ended, `to` capped at now − lag, `from` raised to the cutover.
 */
export function searchWindows(
  from: Date,
  to: Date,
  opts: { now: Date; lagMs: number; overlapMs: number; cutover?: Date },
): SearchWindow[] {
  const start = Math.max(from.getTime(), opts.cutover?.getTime() ?? 0);
  const end = Math.min(to.getTime(), opts.now.getTime() - opts.lagMs);
  const windows: SearchWindow[] = [];
  for (let s = start; s < end;) {
    const e = Math.min(s + 31 * DAY - 1000, end);
    windows.push({ start: new Date(s), end: new Date(e) });
    if (e >= end) break;
    s = e - opts.overlapMs;
  }
  return windows;
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface SearchedTransaction {
  paypalId: string;
  eventCode: string;
  tclass: TCodeClass;
  status: string;
  /** transaction_amount.currency_code ('' when PayPal leaves it out) */
  currency: string;
}

/** Every balance-affecting transaction PayPal lists in the windows, each once, paged to the end. */
export async function searchAll(
  paypal: Pick<PayPalClient, 'searchTransactions'>,
  windows: SearchWindow[],
  pageSize = 500,
): Promise<SearchedTransaction[]> {
  const seen = new Map<string, SearchedTransaction>();
  for (const w of windows) {
    for (let page = 1; ; page++) {
      const res = (await paypal.searchTransactions({
        start_date: rfc3339(w.start),
        end_date: rfc3339(w.end),
        fields: 'transaction_info',
        page_size: pageSize,
        page,
      })) as {
        transaction_details?: {
          transaction_info?: {
            transaction_id?: string;
            transaction_event_code?: string;
            transaction_status?: string;
            transaction_amount?: { currency_code?: string };
          };
        }[];
        total_pages?: number;
      };
      for (const d of res.transaction_details ?? []) {
        const info = d.transaction_info ?? {};
        const id = String(info.transaction_id ?? '');
        const code = String(info.transaction_event_code ?? '');
        if (!id || seen.has(id)) continue;
        seen.set(id, {
          paypalId: id,
          eventCode: code,
          tclass: classify(code),
          status: String(info.transaction_status ?? ''),
          currency: String(info.transaction_amount?.currency_code ?? ''),
        });
      }
      if (page >= (res.total_pages ?? 1)) break;
    }
  }
  return [...seen.values()];
}
