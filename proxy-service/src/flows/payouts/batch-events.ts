// A payout batch's own events (the solution's async Update step on ppc_payoutbatch.statuscode posts the
// RemoteExecutionContext; the PostImage says what this update did):
// - Pending approval ("Build payout batch", a PayPal Finance user): the requester is the event's InitiatingUserId;
//   the proxy picks the due Open bills, checks each (mapping/payouts/batch-plan.ts), writes valid and excluded items,
//   the bills In payout, totals per currency, and records the requester in its own store;
// - Approved (a Payout Approver other than the requester, four-eyes.ts PAYOUT_RULE): the proxy records the parts in
//   its store, marks the batch Processing with who approved, and sends POST /v1/payments/payouts per part with
//   sender_batch_id = the batch id (per currency / 15,000 items: batch-plan.ts splitParts) and sender_item_id = the
//   item id; PayPal-Request-Id = sender_batch_id, so a retry after a timeout or a 5xx replays the first answer;
// - Rejected: the bills go back to Open and the items are excluded with the comment.
import type { DataversePort } from '../../adapters/dataverse/types.ts';
import type { PayPalClient } from '../../adapters/paypal/index.ts';
import { payPalErrorDetails } from '../../adapters/paypal/index.ts';
import { forgetRequest, recordedRequester, recordRequest } from '../../adapters/store/four-eyes-requests.ts';
import type { Store } from '../../adapters/store/store.ts';
import { AppError } from '../../errors.ts';
import { decimalToMinor, moneyValue, toDecimal } from '../../mapping/dataverse-values.ts';
import { actingUser, PAYOUT_RULE } from '../../mapping/four-eyes.ts';
import { formatAmount, formatPayPalAmount, money } from '../../mapping/money.ts';
import { planBatch, RECIPIENT_OF_CHOICE, splitParts, type PlannedItem } from '../../mapping/payouts/batch-plan.ts';
import { DEFAULT_FEE_TABLE, feeEstimate, type FeeTable } from '../../mapping/payouts/fees.ts';
import { acknowledgedCodes, batchWarnings, uncovered, warningsText } from '../../mapping/payouts/warnings.ts';
import { PayoutItemStatus } from '../../mapping/payouts/outcome-plan.ts';
import { ReceiverType } from '@ppc/solution';
import { approvalRecord, checkApproval, checkRequest, postImageValue, type ApprovalEvent } from '../approvals.ts';
import type { HandlerContext } from '../handlers.ts';
import type { ReferenceDataSource } from '../reference-data.ts';
import {
  batchItems,
  billsInOpenItems,
  dueBills,
  PayoutBatchStatus,
  readBatch,
  VendorBillStatus,
  writeGroups,
  type BatchItemRow,
} from './dataverse-rows.ts';
import { randomUUID } from 'node:crypto';
import {
  builtItems,
  latestAcknowledgement,
  partsOf,
  recordAcknowledgement,
  requestedAt,
  recordBuiltItems,
  recordParts,
  releaseLease,
  setPartSubmitted,
  takeLease,
} from './payout-store.ts';
import type { PayoutTracking } from './tracking.ts';

export interface PayoutFlowDeps {
  dataverse: DataversePort;
  reference: ReferenceDataSource;
  paypal: Pick<PayPalClient, 'createPayout' | 'getPayoutBatch' | 'getPayoutItem' | 'cancelPayoutItem'>;
  store: Store;
  /** change-set size of the bulk writes */
  chunkOps?: number;
  /** approval limit of a Payout Approver in base-currency minor units (PAYOUT_APPROVAL_LIMITS), undefined: none */
  approvalLimit?: (approverId: string) => number | undefined;
  /** fee estimate per currency (PAYOUT_FEE_TABLE); the shipped table when absent */
  feeTable?: FeeTable;
  /** how long one build may hold the build lease (no two builds pick bills at the same time) */
  buildLeaseMs?: number;
  now?: () => Date;
}

