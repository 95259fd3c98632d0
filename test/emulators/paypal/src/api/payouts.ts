// Payouts v1 (payments_payouts_batch_v1.json). Money is {currency, value}. A batch is PENDING when
// created; it is processed on the emulator clock (config.payoutProcessingMs) or by the control API.
// Items end SUCCESS / FAILED / UNCLAIMED / BLOCKED...; UNCLAIMED items return after 30 days (RETURNED).
import type { Emulator } from '../emulator.ts';
import type { Route } from '../core/router.ts';
import { errors, PayPalError } from '../core/errors.ts';
import { exponent, moneyV1, parseAmount } from '../core/money.ts';
import { recordLedger } from './ledger.ts';
import { PAYOUT_TEST_VALUES, payoutError } from '../core/mock-response.ts';

type Json = Record<string, unknown>;
const DAY = 86_400_000;
const RETENTION_MS = 30 * DAY; // sender_batch_id unique for 30 days; PayPal-Request-Id kept 30 days
const ITEM_STATUSES = [
  'SUCCESS',
  'FAILED',
  'PENDING',
  'UNCLAIMED',
  'RETURNED',
  'ONHOLD',
  'BLOCKED',
  'REFUNDED',
  'REVERSED',
];
const ITEM_EVENT: Record<string, string> = {
  SUCCESS: 'SUCCEEDED',
  FAILED: 'FAILED',
  UNCLAIMED: 'UNCLAIMED',
  RETURNED: 'RETURNED',
  ONHOLD: 'HELD',
  BLOCKED: 'BLOCKED',
  REFUNDED: 'REFUNDED',
  REVERSED: 'RETURNED',
  CANCELED: 'CANCELED',
  DENIED: 'DENIED',
};

interface Item {
  id: string;
  batchId: string;
  senderBatchId: string;
  transactionId?: string;
  status: string;
  currency: string;
  amountMinor: number;
  feeMinor: number;
  recipientType: string;
  receiver: string;
  note?: string;
  senderItemId?: string;
  timeProcessed?: string;
  unclaimedSince?: number;
  errors?: Json;
}

interface Batch {
  id: string;
  status: string;
  senderBatchHeader: Json;
  itemIds: string[];
  timeCreated: string;
  timeCompleted?: string;
  processAt: number;
}

const batches = (emu: Emulator) => emu.state.payoutBatches as unknown as Record<string, Batch>;
const items = (emu: Emulator) => emu.state.payoutItems as unknown as Record<string, Item>;

function payoutsError(name: string, message: string, issue: string, field?: string): PayPalError {
  return new PayPalError(400, name, message, [{ ...(field ? { field, location: 'body' as const } : {}), issue }]);
}

/** Payout fee: 2 % of the amount, capped at 20.00 (minor units scaled to the currency). */
function payoutFee(minor: number, currency: string): number {
  const cap = 20 * 10 ** exponent(currency);
  return Math.min(cap, Math.floor((minor * 200 + 5000) / 10000));
}

function renderItem(emu: Emulator, it: Item): Json {
  return {
    payout_item_id: it.id,
    ...(it.transactionId ? { transaction_id: it.transactionId } : {}),
    transaction_status: it.status,
    payout_item_fee: moneyV1(it.feeMinor, it.currency),
    payout_batch_id: it.batchId,
    sender_batch_id: it.senderBatchId,
    payout_item: {
      recipient_type: it.recipientType,
      amount: moneyV1(it.amountMinor, it.currency),
      ...(it.note ? { note: it.note } : {}),
      receiver: it.receiver,
      ...(it.senderItemId ? { sender_item_id: it.senderItemId } : {}),
    },
    ...(it.timeProcessed ? { time_processed: it.timeProcessed } : {}),
    ...(it.errors ? { errors: it.errors } : {}),
    links: [{ href: emu.link(`/v1/payments/payouts-item/${it.id}`), rel: 'item', method: 'GET' }],
  };
}

