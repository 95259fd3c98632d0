// Tracking submitted payouts to the end. PayPal's facts are always read from PayPal (GET
// /v1/payments/payouts/{id} with paging, page_size ≤ 1000), never taken from a webhook body: a
// PAYMENT.PAYOUTSBATCH.* or PAYMENT.PAYOUTS-ITEM.* event only says which part to read again, and the poll reads
// the same way when webhooks are lost. Each item's new status is booked once (mapping/payouts/outcome-plan.ts):
// item, bill, PayPal transaction, ledger lines — one change set per item, many items per request.
import type { BatchOp, DataversePort } from '../../adapters/dataverse/types.ts';
import type { PayPalPayoutBatch, PayPalPayoutItem } from '../../adapters/paypal/types.ts';
import type { Store } from '../../adapters/store/store.ts';
import {
  LedgerSourceType,
  moneyValue,
  odataString,
  TransactionKind,
  TransactionStatus,
} from '../../mapping/dataverse-values.ts';
import { money, parseAmount } from '../../mapping/money.ts';
import type { BatchItemRow } from './dataverse-rows.ts';
import {
  BILL_REOPENS,
  isPayPalItemStatus,
  ITEM_STATUS,
  itemMessage,
  MONEY_OUT,
  PayoutItemStatus,
  planStages,
  TERMINAL,
  type ItemFacts,
  type PayPalItemStatus,
} from '../../mapping/payouts/outcome-plan.ts';
import type { HandlerContext } from '../handlers.ts';
import { readResource, reportForgery, type ForgeryReporting } from '../paypal-truth.ts';
import { PayoutBatchStatus, VendorBillStatus, writeGroups } from './dataverse-rows.ts';
import type { PayoutFlowDeps } from './batch-events.ts';
import {
  itemByPayPalId,
  itemBySenderId,
  itemsOfPart,
  markItemsBooked,
  openItemCount,
  partByPayPalId,
  partsOf,
  setPartState,
  type ItemRow,
  type PartRow,
} from './payout-store.ts';

type Ctx = Pick<HandlerContext, 'log' | 'eventId' | 'eventType'>;
const BATCH_TERMINAL = new Set(['SUCCESS', 'DENIED', 'CANCELED']);
const TXN_STATUS: Partial<Record<PayPalItemStatus, { statecode: number; statuscode: number }>> = {
  SUCCESS: TransactionStatus.Completed,
  UNCLAIMED: TransactionStatus.Pending,
  ONHOLD: TransactionStatus.OnHold,
  RETURNED: TransactionStatus.Reversed,
  REVERSED: TransactionStatus.Reversed,
  REFUNDED: TransactionStatus.Refunded,
};

/** PayPal's item (GET item, or an entry of GET batch) as facts; undefined when it is not a payout item we can read. */
export function itemFacts(
  raw: PayPalPayoutItem | NonNullable<PayPalPayoutBatch['items']>[number],
  batchId?: string,
): ItemFacts | undefined {
  const r = raw as {
    payout_item_id?: string;
    transaction_id?: string;
    transaction_status?: string;
    payout_item_fee?: { currency?: string; value?: string };
    payout_batch_id?: string;
    payout_item?: { amount?: { currency?: string; value?: string }; sender_item_id?: string };
    time_processed?: string;
    errors?: { name?: string; message?: string };
  };
  const amount = r.payout_item?.amount;
  if (!r.payout_item_id || !amount?.currency || !amount.value || !isPayPalItemStatus(r.transaction_status))
    return undefined;
  const cur = amount.currency;
  return {
    payoutItemId: r.payout_item_id,
    senderItemId: r.payout_item?.sender_item_id ?? '',
    payoutBatchId: r.payout_batch_id ?? batchId ?? '',
    ...(r.transaction_id ? { transactionId: r.transaction_id } : {}),
    status: r.transaction_status,
    amount: parseAmount(amount.value, cur),
    fee: r.payout_item_fee?.value
      ? parseAmount(r.payout_item_fee.value, r.payout_item_fee.currency ?? cur)
      : money(0, cur),
    ...(r.errors?.name ? { errorName: r.errors.name } : {}),
    ...(r.errors?.message ? { errorMessage: r.errors.message } : {}),
    ...(r.time_processed ? { timeProcessed: r.time_processed } : {}),
  };
}