/** The requester recorded for a batch the schedule built (no person asked; any Payout Approver may approve). */
export const SCHEDULE_REQUESTER = '00000000-0000-4000-8000-00000000b11d';

export interface PayoutBatchEvents {
  /** the Dataverse Update:ppc_payoutbatch handler */
  onBatchUpdated(ctx: HandlerContext): Promise<void>;
  /**
   * Builds a batch that exists in Dataverse from the due bills (of `currencies` when given) for `requester`; the
   * batch goes to Pending approval. Returns the number of bills picked (0: nothing due, the batch is left Draft).
   */
  buildFor(
    ctx: Pick<HandlerContext, 'log' | 'store'>,
    batchId: string,
    requester: string,
    currencies?: ReadonlySet<string>,
  ): Promise<number>;
}

/** A column the update itself set (the step's Target): what the user sent with this very update. */
export function targetValue(event: unknown, column: string): unknown {
  const params = (
    event as { InputParameters?: { key: string; value?: { Attributes?: { key: string; value: unknown }[] } }[] }
  )?.InputParameters;
  const target = params?.find((p) => p.key === 'Target')?.value;
  return target?.Attributes?.find((a) => a.key === column)?.value;
}

/** PayPal's id of the original payout in a duplicate-sender_batch_id answer (its HATEOAS link), if it has one. */
export function linkedPayoutBatchId(d: { details: unknown[]; links?: unknown }): string | undefined {
  const hrefs: string[] = [];
  const collect = (links: unknown) => {
    if (Array.isArray(links))
      for (const l of links)
        if (l && typeof (l as { href?: unknown }).href === 'string') hrefs.push((l as { href: string }).href);
  };
  collect(d.links);
  for (const x of d.details)
    collect((x as { link?: unknown; links?: unknown })?.link ?? (x as { links?: unknown })?.links);
  for (const h of hrefs) {
    const m = /\/v1\/payments\/payouts\/([A-Za-z0-9]+)(?:[?#]|$)/.exec(h);
    if (m) return m[1];
  }
  return undefined;
}

type BatchEvent = ApprovalEvent & { PrimaryEntityId: string };

const batchPath = (id: string) => `ppc_payoutbatches(${id})`;
const RECEIVER_CHOICE: Record<string, number> = {
  EMAIL: ReceiverType.Email,
  PHONE: ReceiverType.Phone,
  PAYPAL_ID: ReceiverType.PayPalId,
};

export function payoutBatchEvents(deps: PayoutFlowDeps, tracking: PayoutTracking): PayoutBatchEvents {
  const dv = deps.dataverse;
  const now = deps.now ?? (() => new Date());
  const feeTable = deps.feeTable ?? DEFAULT_FEE_TABLE;

  /** One build at a time (command bar or schedule, any replica): the second would pick the same Open bills. */
  async function withBuildLease<T>(run: () => Promise<T>): Promise<T> {
    const holder = randomUUID();
    if (!(await takeLease(deps.store, 'payout-build', holder, deps.buildLeaseMs ?? 600_000)))
      throw new AppError({
        code: 'payout_build_busy',
        message: 'another payout batch is being built: this build runs again in a moment',
        failure: 'in_progress',
      });
    try {
      return await run();
    } finally {
      await releaseLease(deps.store, 'payout-build', holder);
    }
  }

  async function currencyBind(code: string): Promise<string> {
    const id = (await deps.reference.get()).currencyId(code);
    if (!id)
      throw new AppError({
        code: 'currency_missing',
        message: `currency ${code} is not enabled in Dataverse`,
        failure: 'rejected',
      });
    return `/transactioncurrencies(${id})`;
  }

  /** Pending approval: who asked, then build the batch from the due bills. */
  async function request(ctx: HandlerContext, event: BatchEvent, batchId: string): Promise<void> {
    const checked = await checkRequest(dv, PAYOUT_RULE, event);
    const at = now();
    if (!checked.decision.ok) {
      await forgetRequest(ctx.store, PAYOUT_RULE.subject, batchId);
      await dv.update(batchPath(batchId), {
        ...PayoutBatchStatus.Draft,
        ppc_failurereason: checked.decision.reason,
        'ppc_submittedby@odata.bind': checked.user ? `/systemusers(${checked.user})` : null,
        ppc_submittedon: at.toISOString(),
      });
      ctx.log.info({ batchId, reason: checked.decision.reason }, 'payout batch request refused');
      return;
    }
    // Idempotent: item ids are name-based (batch, bill) and every write an upsert, so a build cut short by a
    // failure is completed by the job's retry; the totals are read back from all the batch's items.
    await withBuildLease(async () => {
      const { summary } = await build(ctx, batchId, at);
      // Before the batch shows its totals, so an approval always finds the request it refers to.
      await recordRequest(ctx.store, PAYOUT_RULE.subject, batchId, checked.user!, at);
      await dv.update(batchPath(batchId), {
        ...summary,
        'ppc_submittedby@odata.bind': `/systemusers(${checked.user})`,
        ppc_submittedon: at.toISOString(),
        'ppc_approvedby@odata.bind': null,
        ppc_approvedon: null,
      });
    });
  }

  async function buildFor(
    ctx: Pick<HandlerContext, 'log' | 'store'>,
    batchId: string,
    requester: string,
    currencies?: ReadonlySet<string>,
  ): Promise<number> {
    const at = now();
    return withBuildLease(async () => {
      const { summary, picked } = await build(ctx, batchId, at, currencies);
      if (picked === 0) return 0;
      await recordRequest(ctx.store, PAYOUT_RULE.subject, batchId, requester, at);
      await dv.update(batchPath(batchId), {
        ...summary,
        ...PayoutBatchStatus.PendingApproval,
        ppc_submittedon: at.toISOString(),
        'ppc_approvedby@odata.bind': null,
        ppc_approvedon: null,
      });
      return picked;
    });
  }

  async function build(
    ctx: Pick<HandlerContext, 'log' | 'store'>,
    batchId: string,
    at: Date,
    currencies?: ReadonlySet<string>,
  ): Promise<{ summary: Record<string, unknown>; picked: number }> {
    const ref = await deps.reference.get();
    const limitText = ref.envVars.ppc_PayoutItemLimit?.trim();
    const due = await dueBills(dv, at.toISOString().slice(0, 10));
    const bills = currencies ? due.filter((b) => currencies.has(b.amount.currency)) : due;
    if (bills.length === 0) return { summary: {}, picked: 0 };
    const inOpen = await billsInOpenItems(dv, batchId);
    const plan = planBatch(batchId, bills, {
      inOpenBatch: inOpen,
      ...(limitText && /^\d+(\.\d+)?$/.test(limitText)
        ? { itemLimitMinor: (cur: string) => decimalToMinor(limitText, cur) }
        : {}),
      feeEstimate: (amount) => feeEstimate(feeTable, amount),
    });
    const groups = [];
    for (const it of plan.items) {
      groups.push([
        {
          method: 'PATCH' as const,
          url: `ppc_payoutitems(${it.itemId})`,
          body: {
            ...itemBody(batchId, it.itemId, it.billId, `${it.billName} → ${it.receiver}`),
            ppc_receivertype: RECEIVER_CHOICE[it.recipientType],
            ppc_receiver: it.receiver,
            ppc_amount: moneyValue(it.amount),
            'transactioncurrencyid@odata.bind': await currencyBind(it.amount.currency),
            ...PayoutItemStatus.New,
          },
        },
        {
          method: 'PATCH' as const,
          url: `ppc_vendorbills(${it.billId})`,
          body: { ...VendorBillStatus.InPayout, 'ppc_payoutitemid@odata.bind': `/ppc_payoutitems(${it.itemId})` },
          ifMatch: '*',
        },
      ]);
    }
    for (const ex of plan.excluded) {
      const cur = ex.bill.amount.currency;
      const curId = ref.currencyId(cur);
      groups.push([
        {
          method: 'PATCH' as const,
          url: `ppc_payoutitems(${ex.itemId})`,
          body: {
            ...itemBody(batchId, ex.itemId, ex.bill.id, `${ex.bill.name} (excluded)`),
            ...(ex.bill.receiver ? { ppc_receiver: ex.bill.receiver.slice(0, 254) } : {}),
            ...(ex.bill.receiverType !== undefined && RECIPIENT_OF_CHOICE[ex.bill.receiverType]
              ? { ppc_receivertype: ex.bill.receiverType }
              : {}),
            ...(curId
              ? {
                  ppc_amount: moneyValue(ex.bill.amount),
                  'transactioncurrencyid@odata.bind': `/transactioncurrencies(${curId})`,
                }
              : {}),
            ppc_errorname: 'EXCLUDED',
            ppc_errormessage: ex.reason.slice(0, 2000),
            ...PayoutItemStatus.Excluded,
          },
        },
      ]);
    }
    await writeGroups(dv, groups, deps.chunkOps);
    // What the requester's build checked: an approval pays exactly this (item columns are writable in D365).
    await recordBuiltItems(
      deps.store,
      batchId,
      plan.items,
      plan.excluded.map((e) => e.itemId),
    );
    ctx.log.info(
      { batchId, valid: plan.items.length, excluded: plan.excluded.length },
      'payout batch built from due vendor bills',
    );
    return { summary: await summaryOf(await batchItems(dv, batchId)), picked: bills.length };
  }

  /** Items, totals and fee estimates per currency of the valid items; the exclusions with their reasons. */
  async function summaryOf(items: readonly BatchItemRow[]): Promise<Record<string, unknown>> {
    const valid = items.filter((i) => i.statuscode === PayoutItemStatus.New.statuscode);
    const excluded = items.filter((i) => i.statuscode === PayoutItemStatus.Excluded.statuscode);
    const totals = new Map<string, { amount: number; fee: number; count: number }>();
    for (const i of valid) {
      const t = totals.get(i.currency) ?? { amount: 0, fee: 0, count: 0 };
      t.amount += i.amountMinor;
      t.fee += feeEstimate(feeTable, money(i.amountMinor, i.currency)).minor;
      t.count += 1;
      totals.set(i.currency, t);
    }
    const currencies = [...totals.keys()].sort();
    const totalsText = currencies
      .map((c) => {
        const t = totals.get(c)!;
        return `${c}: ${t.count} items, ${formatAmount(money(t.amount, c))} (fee estimate ${formatAmount(money(t.fee, c))})`;
      })
      .join('\n');
    const single = currencies.length === 1 ? currencies[0]! : undefined;
    const t = single ? totals.get(single)! : undefined;
    return {
      ppc_itemcount: valid.length,
      ppc_currencytotals: (totalsText || 'no valid items').slice(0, 2000),
      ...(single && t
        ? {
            ppc_totalamount: toDecimal(t.amount, single),
            ppc_feeamount: toDecimal(t.fee, single),
            'transactioncurrencyid@odata.bind': await currencyBind(single),
          }
        : {}),
      ppc_failurereason: excluded.length
        ? `${excluded.length} bill(s) excluded:\n${excluded
            .map((e) => `${e.name.replace(/ \(excluded\)$/, '')}: ${e.message ?? ''}`)
            .sort()
            .join('\n')}`.slice(0, 2000)
        : null,
      ppc_warnings: warningsText(batchWarnings(valid, excluded.length)),
      // an acknowledgement refers to the warnings of one build
      ppc_acknowledgedwarnings: null,
    };
  }

  function itemBody(batchId: string, itemId: string, billId: string, name: string) {
    return {
      ppc_name: name.slice(0, 200),
      ppc_senderitemid: itemId,
      'ppc_payoutbatchid@odata.bind': `/ppc_payoutbatches(${batchId})`,
      'ppc_vendorbillid@odata.bind': `/ppc_vendorbills(${billId})`,
    };
  }

  /** Approved: the four-eyes check, then the PayPal calls (or their resumption after a retry or a redelivery). */
  async function approve(ctx: HandlerContext, event: BatchEvent, batchId: string, current: number): Promise<void> {
    let parts = await partsOf(ctx.store, batchId);
    // The parts are recorded only after a checked approval; a batch still Approved (a failure between recording
    // them and marking the batch Processing) is checked again before it is marked.
    if (parts.length === 0 || current === PayoutBatchStatus.Approved.statuscode) {
      if (current !== PayoutBatchStatus.Approved.statuscode) {
        ctx.log.info(
          { batchId, statuscode: current },
          'payout approval event for a batch no longer Approved: nothing to do',
        );
        return;
      }
      const requester = await recordedRequester(ctx.store, PAYOUT_RULE.subject, batchId);
      const checked = await checkApproval(dv, PAYOUT_RULE, event, requester);
      const all = await batchItems(dv, batchId);
      const items = all.filter((i) => i.statuscode === PayoutItemStatus.New.statuscode);
      const built = await builtItems(deps.store, batchId);
      let refusal = checked.decision.ok ? undefined : checked.decision.reason;
      if (!refusal && items.length === 0 && parts.length === 0) refusal = 'the batch has no valid item to pay';
      if (!refusal && deps.approvalLimit && parts.length === 0) {
        const limit = deps.approvalLimit(checked.user!);
        const totalBase = await baseTotal(items);
        if (limit !== undefined && (totalBase === undefined || totalBase > limit))
          refusal =
            totalBase === undefined
              ? 'no exchange rate to compare the batch with the approver limit'
              : `the batch total ${formatAmount(money(totalBase, (await deps.reference.get()).baseCurrency))} is above the approver's limit`;
      }
      if (!refusal && parts.length === 0) refusal = tampered(items, built);
      if (checked.decision.ok && parts.length === 0) {
        // Every warning of the batch as it is now must be acknowledged by this approver: their own update of
        // ppc_acknowledgedwarnings since the build (recorded from its event, whose InitiatingUserId is theirs), not
        // a value on the row, which anyone with write access may have put there. Dataverse splits an update of the
        // status and other columns into two operations with one event each (learn.microsoft.com/power-apps/
        // developer/data-platform/special-update-operation-behavior), so the Approve command's single update
        // arrives as an acknowledgement event and a status event, in either order (async steps).
        const warnings = batchWarnings(
          items,
          all.filter((i) => i.statuscode === PayoutItemStatus.Excluded.statuscode).length,
        );
        const offered = await latestAcknowledgement(
          deps.store,
          batchId,
          checked.user!,
          await requestedAt(deps.store, batchId),
        );
        const acknowledged = offered ?? [];
        const missing = uncovered(warnings, acknowledged);
        const onRow = acknowledgedCodes(postImageValue(event, 'ppc_acknowledgedwarnings'));
        if (
          !refusal &&
          missing.length &&
          uncovered(warnings, onRow).length === 0 &&
          onRow.join('\n') !== [...acknowledged].sort().join('\n')
        )
          // The row shows an acknowledgement that covers the warnings but is not this approver's latest: its own
          // event has not been taken yet (async steps arrive in any order). Retried, never taken on the row's word.
          throw new AppError({
            code: 'payout_acknowledgement_pending',
            message: 'the approval names acknowledged warnings whose update has not arrived yet: retried',
            failure: 'not_yet_recorded',
          });
        if (!refusal && missing.length)
          refusal = `the approval does not acknowledge the batch's warnings: ${missing.map((w) => w.code).join(', ')}`;
        await recordAcknowledgement(deps.store, {
          batchId,
          approver: checked.user,
          acknowledged,
          required: warnings.map((w) => w.code),
          accepted: !refusal,
          at: now(),
        });
      }
      if (refusal) {
        if (parts.length) {
          // Recorded by a checked approval before: never undone here (PayPal may have the batch already).
          ctx.log.warn({ batchId, reason: refusal }, 'payout approval event refused, the batch was approved before');
          return;
        }
        // Back to Pending approval: another Payout Approver may approve it.
        await dv.update(batchPath(batchId), {
          ...PayoutBatchStatus.PendingApproval,
          ppc_failurereason: `approval refused: ${refusal}`.slice(0, 2000),
          ppc_acknowledgedwarnings: null,
          'ppc_approvedby@odata.bind': null,
          ppc_approvedon: null,
        });
        ctx.log.info({ batchId, reason: refusal }, 'payout approval refused before PayPal');
        return;
      }
      if (parts.length === 0) {
        // What the build recorded (equal to the items, checked above), with the vendor it found.
        const planned: PlannedItem[] = items.map((i) => ({ ...built.get(i.itemId.toLowerCase())!, billName: i.name }));
        await recordParts(deps.store, batchId, splitParts(batchId, planned));
      }
      await dv.update(batchPath(batchId), {
        ...PayoutBatchStatus.Processing,
        ...approvalRecord(checked.user!, now()),
        ppc_failurereason: null,
        ppc_senderbatchid: batchId,
      });
      parts = await partsOf(ctx.store, batchId);
    }
    // Submit every part PayPal has not answered yet (a retry, a redelivered event, a crash in between).
    const pending = parts.filter((p) => !p.paypal_batch_id);
    if (pending.length === 0) {
      ctx.log.info({ batchId }, 'payout batch already submitted: nothing to do');
      return;
    }
    const items = await batchItems(dv, batchId);
    const byId = new Map(items.map((i) => [i.itemId.toLowerCase(), i]));
    const built = await builtItems(deps.store, batchId);
    const bySender = await tracking.itemsBySenderBatch(batchId);
    const failures: string[] = [];
    for (const part of pending) {
      const partItems = (bySender.get(part.sender_batch_id) ?? [])
        .map((id) => byId.get(id.toLowerCase())!)
        .filter(Boolean);
      try {
        const answer = await deps.paypal.createPayout(
          {
            sender_batch_header: {
              sender_batch_id: part.sender_batch_id,
              email_subject: 'You have a payout',
              email_message: 'You have received a payout for your invoice.',
            },
            items: partItems.map((i: BatchItemRow) => {
              // the values the build recorded and the approval checked, never the item's (editable) columns
              const b = built.get(i.itemId.toLowerCase());
              const amount = b?.amount ?? money(i.amountMinor, i.currency);
              return {
                recipient_type: b?.recipientType ?? RECIPIENT_OF_CHOICE[i.receiverType] ?? 'EMAIL',
                amount: { currency: amount.currency, value: formatPayPalAmount(amount) },
                receiver: b?.receiver ?? i.receiver,
                sender_item_id: i.itemId,
                note: i.name.slice(0, 4000),
              };
            }),
          },
          part.sender_batch_id,
        );
        const header = answer.batch_header as { payout_batch_id?: string; batch_status?: string } | undefined;
        if (!header?.payout_batch_id)
          throw new AppError({
            code: 'paypal_no_batch_id',
            message: 'PayPal answered without payout_batch_id',
            failure: 'bug',
          });
        await setPartSubmitted(
          ctx.store,
          part.sender_batch_id,
          header.payout_batch_id,
          header.batch_status ?? 'PENDING',
        );
        ctx.log.info(
          { batchId, part: part.sender_batch_id, payoutBatchId: header.payout_batch_id, items: partItems.length },
          'payout part submitted',
        );
      } catch (err) {
        const d = payPalErrorDetails(err);
        if (d && isDuplicateSenderBatch(d)) {
          // PayPal already has this sender_batch_id: submitted before (PayPal-Request-Id no longer replays it).
          // Never pay twice: nothing is sent again. PayPal's answer "includes a HATEOAS link to the original payout
          // with the same sender_batch_id" (payments_payouts_batch_v1.json, POST /v1/payments/payouts): that batch
          // is read, and when it is ours (same sender_batch_id) the part continues with it (webhooks, poll).
          const original = await originalPayout(d, part.sender_batch_id);
          if (original) {
            await setPartSubmitted(ctx.store, part.sender_batch_id, original.id, original.status);
            ctx.log.warn(
              { batchId, part: part.sender_batch_id, payoutBatchId: original.id },
              'PayPal had the payout part already: continuing with the batch it links to',
            );
            continue;
          }
          failures.push(
            `${part.sender_batch_id}: PayPal reports this sender_batch_id as already submitted and did not return its payout_batch_id; find it in PayPal and reconcile`,
          );
          ctx.log.warn({ batchId, part: part.sender_batch_id }, 'PayPal says the payout part was already submitted');
          continue;
        }
        if (err instanceof AppError && d && !err.retryable) {
          failures.push(`${part.sender_batch_id}: ${err.message}`);
          // The reason before the items: failing the last part ends the batch Failed, which must say why when seen.
          await dv.update(batchPath(batchId), { ppc_failurereason: failures.join('\n').slice(0, 2000) });
          await tracking.failPart(ctx, batchId, part.sender_batch_id, partItems, d.name, err.message);
          continue;
        }
        throw err; // 429 / 5xx / timeout: the job retries with the same sender_batch_id and PayPal-Request-Id
      }
    }
    if (failures.length) await dv.update(batchPath(batchId), { ppc_failurereason: failures.join('\n').slice(0, 2000) });
    // The item ids and their first statuses (PENDING): read back now, webhooks and the poll do the rest.
    await tracking.syncBatch(ctx, batchId);
  }

  /** The batch a duplicate-sender_batch_id answer links to, read from PayPal; only when it is that sender_batch_id. */
  async function originalPayout(
    d: { details: unknown[]; links?: unknown },
    senderBatchId: string,
  ): Promise<{ id: string; status: string } | undefined> {
    const id = linkedPayoutBatchId(d);
    if (!id) return undefined;
    const answer = await deps.paypal.getPayoutBatch(id, { page_size: 1 });
    const header = answer.batch_header as
      | { payout_batch_id?: string; batch_status?: string; sender_batch_header?: { sender_batch_id?: string } }
      | undefined;
    if (header?.sender_batch_header?.sender_batch_id !== senderBatchId || header.payout_batch_id !== id)
      return undefined;
    return { id, status: header.batch_status ?? 'PENDING' };
  }

  async function baseTotal(items: readonly BatchItemRow[]): Promise<number | undefined> {
    const ref = await deps.reference.get();
    const date = now().toISOString().slice(0, 10);
    let sum = 0;
    for (const i of items) {
      if (i.currency === ref.baseCurrency) {
        sum += i.amountMinor;
        continue;
      }
      const rate = ref.fxRate(i.currency, ref.baseCurrency, date);
      if (!rate) return undefined;
      sum += decimalToMinor(toDecimal(i.amountMinor, i.currency) * Number(rate), ref.baseCurrency);
    }
    return sum;
  }

  /** Rejected: bills back to Open, items excluded with the approver's comment. Only before any PayPal call. */
  async function reject(ctx: HandlerContext, batchId: string, batch: { comment?: string }): Promise<void> {
    if ((await partsOf(ctx.store, batchId)).length) {
      ctx.log.warn({ batchId }, 'a submitted payout batch cannot be rejected: ignored');
      return;
    }
    const items = (await batchItems(dv, batchId)).filter((i) => i.statuscode === PayoutItemStatus.New.statuscode);
    const reason = `batch rejected${batch.comment ? `: ${batch.comment}` : ''}`.slice(0, 2000);
    await writeGroups(
      dv,
      items.map((i) => [
        {
          method: 'PATCH' as const,
          url: `ppc_payoutitems(${i.itemId})`,
          body: { ...PayoutItemStatus.Excluded, ppc_errorname: 'BATCH_REJECTED', ppc_errormessage: reason },
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
    await forgetRequest(ctx.store, PAYOUT_RULE.subject, batchId);
    ctx.log.info({ batchId, bills: items.length }, 'payout batch rejected: bills back to Open');
  }

  /** Dataverse Update:ppc_payoutbatch. */
  async function onBatchUpdated(ctx: HandlerContext): Promise<void> {
    const event = ctx.event as BatchEvent;
    const batchId = String(event.PrimaryEntityId ?? '').toLowerCase();
    const acknowledgement = targetValue(event, 'ppc_acknowledgedwarnings');
    if (typeof acknowledgement === 'string' && acknowledgement.trim()) {
      // A user acknowledged warnings (the Approve command, or the control): who is the event's, never a column.
      const user = actingUser(event);
      if (user)
        await recordAcknowledgement(deps.store, {
          batchId,
          approver: user,
          acknowledged: acknowledgedCodes(acknowledgement),
          at: now(),
        });
    }
    if (targetValue(event, 'statuscode') === undefined && acknowledgement !== undefined) return;
    const batch = await readBatch(dv, batchId);
    if (!batch) return;
    const status = Number(postImageValue(event, 'statuscode') ?? batch.statuscode);
    if (status === PayoutBatchStatus.PendingApproval.statuscode) {
      if (batch.statuscode !== status) return; // superseded by a later update (its own event follows)
      // Our own write of Pending approval (a refused approval) also fires the step: only a user's act is a request.
      if ((await partsOf(ctx.store, batchId)).length) return;
      const requester = await recordedRequester(ctx.store, PAYOUT_RULE.subject, batchId);
      if (requester && (await batchItems(dv, batchId)).length) {
        ctx.log.info({ batchId }, 'payout batch back in Pending approval: the recorded request stands');
        return;
      }
      await request(ctx, event, batchId);
    } else if (status === PayoutBatchStatus.Approved.statuscode) {
      await approve(ctx, event, batchId, batch.statuscode);
    } else if (status === PayoutBatchStatus.Rejected.statuscode && batch.statuscode === status) {
      await reject(ctx, batchId, batch);
    }
  }

  return { onBatchUpdated, buildFor };
}

/** Why the batch's items are not the ones its build recorded (an item added, or a receiver or amount changed). */
function tampered(items: readonly BatchItemRow[], built: ReadonlyMap<string, PlannedItem>): string | undefined {
  for (const i of items) {
    const b = built.get(i.itemId.toLowerCase());
    if (!b) return `item ${i.name} was not built by the connector: build the batch again`;
    if (
      b.receiver !== i.receiver ||
      b.recipientType !== RECIPIENT_OF_CHOICE[i.receiverType] ||
      b.amount.currency !== i.currency ||
      b.amount.minor !== i.amountMinor
    )
      return `item ${i.name} was changed after the batch was built (receiver or amount): build the batch again`;
  }
  return undefined;
}

function isDuplicateSenderBatch(d: { name: string; details: { field?: string; issue: string }[] }): boolean {
  return (
    d.name === 'USER_BUSINESS_ERROR' &&
    d.details.some((x) => x.field === 'SENDER_BATCH_ID' || /sender_batch_id already exists/i.test(x.issue))
  );
}