function batchHeader(emu: Emulator, b: Batch): Json {
  const its = b.itemIds.map((id) => items(emu)[id]!);
  const currency = its[0]?.currency ?? 'USD';
  const sum = (f: (i: Item) => number) => its.reduce((s, i) => s + f(i), 0);
  return {
    payout_batch_id: b.id,
    batch_status: b.status,
    time_created: b.timeCreated,
    ...(b.timeCompleted ? { time_completed: b.timeCompleted, time_closed: b.timeCompleted } : {}),
    sender_batch_header: b.senderBatchHeader,
    funding_source: 'BALANCE',
    amount: moneyV1(
      sum((i) => i.amountMinor),
      currency,
    ),
    fees: moneyV1(
      sum((i) => (i.status === 'FAILED' ? 0 : i.feeMinor)),
      currency,
    ),
  };
}

function emitItem(emu: Emulator, it: Item): void {
  const suffix = ITEM_EVENT[it.status];
  if (!suffix) return;
  emu.emit(
    `PAYMENT.PAYOUTS-ITEM.${suffix}`,
    'payouts_item',
    undefined,
    `A payout item has ${suffix.toLowerCase()}`,
    renderItem(emu, it),
  );
}

/** Moves an item to a final status with its ledger rows and event. */
export function setItemStatus(emu: Emulator, it: Item, status: string): void {
  const before = it.status;
  const now = emu.nowIso();
  it.status = status;
  it.timeProcessed = now;
  if ((status === 'SUCCESS' || status === 'UNCLAIMED' || status === 'ONHOLD') && before === 'PENDING') {
    it.transactionId = emu.random.paypalId();
    recordLedger(emu, {
      transactionId: it.transactionId,
      referenceId: it.batchId,
      referenceIdType: 'TXN',
      eventCode: 'T0001',
      initiationTime: now,
      updatedTime: now,
      currency: it.currency,
      amountMinor: -it.amountMinor,
      feeMinor: -it.feeMinor,
      status: 'S',
      balanceAffecting: true,
      subject: it.receiver,
      ...(it.senderItemId ? { invoiceId: it.senderItemId } : {}),
    });
  }
  if (status === 'UNCLAIMED') it.unclaimedSince = emu.clock.now().getTime();
  if (status === 'FAILED')
    it.errors = { name: 'RECEIVER_UNREGISTERED', message: 'Receiver is unregistered', debug_id: emu.debugId() };
  if ((status === 'RETURNED' || status === 'REFUNDED' || status === 'REVERSED') && it.transactionId) {
    // Money comes back (T1114 reversal / T1115 refund); PayPal keeps the fee.
    recordLedger(emu, {
      transactionId: emu.random.paypalId(),
      referenceId: it.transactionId,
      referenceIdType: 'TXN',
      eventCode: status === 'REFUNDED' ? 'T1115' : 'T1114',
      initiationTime: now,
      updatedTime: now,
      currency: it.currency,
      amountMinor: it.amountMinor,
      feeMinor: 0,
      status: 'S',
      balanceAffecting: true,
    });
  }
  emitItem(emu, it);
}

/**
 * An item succeeds unless the control API queued another outcome (`/_emulator/payouts/next-item-outcomes`, or
 * `/_emulator/payout-items/{id}/status` afterwards). The receiver's address decides nothing: PayPal's sandbox
 * has no magic receivers, only the documented test values (see core/mock-response.ts).
 */
function outcomeFor(emu: Emulator): string {
  return emu.state.nextPayoutItemOutcomes.shift() ?? 'SUCCESS';
}

export function processBatch(emu: Emulator, b: Batch): void {
  if (b.status !== 'PENDING') return;
  b.status = 'PROCESSING';
  emu.emit('PAYMENT.PAYOUTSBATCH.PROCESSING', 'payouts', undefined, 'Payouts batch is being processed.', {
    batch_header: batchHeader(emu, b),
    links: [],
  });
  for (const id of b.itemIds) {
    const it = items(emu)[id]!;
    if (it.status === 'PENDING') setItemStatus(emu, it, outcomeFor(emu));
  }
  b.status = 'SUCCESS';
  b.timeCompleted = emu.nowIso();
  emu.emit('PAYMENT.PAYOUTSBATCH.SUCCESS', 'payouts', undefined, 'Payouts batch completed successfully.', {
    batch_header: { ...batchHeader(emu, b), payments: b.itemIds.length },
    links: [{ href: emu.link(`/v1/payments/payouts/${b.id}`), rel: 'self', method: 'GET' }],
  });
}

