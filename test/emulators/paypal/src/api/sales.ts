// Payments v1 sales (payments_payment_v1.json), as far as subscription renewals need them: GET a sale and
// refund it (PAYMENT.SALE.REFUNDED, whose resource is the refund with resource_type "sale", as in
// PayPal's saved payload). The spec requires `parent_payment` on a sale; renewal sales have none in
// PayPal's events, so GET answers a synthetic `PAYID-<sale id>` there and the event omits it.
// PayPal-initiated reversals (chargebacks on a sale) come as PAYMENT.SALE.REVERSED
// (https://developer.paypal.com/api/rest/webhooks/event-names/#sales): a v1 refund-like resource with state
// "completed" and negative amounts, and, unlike PAYMENT.SALE.REFUNDED, no sale_id.
import type { Emulator } from '../emulator.ts';
import type { Route } from '../core/router.ts';
import type { Sale } from '../core/state.ts';
import { errors, PayPalError } from '../core/errors.ts';
import { formatAmount, moneyV1, parseAmount } from '../core/money.ts';
import { feeRule } from './captures.ts';
import { recordLedger } from './ledger.ts';

type Json = Record<string, unknown>;
const RETENTION_MS = 30 * 86_400_000; // Payments v1: PayPal-Request-Id kept 30 days

function renderSale(emu: Emulator, s: Sale): Json {
  // v1 sale states have no "reversed": a reversed sale reads as refunded (payments_payment_v1.json, sale.state).
  const state =
    s.refundedMinor === 0 ? 'completed' : s.refundedMinor >= s.amountMinor ? 'refunded' : 'partially_refunded';
  return {
    id: s.id,
    amount: {
      total: formatAmount(s.amountMinor, s.currency),
      currency: s.currency,
      details: { subtotal: formatAmount(s.amountMinor, s.currency) },
    },
    payment_mode: 'INSTANT_TRANSFER',
    state,
    protection_eligibility: 'ELIGIBLE',
    protection_eligibility_type: 'ITEM_NOT_RECEIVED_ELIGIBLE,UNAUTHORIZED_PAYMENT_ELIGIBLE',
    transaction_fee: moneyV1(s.feeMinor, s.currency),
    parent_payment: `PAYID-${s.id}`,
    billing_agreement_id: s.subscriptionId,
    create_time: s.createTime,
    update_time: s.updateTime,
    links: [
      { href: emu.link(`/v1/payments/sale/${s.id}`), rel: 'self', method: 'GET' },
      { href: emu.link(`/v1/payments/sale/${s.id}/refund`), rel: 'refund', method: 'POST' },
    ],
  };
}

function getSale(emu: Emulator, id: string): Sale {
  const s = emu.state.sales[id];
  if (!s) throw errors.notFound('sale_id', id);
  return s;
}

/** PayPal reverses what is left of a sale (a chargeback): the merchant keeps no fee back. */
export function reverseSale(emu: Emulator, s: Sale): Json {
  const minor = s.amountMinor - s.refundedMinor;
  if (minor <= 0 || s.reversed)
    throw errors.unprocessable(
      'TRANSACTION_ALREADY_REFUNDED',
      'Requested transaction has already been fully refunded.',
    );
  const now = emu.nowIso();
  const id = emu.random.paypalId();
  s.refundedMinor += minor;
  s.reversed = true;
  s.updateTime = now;
  s.refundIds.push(id);
  recordLedger(emu, {
    transactionId: id,
    referenceId: s.id,
    referenceIdType: 'TXN',
    eventCode: 'T1106',
    initiationTime: now,
    updatedTime: now,
    currency: s.currency,
    amountMinor: -minor,
    feeMinor: 0,
    status: 'S',
    balanceAffecting: true,
    ...(s.customId ? { customId: s.customId } : {}),
  });
  const resource = {
    id,
    create_time: now,
    update_time: now,
    state: 'completed',
    amount: { total: `-${formatAmount(minor, s.currency)}`, currency: s.currency },
    links: [{ href: emu.link(`/v1/payments/refund/${id}`), rel: 'self', method: 'GET' }],
  };
  emu.emit(
    'PAYMENT.SALE.REVERSED',
    'sale',
    undefined,
    `A ${formatAmount(minor, s.currency)} ${s.currency} sale payment was reversed`,
    resource,
  );
  return resource;
}

export function saleControlRoutes(emu: Emulator): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/_emulator/sales/:id/reverse',
      handler: ({ params }) => ({ status: 200, body: reverseSale(emu, getSale(emu, params.id!)) }),
    },
  ];
}