export interface PayoutTracking {
  itemsBySenderBatch(batchId: string): Promise<Map<string, string[]>>;
  failPart(
    ctx: Ctx,
    batchId: string,
    senderBatchId: string,
    items: readonly BatchItemRow[],
    name: string,
    message: string,
  ): Promise<void>;
  syncBatch(ctx: Ctx, batchId: string): Promise<void>;
  syncPart(ctx: Ctx, part: PartRow): Promise<void>;
  onItemEvent(ctx: HandlerContext): Promise<void>;
  onBatchEvent(ctx: HandlerContext): Promise<void>;
  /** one poll round: parts due (PAYOUT_POLL_SECONDS after their last look) are read again */
  poll(ctx: Pick<HandlerContext, 'log'>, claim: () => Promise<PartRow[]>): Promise<number>;
  /**
   * UNCLAIMED items can be cancelled (POST /v1/payments/payouts-item/{id}/cancel); the money comes back. Returns
   * what happened: 'cancelled' (PayPal's answer booked), 'not-unclaimed:<status>' (PayPal's state booked instead,
   * nothing sent), 'unknown' (not an item this connector submitted).
   */
  cancelUnclaimed(ctx: Ctx, paypalItemId: string): Promise<string>;
}

export function payoutTracking(deps: PayoutFlowDeps & { forgery?: ForgeryReporting['counter'] }): PayoutTracking {
  const dv: DataversePort = deps.dataverse;
  const store: Store = deps.store;
  /** one read of a part at a time per process; item events arriving meanwhile wait for it and find their item booked */
  const inFlight = new Map<string, Promise<void>>();

  async function itemsBySenderBatch(batchId: string): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const p of await partsOf(store, batchId))
      out.set(
        p.sender_batch_id,
        (await itemsOfPart(store, p.sender_batch_id)).map((i) => i.sender_item_id),
      );
    return out;
  }

  /** The Dataverse writes of one item's new PayPal state. */
  async function itemOps(
    facts: ItemFacts,
    row: ItemRow,
    batchId: string,
  ): Promise<{ ops: BatchOp[]; stages: ReturnType<typeof planStages> }> {
    const ref = await deps.reference.get();
    const plan = planStages(facts, row.stages, ref);
    const cur = facts.amount.currency;
    const currencyId = ref.currencyId(cur);
    const currencyBind = currencyId ? `/transactioncurrencies(${currencyId})` : undefined;
    const message = itemMessage(facts);
    const ops: BatchOp[] = [
      {
        method: 'PATCH',
        url: `ppc_payoutitems(${row.sender_item_id})`,
        body: {
          ...ITEM_STATUS[facts.status],
          ppc_paypalitemid: facts.payoutItemId,
          ...(facts.transactionId ? { ppc_paypaltransactionref: facts.transactionId } : {}),
          // PayPal's fee is charged only when the money left the balance (a FAILED or BLOCKED item costs nothing)
          ppc_feeamount: MONEY_OUT.has(facts.status) ? moneyValue(facts.fee) : 0,
          ppc_errorname:
            facts.errorName ?? (TERMINAL.has(facts.status) && facts.status !== 'SUCCESS' ? facts.status : null),
          ppc_errormessage: message ?? null,
        },
        ifMatch: '*',
      },
    ];
    const bill = `ppc_vendorbills(${row.bill_id})`;
    if (facts.status === 'SUCCESS')
      ops.push({
        method: 'PATCH',
        url: bill,
        body: { ...VendorBillStatus.Paid, ppc_paidon: facts.timeProcessed ?? new Date().toISOString() },
        ifMatch: '*',
      });
    else if (BILL_REOPENS.has(facts.status))
      ops.push({
        method: 'PATCH',
        url: bill,
        body: { ...VendorBillStatus.Open, 'ppc_payoutitemid@odata.bind': null, ppc_paidon: null },
        ifMatch: '*',
      });
    const txnStatus = TXN_STATUS[facts.status];
    const txnKey = facts.transactionId
      ? `ppc_paypaltransactions(ppc_paypalid=${odataString(facts.transactionId)})`
      : undefined;
    if (txnKey && txnStatus) {
      ops.push({
        method: 'PATCH',
        url: txnKey,
        body: {
          ppc_name: `Payout item ${facts.payoutItemId}`,
          ppc_kind: TransactionKind.PayoutItem,
          ...txnStatus,
          ppc_paypalstatus: facts.status,
          ...(currencyBind ? { 'transactioncurrencyid@odata.bind': currencyBind } : {}),
          ppc_grossamount: moneyValue(facts.amount),
          ppc_feeamount: moneyValue(facts.fee),
          ppc_netamount: moneyValue(money(-(facts.amount.minor + facts.fee.minor), cur)),
          ppc_basecurrencycode: ref.baseCurrency,
          'ppc_payoutitemid@odata.bind': `/ppc_payoutitems(${row.sender_item_id})`,
          ...(row.vendor_id
            ? row.vendor_table === 'contact'
              ? { 'ppc_contactid@odata.bind': `/contacts(${row.vendor_id})` }
              : { 'ppc_accountid@odata.bind': `/accounts(${row.vendor_id})` }
            : {}),
          ...(facts.timeProcessed ? { ppc_transactiondate: facts.timeProcessed } : {}),
        },
      });
    }
    for (const line of plan.lines) {
      ops.push({
        method: 'PATCH',
        url: `ppc_ledgerentries(ppc_sourceid=${odataString(facts.payoutItemId)},ppc_lineno=${line.lineNo})`,
        body: {
          ppc_name: `${facts.payoutItemId} #${line.lineNo}`,
          ppc_sourcetype: LedgerSourceType.Payout,
          ppc_accountcode: line.accountCode,
          ppc_purpose: line.purpose,
          ppc_side: line.side,
          ppc_amount: moneyValue(line.amount),
          ...(currencyBind ? { 'transactioncurrencyid@odata.bind': currencyBind } : {}),
          ppc_basecurrencycode: ref.baseCurrency,
          ...(line.base ? { ppc_baseamount: moneyValue(line.base) } : {}),
          ppc_postingdate: (facts.timeProcessed ?? new Date().toISOString()).slice(0, 10),
          ppc_description: line.description.slice(0, 200),
          'ppc_payoutbatchid@odata.bind': `/ppc_payoutbatches(${batchId})`,
          ...(txnKey ? { 'ppc_transactionid@odata.bind': `/${txnKey}` } : {}),
        },
      });
    }
    return { ops, stages: plan };
  }

  /** Books the facts whose status (or stages) the store has not booked yet. */
  async function book(ctx: Ctx, facts: readonly ItemFacts[], rows: Map<string, ItemRow>): Promise<number> {
    const groups: BatchOp[][] = [];
    const booked: { senderItemId: string; paypalItemId: string; status: string; stages: string[] }[] = [];
    for (const f of facts) {
      const row = rows.get(f.senderItemId.toLowerCase());
      if (!row) {
        ctx.log.warn({ payoutItemId: f.payoutItemId }, 'PayPal payout item is not one of this batch: ignored');
        continue;
      }
      if (row.status === f.status && row.paypal_item_id === f.payoutItemId) continue;
      const { ops, stages } = await itemOps(f, row, row.batch_id);
      groups.push(ops);
      booked.push({
        senderItemId: row.sender_item_id,
        paypalItemId: f.payoutItemId,
        status: f.status,
        stages: [...row.stages, ...stages.add],
      });
    }
    if (!groups.length) return 0;
    await writeGroups(dv, groups, deps.chunkOps);
    await markItemsBooked(store, booked as Parameters<typeof markItemsBooked>[1]);
    return groups.length;
  }

  /** GET the PayPal batch page by page and book every item that changed; the part ends when PayPal's does. */
  async function readPart(ctx: Ctx, part: PartRow): Promise<void> {
    if (!part.paypal_batch_id) return;
    const rows = new Map((await itemsOfPart(store, part.sender_batch_id)).map((r) => [r.sender_item_id, r]));
    let page = 1;
    let batchStatus = 'PENDING';
    let changed = 0;
    for (;;) {
      const answer = await deps.paypal.getPayoutBatch(part.paypal_batch_id, {
        page,
        page_size: 1000,
        total_required: true,
      });
      batchStatus = String((answer.batch_header as { batch_status?: string } | undefined)?.batch_status ?? batchStatus);
      const facts = (answer.items ?? [])
        .map((i) => itemFacts(i, part.paypal_batch_id!))
        .filter((f): f is ItemFacts => f !== undefined);
      changed += await book(ctx, facts, rows);
      const totalPages = Number((answer as { total_pages?: number }).total_pages ?? 1);
      if (page >= totalPages || (answer.items ?? []).length === 0) break;
      page += 1;
    }
    const open = [...(await itemsOfPart(store, part.sender_batch_id))].filter((r) => !TERMINAL.has(r.status)).length;
    const done = BATCH_TERMINAL.has(batchStatus) && open === 0;
    await setPartState(store, part.sender_batch_id, batchStatus, done);
    ctx.log.info({ part: part.sender_batch_id, batchStatus, changed, open, done }, 'payout part read from PayPal');
    await maybeComplete(ctx, part.batch_id);
  }

  function syncPart(ctx: Ctx, part: PartRow): Promise<void> {
    const key = part.sender_batch_id;
    const running = inFlight.get(key);
    if (running) return running;
    const p = readPart(ctx, part).finally(() => inFlight.delete(key));
    inFlight.set(key, p);
    return p;
  }

  async function maybeComplete(ctx: Ctx, batchId: string): Promise<void> {
    const parts = await partsOf(store, batchId);
    if (!parts.length || parts.some((p) => !p.done)) return;
    if ((await openItemCount(store, batchId, [...TERMINAL])) > 0) return;
    const { rows } = await store.query<{ status: string; n: string }>(
      `SELECT status, count(*)::text AS n FROM payout_items WHERE batch_id = $1::uuid GROUP BY status ORDER BY status`,
      [batchId],
    );
    await dv.update(`ppc_payoutbatches(${batchId})`, {
      // Failed when PayPal denied every part (nothing was paid); Completed otherwise, each item with its outcome
      ...(parts.every((p) => p.paypal_status === 'DENIED') ? PayoutBatchStatus.Failed : PayoutBatchStatus.Completed),
      ppc_paypalstatus: [...new Set(parts.map((p) => p.paypal_status))].join(',').slice(0, 32),
      ppc_paypalbatchid: parts
        .map((p) => p.paypal_batch_id)
        .join(',')
        .slice(0, 64),
    });
    ctx.log.info(
      { batchId, items: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) },
      'payout batch completed',
    );
  }

  return {
    itemsBySenderBatch,
    async failPart(ctx, batchId, senderBatchId, items, name, message) {
      await writeGroups(
        dv,
        items.map((i) => [
          {
            method: 'PATCH' as const,
            url: `ppc_payoutitems(${i.itemId})`,
            body: {
              ...PayoutItemStatus.Failed,
              ppc_errorname: name.slice(0, 100),
              ppc_errormessage: message.slice(0, 2000),
            },
            ifMatch: '*',
          },
          {
            method: 'PATCH' as const,
            url: `ppc_vendorbills(${i.billId})`,
            body: { ...VendorBillStatus.Open, 'ppc_payoutitemid@odata.bind': null },
            ifMatch: '*',
          },
        ]),
        deps.chunkOps,
      );
      await store.query(`UPDATE payout_items SET status = 'FAILED', updated_at = now() WHERE sender_batch_id = $1`, [
        senderBatchId,
      ]);
      await setPartState(store, senderBatchId, 'DENIED', true);
      ctx.log.warn({ batchId, part: senderBatchId, name }, 'PayPal refused the payout part: its bills are Open again');
      await maybeComplete(ctx, batchId);
    },
    async syncBatch(ctx, batchId) {
      for (const p of await partsOf(store, batchId)) if (p.paypal_batch_id && !p.done) await syncPart(ctx, p);
    },
    syncPart,
    async onItemEvent(ctx) {
      const resource = (ctx.event as { resource?: Record<string, unknown> } | undefined)?.resource ?? {};
      const paypalItemId = typeof resource.payout_item_id === 'string' ? resource.payout_item_id : '';
      const claimed = resource.transaction_status;
      let row = paypalItemId ? await itemByPayPalId(store, paypalItemId) : undefined;
      if (row && row.status === claimed) return; // booked already: this event moves nothing
      if (!row) {
        // Not known by this id yet: PayPal's item (GET item); an id PayPal does not know is a forged notification.
        const answer = await readResource(() => deps.paypal.getPayoutItem(paypalItemId));
        if (!answer)
          return reportForgery(
            { dataverse: dv, ...(deps.forgery ? { counter: deps.forgery } : {}) },
            ctx,
            { kind: 'payout_item', id: paypalItemId },
            [],
          );
        const facts = itemFacts(answer);
        row = facts ? await itemBySenderId(store, facts.senderItemId) : undefined;
        if (!facts || !row) {
          ctx.log.info({ paypalItemId }, 'payout item event for an item this connector did not submit: ignored');
          return;
        }
        if (row.status === facts.status && row.paypal_item_id === facts.payoutItemId) return;
      }
      const senderItemId = row.sender_item_id;
      const part = (await partsOf(store, row.batch_id)).find((p) => p.sender_batch_id === row.sender_batch_id);
      if (!part?.paypal_batch_id) return; // the submission books the first statuses once PayPal answered it
      // One read of the whole part (GET batch, PayPal's facts) books this item and its neighbours: item events
      // arriving meanwhile wait for it and find their item booked. A read that started before this item changed
      // is followed by one more.
      await syncPart(ctx, part);
      const after = await itemBySenderId(store, senderItemId);
      if (after && after.status !== claimed && !TERMINAL.has(after.status)) await syncPart(ctx, part);
    },
    async onBatchEvent(ctx) {
      const resource = (ctx.event as { resource?: { batch_header?: { payout_batch_id?: string } } } | undefined)
        ?.resource;
      const paypalBatchId = resource?.batch_header?.payout_batch_id ?? '';
      const part = paypalBatchId ? await partByPayPalId(store, paypalBatchId) : undefined;
      if (!part) {
        const known = await readResource(() => deps.paypal.getPayoutBatch(paypalBatchId, { page_size: 1 }));
        if (!known)
          return reportForgery(
            { dataverse: dv, ...(deps.forgery ? { counter: deps.forgery } : {}) },
            ctx,
            { kind: 'payout_batch', id: paypalBatchId },
            [],
          );
        ctx.log.info({ paypalBatchId }, 'payout batch event for a batch this connector did not submit: ignored');
        return;
      }
      if (part.done) return; // every item booked and the batch ended: a late or repeated batch event
      await syncPart(ctx, part);
    },
    async poll(ctx, claim) {
      const due = await claim();
      for (const part of due)
        await syncPart({ ...ctx, eventId: `poll:${part.sender_batch_id}`, eventType: 'poll' }, part);
      return due.length;
    },
    async cancelUnclaimed(ctx, paypalItemId) {
      const row = await itemByPayPalId(store, paypalItemId);
      if (!row) return 'unknown';
      // PayPal's state decides, not ours (which may not have caught up with the item's last event): only an
      // UNCLAIMED item can be cancelled (developer.paypal.com/docs/api/payments.payouts-batch/v1/#payouts-item_cancel);
      // any other state read is booked instead, so D365 shows what PayPal has.
      const current = itemFacts(await deps.paypal.getPayoutItem(paypalItemId));
      if (current?.status !== 'UNCLAIMED') {
        if (current && current.status !== row.status) await book(ctx, [current], new Map([[row.sender_item_id, row]]));
        if (current && TERMINAL.has(current.status)) await maybeComplete(ctx, row.batch_id);
        return `not-unclaimed:${current?.status ?? 'unreadable'}`;
      }
      const answer = await deps.paypal.cancelPayoutItem(paypalItemId);
      const facts = itemFacts(answer);
      if (facts) await book(ctx, [facts], new Map([[row.sender_item_id, row]]));
      await maybeComplete(ctx, row.batch_id);
      return 'cancelled';
    },
  };
}