export function payoutClockJob(emu: Emulator): (now: Date) => void {
  return (now) => {
    for (const b of Object.values(batches(emu)))
      if (b.status === 'PENDING' && b.processAt <= now.getTime()) processBatch(emu, b);
    for (const it of Object.values(items(emu))) {
      if (it.status === 'UNCLAIMED' && it.unclaimedSince !== undefined && now.getTime() - it.unclaimedSince >= 30 * DAY)
        setItemStatus(emu, it, 'RETURNED');
    }
  };
}

export function payoutRoutes(emu: Emulator, processingMs: number): Route[] {
  emu.clockJobs.push(payoutClockJob(emu));
  return [
    {
      method: 'POST',
      pattern: '/v1/payments/payouts',
      idempotencyMs: RETENTION_MS,
      handler: ({ body }) => {
        const b = (body ?? {}) as Json;
        const header = b.sender_batch_header as Json | undefined;
        if (!header) throw errors.missingField('sender_batch_header');
        const senderBatchId = typeof header.sender_batch_id === 'string' ? header.sender_batch_id : undefined;
        if (senderBatchId && senderBatchId.length > 256)
          throw errors.invalidField(
            'sender_batch_header.sender_batch_id',
            senderBatchId,
            'body',
            'INVALID_STRING_LENGTH',
          );
        const list = Array.isArray(b.items) ? (b.items as Json[]) : [];
        if (!list.length) throw errors.missingField('items');
        // The sandbox's documented test values: items[0].note = ERRPYOnnn answers that error.
        const tested = PAYOUT_TEST_VALUES[String(list[0]?.note ?? '')];
        if (tested) throw payoutError(tested)!;
        if (list.length > 15000) throw errors.invalidField('items', list.length, 'body', 'INVALID_ARRAY_MAX_ITEMS');
        const nowMs = emu.clock.now().getTime();
        const prior = senderBatchId ? emu.state.senderBatchIds[senderBatchId] : undefined;
        // "the API rejects the request with an error message that shows the duplicate sender_batch_id and includes a
        // HATEOAS link to the original payout with the same sender_batch_id" (payments_payouts_batch_v1.json,
        // POST /v1/payments/payouts).
        if (prior && nowMs - prior.at < RETENTION_MS)
          throw new PayPalError(
            400,
            'USER_BUSINESS_ERROR',
            'User business error.',
            [
              {
                field: 'SENDER_BATCH_ID',
                location: 'body',
                issue: 'Batch with given sender_batch_id already exists',
                value: senderBatchId,
              },
            ],
            { links: [{ href: emu.link(`/v1/payments/payouts/${prior.batchId}`), rel: 'self', method: 'GET' }] },
          );
        const batchId = emu.random.chars(13, '23456789ABCDEFGHJKLMNPQRSTUVWXYZ');
        const parsed = list.map((raw, i) => {
          const amount = raw.amount as Json | undefined;
          const currency = typeof amount?.currency === 'string' ? amount.currency : undefined;
          if (!currency) throw errors.missingField(`items[${i}].amount.currency`);
          const minor = parseAmount(amount?.value, currency);
          if (minor === null || minor <= 0) throw errors.invalidField(`items[${i}].amount.value`, amount?.value);
          if (typeof raw.receiver !== 'string' || !raw.receiver) throw errors.missingField(`items[${i}].receiver`);
          const it: Item = {
            id: emu.random.chars(13, '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'),
            batchId,
            senderBatchId: senderBatchId ?? '',
            status: 'PENDING',
            currency,
            amountMinor: minor,
            feeMinor: payoutFee(minor, currency),
            recipientType:
              typeof raw.recipient_type === 'string'
                ? raw.recipient_type
                : typeof header.recipient_type === 'string'
                  ? header.recipient_type
                  : 'EMAIL',
            receiver: raw.receiver,
            ...(typeof raw.note === 'string' ? { note: raw.note } : {}),
            ...(typeof raw.sender_item_id === 'string' ? { senderItemId: raw.sender_item_id } : {}),
          };
          return it;
        });
        if (new Set(parsed.map((p) => p.currency)).size > 1)
          throw payoutsError(
            'VALIDATION_ERROR',
            'Invalid request - see details.',
            'All items must use the same currency',
            'items',
          );
        for (const it of parsed) items(emu)[it.id] = it;
        const batch: Batch = {
          id: batchId,
          status: 'PENDING',
          senderBatchHeader: header,
          itemIds: parsed.map((p) => p.id),
          timeCreated: emu.nowIso(),
          processAt: nowMs + processingMs,
        };
        batches(emu)[batchId] = batch;
        if (senderBatchId) emu.state.senderBatchIds[senderBatchId] = { batchId, at: nowMs };
        return {
          status: 201,
          body: {
            batch_header: { payout_batch_id: batchId, batch_status: 'PENDING', sender_batch_header: header },
            links: [
              {
                href: emu.link(`/v1/payments/payouts/${batchId}`),
                rel: 'self',
                method: 'GET',
                encType: 'application/json',
              },
            ],
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/payments/payouts/:id',
      handler: ({ params, query }) => {
        const b = batches(emu)[params.id!];
        if (!b) throw errors.notFound('payout_batch_id', params.id!);
        const size = Math.min(1000, Math.max(1, Number(query.get('page_size') ?? 1000) || 1000));
        const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
        const its = b.itemIds.slice((page - 1) * size, page * size).map((id) => renderItem(emu, items(emu)[id]!));
        const totalRequired = query.get('total_required') === 'true';
        return {
          status: 200,
          body: {
            ...(totalRequired
              ? { total_items: b.itemIds.length, total_pages: Math.ceil(b.itemIds.length / size) }
              : {}),
            batch_header: batchHeader(emu, b),
            items: its,
            links: [
              {
                href: emu.link(`/v1/payments/payouts/${b.id}?page_size=${size}&page=${page}`),
                rel: 'self',
                method: 'GET',
              },
            ],
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/payments/payouts-item/:id',
      handler: ({ params }) => {
        const it = items(emu)[params.id!];
        if (!it) throw errors.notFound('payout_item_id', params.id!);
        return { status: 200, body: renderItem(emu, it) };
      },
    },
    {
      method: 'POST',
      pattern: '/v1/payments/payouts-item/:id/cancel',
      handler: ({ params }) => {
        const it = items(emu)[params.id!];
        if (!it) throw errors.notFound('payout_item_id', params.id!);
        if (it.status !== 'UNCLAIMED')
          throw payoutsError(
            'VALIDATION_ERROR',
            'Invalid request - see details.',
            'Only UNCLAIMED items can be cancelled',
            'payout_item_id',
          );
        setItemStatus(emu, it, 'RETURNED');
        return { status: 200, body: renderItem(emu, it) };
      },
    },
  ];
}

const bad = (message: string, status = 400) => ({ status, body: { error: message } });

export function payoutControlRoutes(emu: Emulator): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/_emulator/payouts/:id/process',
      handler: ({ params }) => {
        const b = batches(emu)[params.id!];
        if (!b) return bad('unknown batch', 404);
        processBatch(emu, b);
        return { status: 200, body: { batch_status: b.status } };
      },
    },
    {
      method: 'POST',
      pattern: '/_emulator/payouts/next-item-outcomes',
      handler: ({ body }) => {
        const list = (body as Json)?.outcomes;
        if (!Array.isArray(list) || list.some((s) => !ITEM_STATUSES.includes(String(s))))
          return bad(`outcomes: array of ${ITEM_STATUSES.join(', ')}`);
        emu.state.nextPayoutItemOutcomes.push(...list.map(String));
        return { status: 200, body: { queued: emu.state.nextPayoutItemOutcomes } };
      },
    },
    {
      method: 'POST',
      pattern: '/_emulator/payout-items/:id/status',
      handler: ({ params, body }) => {
        const it = items(emu)[params.id!];
        if (!it) return bad('unknown item', 404);
        const status = String((body as Json)?.status ?? '');
        if (!ITEM_STATUSES.includes(status)) return bad(`status must be one of ${ITEM_STATUSES.join(', ')}`);
        setItemStatus(emu, it, status);
        return { status: 200, body: renderItem(emu, it) };
      },
    },
  ];
}