export function saleRoutes(emu: Emulator): Route[] {
  const get = (id: string) => getSale(emu, id);
  return [
    {
      method: 'GET',
      pattern: '/v1/payments/sale/:id',
      handler: ({ params }) => ({ status: 200, body: renderSale(emu, get(params.id!)) }),
    },
    {
      // Show refund details (payments_payment_v1.json, GET /v1/payments/refund/{refund_id}): a refund or a
      // reversal of a sale, with the sale it returns money of in `sale_id` (the REVERSED event itself has none).
      method: 'GET',
      pattern: '/v1/payments/refund/:id',
      handler: ({ params }) => {
        const id = params.id!;
        const entry = emu.state.ledger.find(
          (e) =>
            e.transactionId === id && e.referenceIdType === 'TXN' && e.referenceId && emu.state.sales[e.referenceId],
        );
        if (!entry) throw errors.notFound('refund_id', id);
        const s = emu.state.sales[entry.referenceId!]!;
        return {
          status: 200,
          body: {
            id,
            amount: { total: formatAmount(-entry.amountMinor, s.currency), currency: s.currency },
            state: 'completed',
            sale_id: s.id,
            parent_payment: `PAYID-${s.id}`,
            ...(entry.eventCode === 'T1106' ? { reason_code: 'CHARGEBACK' } : {}),
            create_time: entry.initiationTime,
            update_time: entry.updatedTime,
            links: [
              { href: emu.link(`/v1/payments/refund/${id}`), rel: 'self', method: 'GET' },
              { href: emu.link(`/v1/payments/sale/${s.id}`), rel: 'sale', method: 'GET' },
            ],
          },
        };
      },
    },
    {
      method: 'POST',
      pattern: '/v1/payments/sale/:id/refund',
      idempotencyMs: RETENTION_MS,
      lockKey: ({ params }) => `sale:${params.id}`,
      handler: ({ params, body }) => {
        const s = get(params.id!);
        const b = (body ?? {}) as Json;
        const remaining = s.amountMinor - s.refundedMinor;
        if (remaining <= 0 || s.reversed)
          throw new PayPalError(
            400,
            'TRANSACTION_ALREADY_REFUNDED',
            'Requested transaction has already been fully refunded.',
          );
        let minor = remaining;
        if (b.amount !== undefined) {
          const a = b.amount as Json;
          if (a.currency !== s.currency) throw errors.invalidField('amount.currency', a.currency);
          const parsed = parseAmount(a.total, s.currency);
          if (parsed === null || parsed <= 0) throw errors.invalidField('amount.total', a.total);
          if (parsed > remaining)
            throw new PayPalError(
              400,
              'REFUND_EXCEEDED_TRANSACTION_AMOUNT',
              'Refund amount exceeded transaction amount.',
            );
          minor = parsed;
        }
        const rule = feeRule(emu, s.currency);
        const feeBack = Math.min(
          Math.floor(((s.feeMinor - rule.fixedMinor) * minor + Math.floor(s.amountMinor / 2)) / s.amountMinor),
          Math.max(0, s.feeMinor - rule.fixedMinor),
        );
        const now = emu.nowIso();
        s.refundedMinor += minor;
        s.updateTime = now;
        const id = emu.random.paypalId();
        s.refundIds.push(id);
        recordLedger(emu, {
          transactionId: id,
          referenceId: s.id,
          referenceIdType: 'TXN',
          eventCode: 'T1107',
          initiationTime: now,
          updatedTime: now,
          currency: s.currency,
          amountMinor: -minor,
          feeMinor: feeBack,
          status: 'S',
          balanceAffecting: true,
          ...(s.customId ? { customId: s.customId } : {}),
        });
        const txn = (emu.state.subscriptionTransactions[s.subscriptionId] ?? []).find((t) => t.id === s.id);
        if (txn) txn.status = s.refundedMinor >= s.amountMinor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
        const links = [
          { href: emu.link(`/v1/payments/refund/${id}`), rel: 'self', method: 'GET' },
          { href: emu.link(`/v1/payments/sale/${s.id}`), rel: 'sale', method: 'GET' },
        ];
        emu.emit(
          'PAYMENT.SALE.REFUNDED',
          'sale',
          undefined,
          `A ${formatAmount(minor, s.currency)} ${s.currency} sale payment was refunded`,
          {
            id,
            create_time: now,
            update_time: now,
            state: 'completed',
            amount: { total: `-${formatAmount(minor, s.currency)}`, currency: s.currency },
            sale_id: s.id,
            ...(s.customId ? { custom: s.customId } : {}),
            links,
          },
        );
        return {
          status: 201,
          body: {
            id,
            amount: { total: formatAmount(minor, s.currency), currency: s.currency },
            state: 'completed',
            sale_id: s.id,
            parent_payment: `PAYID-${s.id}`,
            ...(typeof b.invoice_number === 'string' ? { invoice_number: b.invoice_number } : {}),
            ...(typeof b.description === 'string' ? { description: b.description } : {}),
            refund_from_transaction_fee: moneyV1(feeBack, s.currency),
            refund_from_received_amount: moneyV1(minor - feeBack, s.currency),
            total_refunded_amount: moneyV1(s.refundedMinor, s.currency),
            create_time: now,
            update_time: now,
            links,
          },
        };
      },
    },
  ];
}
