// Payments v2 captures and refunds (payments_payment_v2.json): fees in seller_receivable_breakdown,
// cross-currency conversion, refund rules with PayPal's 422 issue codes, reversals.
import type { Emulator } from '../emulator.ts';
import type { Route } from '../core/router.ts';
import type { Capture, Order, Refund } from '../core/state.ts';
import { errors } from '../core/errors.ts';
import { convert, fee, formatAmount, money, parseAmount } from '../core/money.ts';
import { recordLedger } from './ledger.ts';

type Json = Record<string, unknown>;
const REFUND_RETENTION_MS = 45 * 86_400_000; // Payments v2: PayPal-Request-Id kept 45 days

export function feeRule(emu: Emulator, currency: string) {
  return emu.config.fees[currency] ?? emu.config.fees.default ?? { basisPoints: 0, fixedMinor: 0 };
}

export function captureOrderUnit(
  emu: Emulator,
  order: Order,
  pu: Json,
  amount: { minor: number; currency: string },
): Capture {
  const forced = emu.state.nextCaptureOutcomes.shift();
  const status = forced?.status === 'PENDING' || forced?.status === 'DECLINED' ? forced.status : 'COMPLETED';
  const now = emu.nowIso();
  const rule = feeRule(emu, amount.currency);
  const c: Capture = {
    id: emu.random.paypalId(),
    orderId: order.id,
    referenceId: (pu.reference_id as string) ?? 'default',
    status,
    ...(status === 'PENDING' ? { statusReason: forced?.reason ?? 'PENDING_REVIEW' } : {}),
    currency: amount.currency,
    grossMinor: amount.minor,
    feeMinor: status === 'DECLINED' ? 0 : fee(amount.minor, rule.basisPoints, rule.fixedMinor),
    ...(typeof pu.invoice_id === 'string' ? { invoiceId: pu.invoice_id } : {}),
    ...(typeof pu.custom_id === 'string' ? { customId: pu.custom_id } : {}),
    createTime: now,
    updateTime: now,
    refundedMinor: 0,
    refundIds: [],
    ...(order.payer ? { payer: order.payer } : {}),
    disputed: false,
    reversed: false,
  };
  const { primaryCurrency, receivingCurrencies } = emu.config.merchant;
  if (!receivingCurrencies.includes(c.currency)) {
    // The account holds no balance in this currency: PayPal converts the net into the primary currency.
    const rate = emu.config.exchangeRates[`${c.currency}:${primaryCurrency}`] ?? '1';
    c.conversion = {
      rate,
      receivableCurrency: primaryCurrency,
      receivableMinor: convert(c.grossMinor - c.feeMinor, c.currency, primaryCurrency, rate),
      feeInReceivableMinor: convert(c.feeMinor, c.currency, primaryCurrency, rate),
    };
  }
  emu.state.captures[c.id] = c;
  order.captureIds.push(c.id);
  ledgerForCapture(emu, c);
  emitCapture(emu, c);
  return c;
}

function ledgerForCapture(emu: Emulator, c: Capture): void {
  const status = c.status === 'COMPLETED' ? 'S' : c.status === 'PENDING' ? 'P' : 'D';
  recordLedger(emu, {
    transactionId: c.id,
    referenceId: c.orderId,
    referenceIdType: 'ODR',
    eventCode: 'T0006',
    initiationTime: c.createTime,
    updatedTime: c.updateTime,
    currency: c.currency,
    amountMinor: c.grossMinor,
    feeMinor: -c.feeMinor,
    status,
    ...(c.invoiceId ? { invoiceId: c.invoiceId } : {}),
    ...(c.customId ? { customId: c.customId } : {}),
    ...(c.payer ? { payer: c.payer } : {}),
    balanceAffecting: status === 'S',
  });
  if (status === 'S' && c.conversion) {
    // Currency conversion rows (T0200): net leaves the capture currency, arrives in the primary currency.
    const conv = c.conversion;
    recordLedger(emu, {
      transactionId: emu.random.paypalId(),
      referenceId: c.id,
      referenceIdType: 'TXN',
      eventCode: 'T0200',
      initiationTime: c.createTime,
      updatedTime: c.updateTime,
      currency: c.currency,
      amountMinor: -(c.grossMinor - c.feeMinor),
      feeMinor: 0,
      status: 'S',
      balanceAffecting: true,
    });
    recordLedger(emu, {
      transactionId: emu.random.paypalId(),
      referenceId: c.id,
      referenceIdType: 'TXN',
      eventCode: 'T0200',
      initiationTime: c.createTime,
      updatedTime: c.updateTime,
      currency: conv.receivableCurrency,
      amountMinor: conv.receivableMinor,
      feeMinor: 0,
      status: 'S',
      balanceAffecting: true,
    });
  }
}

function emitCapture(emu: Emulator, c: Capture): void {
  const type =
    c.status === 'COMPLETED'
      ? 'PAYMENT.CAPTURE.COMPLETED'
      : c.status === 'PENDING'
        ? 'PAYMENT.CAPTURE.PENDING'
        : c.status === 'DECLINED'
          ? 'PAYMENT.CAPTURE.DECLINED'
          : 'PAYMENT.CAPTURE.DENIED';
  const amount = `${symbol(c.currency)} ${formatAmount(c.grossMinor, c.currency)} ${c.currency}`;
  const summary =
    c.status === 'COMPLETED'
      ? `Payment completed for ${amount}`
      : c.status === 'PENDING'
        ? `Payment pending for ${amount}`
        : `A ${amount} capture payment was declined`;
  emu.emit(type, 'capture', '2.0', summary, renderCapture(emu, c, true));
}

function symbol(currency: string): string {
  return ({ USD: '$', EUR: '€', GBP: '£', JPY: '¥' } as Record<string, string>)[currency] ?? '';
}

export function renderCapture(emu: Emulator, c: Capture, withSupplementary = true): Json {
  const self = emu.link(`/v2/payments/captures/${c.id}`);
  // A PENDING capture has no breakdown yet (saved PAYMENT.CAPTURE.PENDING delivery); a DECLINED one keeps it,
  // with no fee taken (PayPal's PAYMENT.CAPTURE.DECLINED sample, developer.paypal.com/api/rest/webhooks/event-names/).
  const breakdown: Json | undefined =
    c.status === 'PENDING'
      ? undefined
      : {
          gross_amount: money(c.grossMinor, c.currency),
          paypal_fee: money(c.feeMinor, c.currency),
          ...(c.conversion
            ? {
                paypal_fee_in_receivable_currency: money(
                  c.conversion.feeInReceivableMinor,
                  c.conversion.receivableCurrency,
                ),
              }
            : {}),
          net_amount: money(c.grossMinor - c.feeMinor, c.currency),
          ...(c.conversion
            ? {
                receivable_amount: money(c.conversion.receivableMinor, c.conversion.receivableCurrency),
                exchange_rate: {
                  source_currency: c.currency,
                  target_currency: c.conversion.receivableCurrency,
                  value: c.conversion.rate,
                },
              }
            : {}),
        };
  return {
    id: c.id,
    status: c.status,
    ...(c.statusReason ? { status_details: { reason: c.statusReason } } : {}),
    amount: money(c.grossMinor, c.currency),
    final_capture: true,
    seller_protection: { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] },
    disbursement_mode: 'INSTANT',
    ...(breakdown ? { seller_receivable_breakdown: breakdown } : {}),
    ...(c.invoiceId ? { invoice_id: c.invoiceId } : {}),
    ...(c.customId ? { custom_id: c.customId } : {}),
    ...(withSupplementary
      ? {
          supplementary_data: { related_ids: { order_id: c.orderId } },
          payee: { email_address: emu.config.merchant.email, merchant_id: emu.config.merchant.accountId },
        }
      : {}),
    create_time: c.createTime,
    update_time: c.updateTime,
    links: [
      { href: self, rel: 'self', method: 'GET' },
      { href: `${self}/refund`, rel: 'refund', method: 'POST' },
      { href: emu.link(`/v2/checkout/orders/${c.orderId}`), rel: 'up', method: 'GET' },
    ],
  };
}

export function renderRefund(emu: Emulator, r: Refund): Json {
  return {
    id: r.id,
    amount: money(r.grossMinor, r.currency),
    ...(r.invoiceId ? { invoice_id: r.invoiceId } : {}),
    ...(r.customId ? { custom_id: r.customId } : {}),
    ...(r.noteToPayer ? { note_to_payer: r.noteToPayer } : {}),
    seller_payable_breakdown: {
      gross_amount: money(r.grossMinor, r.currency),
      paypal_fee: money(r.feeMinor, r.currency),
      net_amount: money(r.grossMinor - r.feeMinor, r.currency),
      total_refunded_amount: money(r.totalRefundedMinor, r.currency),
    },
    status: r.status,
    create_time: r.createTime,
    update_time: r.updateTime,
    links: [
      { href: emu.link(`/v2/payments/refunds/${r.id}`), rel: 'self', method: 'GET' },
      { href: emu.link(`/v2/payments/captures/${r.captureId}`), rel: 'up', method: 'GET' },
    ],
  };
}

export function getCapture(emu: Emulator, id: string): Capture {
  const c = emu.state.captures[id];
  if (!c) throw errors.notFound('capture_id', id);
  return c;
}

function refundable(emu: Emulator, c: Capture): void {
  if (c.reversed)
    throw errors.unprocessable(
      'REFUND_NOT_PERMITTED_DUE_TO_CHARGEBACK',
      'Refunds not allowed on this capture due to a chargeback on the card or bank. Please contact the payee to resolve the chargeback.',
    );
  if (c.disputed)
    throw errors.unprocessable(
      'TRANSACTION_DISPUTED',
      'Partial refunds cannot be offered at this time because there is an open case on this transaction. Visit the PayPal Resolution Center to review this case.',
    );
  if (c.status === 'PENDING')
    throw errors.unprocessable(
      'PENDING_CAPTURE',
      'Cannot initiate a refund as the capture is pending. Capture is typically pending when the payer has funded the transaction by using an e-check or bank account.',
    );
  if (c.status === 'REFUNDED')
    throw errors.unprocessable('CAPTURE_FULLY_REFUNDED', 'The capture has already been fully refunded.');
  if (c.status !== 'COMPLETED' && c.status !== 'PARTIALLY_REFUNDED')
    throw errors.unprocessable(
      'REFUND_NOT_ALLOWED',
      'Full refund refused - partial refund has already been done on this payment. You cannot refund this capture.',
    );
  const ageMs = emu.clock.now().getTime() - Date.parse(c.createTime);
  if (ageMs > emu.config.refundTimeLimitDays * 86_400_000)
    throw errors.unprocessable(
      'REFUND_TIME_LIMIT_EXCEEDED',
      'You are over the time limit to perform a refund on this capture.',
    );
}

/** Creates a refund (merchant) or reversal (PayPal-initiated) on a capture and emits its event. */
export function createRefund(
  emu: Emulator,
  c: Capture,
  amountMinor: number,
  extra: { invoiceId?: string; customId?: string; noteToPayer?: string; reversal?: boolean } = {},
): Refund {
  const rule = feeRule(emu, c.currency);
  const variableFee = c.feeMinor - rule.fixedMinor;
  const returnedSoFar = c.refundIds.reduce((s, id) => s + (emu.state.refunds[id]?.feeMinor ?? 0), 0);
  // The percentage part of the fee comes back pro rata; the fixed part is kept (PayPal's US policy).
  let feeBack = extra.reversal
    ? 0
    : Math.max(0, Math.floor((variableFee * amountMinor + Math.floor(c.grossMinor / 2)) / c.grossMinor));
  feeBack = Math.min(feeBack, Math.max(0, variableFee - returnedSoFar));
  const now = emu.nowIso();
  c.refundedMinor += amountMinor;
  const r: Refund = {
    id: emu.random.paypalId(),
    captureId: c.id,
    status: 'COMPLETED',
    currency: c.currency,
    grossMinor: amountMinor,
    feeMinor: feeBack,
    totalRefundedMinor: c.refundedMinor,
    ...((extra.invoiceId ?? c.invoiceId) ? { invoiceId: extra.invoiceId ?? c.invoiceId } : {}),
    ...((extra.customId ?? c.customId) ? { customId: extra.customId ?? c.customId } : {}),
    ...(extra.noteToPayer ? { noteToPayer: extra.noteToPayer } : {}),
    createTime: now,
    updateTime: now,
    reversal: !!extra.reversal,
  };
  emu.state.refunds[r.id] = r;
  c.refundIds.push(r.id);
  c.status = c.refundedMinor >= c.grossMinor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  if (extra.reversal) c.reversed = true;
  c.updateTime = now;
  recordLedger(emu, {
    transactionId: r.id,
    referenceId: c.id,
    referenceIdType: 'TXN',
    eventCode: extra.reversal ? 'T1106' : 'T1107',
    initiationTime: now,
    updatedTime: now,
    currency: c.currency,
    amountMinor: -amountMinor,
    feeMinor: feeBack,
    status: 'S',
    ...(r.invoiceId ? { invoiceId: r.invoiceId } : {}),
    ...(r.customId ? { customId: r.customId } : {}),
    // The refund's note shows as the TRR row's Transaction Note (saved TRR refund row: "refund").
    ...(r.noteToPayer ? { note: r.noteToPayer } : {}),
    ...(c.payer ? { payer: c.payer } : {}),
    balanceAffecting: true,
  });
  const amount = `${symbol(c.currency)} ${formatAmount(amountMinor, c.currency)} ${c.currency}`;
  if (extra.reversal)
    emu.emit(
      'PAYMENT.CAPTURE.REVERSED',
      'refund',
      '2.0',
      `A ${amount} capture payment was reversed`,
      renderRefund(emu, r),
    );
  else
    emu.emit(
      'PAYMENT.CAPTURE.REFUNDED',
      'refund',
      '2.0',
      `A ${amount} capture payment was refunded`,
      renderRefund(emu, r),
    );
  return r;
}

/** Settles a PENDING capture (control API): COMPLETED, or DENIED/DECLINED. */
export function settlePending(emu: Emulator, c: Capture, outcome: 'COMPLETED' | 'DECLINED'): void {
  if (c.status !== 'PENDING')
    throw errors.unprocessable('CAPTURE_NOT_PENDING', 'Only a PENDING capture can be settled.');
  c.status = outcome;
  delete c.statusReason;
  c.updateTime = emu.nowIso();
  if (outcome === 'DECLINED') c.feeMinor = 0;
  const row = emu.state.ledger.find((l) => l.transactionId === c.id);
  if (row) {
    row.status = outcome === 'COMPLETED' ? 'S' : 'D';
    row.balanceAffecting = outcome === 'COMPLETED';
    row.updatedTime = c.updateTime;
    row.feeMinor = -c.feeMinor;
  }
  if (outcome === 'COMPLETED') {
    emitCapture(emu, c);
  } else {
    const amount = `${symbol(c.currency)} ${formatAmount(c.grossMinor, c.currency)} ${c.currency}`;
    emu.emit(
      'PAYMENT.CAPTURE.DENIED',
      'capture',
      '2.0',
      `A ${amount} capture payment was denied`,
      renderCapture(emu, c, true),
    );
  }
}

export function captureRoutes(emu: Emulator): Route[] {
  emu.renderers.set('refund', (id) => renderRefund(emu, emu.state.refunds[id]!));
  return [
    {
      method: 'GET',
      pattern: '/v2/payments/captures/:id',
      handler: ({ params }) => ({ status: 200, body: renderCapture(emu, getCapture(emu, params.id!)) }),
    },
    {
      method: 'GET',
      pattern: '/v2/payments/refunds/:id',
      handler: ({ params }) => {
        const r = emu.state.refunds[params.id!];
        if (!r) throw errors.notFound('refund_id', params.id!);
        return { status: 200, body: renderRefund(emu, r) };
      },
    },
    {
      method: 'POST',
      pattern: '/v2/payments/captures/:id/refund',
      idempotencyMs: REFUND_RETENTION_MS,
      lockKey: ({ params }) => `refund:${params.id}`,
      handler: ({ params, body }) => {
        const c = getCapture(emu, params.id!);
        const b = (body && typeof body === 'object' ? body : {}) as Json;
        refundable(emu, c);
        const remaining = c.grossMinor - c.refundedMinor;
        let amountMinor = remaining;
        if (b.amount !== undefined) {
          const a = b.amount as Json;
          if (typeof a?.currency_code !== 'string') throw errors.missingField('/amount/currency_code');
          if (a.value === undefined) throw errors.missingField('/amount/value');
          if (a.currency_code !== c.currency)
            throw errors.unprocessable(
              'REFUND_CAPTURE_CURRENCY_MISMATCH',
              'Refund must be in the same currency as the capture.',
              '/amount/currency_code',
              String(a.currency_code),
            );
          const parsed = parseAmount(a.value, c.currency);
          if (parsed === null)
            throw errors.unprocessable(
              /\./.test(String(a.value)) && parseAmount(String(a.value).split('.')[0], c.currency) !== null
                ? 'DECIMAL_PRECISION'
                : 'INVALID_PARAMETER_SYNTAX',
              'The value of the field should not have more decimal places than the currency allows.',
              '/amount/value',
              String(a.value),
            );
          if (parsed <= 0)
            throw errors.unprocessable(
              'CANNOT_BE_ZERO_OR_NEGATIVE',
              'Must be greater than zero.',
              '/amount/value',
              String(a.value),
            );
          if (parsed > remaining)
            throw errors.unprocessable(
              'REFUND_AMOUNT_EXCEEDED',
              'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
              '/amount/value',
              String(a.value),
            );
          amountMinor = parsed;
        }
        for (const k of ['invoice_id', 'custom_id'] as const) {
          if (b[k] !== undefined && (typeof b[k] !== 'string' || (b[k] as string).length > 127))
            throw errors.invalidField(
              `/${k}`,
              b[k],
              'body',
              'INVALID_STRING_LENGTH',
              'The value of a field is either too short or too long.',
            );
        }
        if (b.note_to_payer !== undefined && (typeof b.note_to_payer !== 'string' || b.note_to_payer.length > 255))
          throw errors.invalidField(
            '/note_to_payer',
            b.note_to_payer,
            'body',
            'INVALID_STRING_LENGTH',
            'The value of a field is either too short or too long.',
          );
        const r = createRefund(emu, c, amountMinor, {
          ...(typeof b.invoice_id === 'string' ? { invoiceId: b.invoice_id } : {}),
          ...(typeof b.custom_id === 'string' ? { customId: b.custom_id } : {}),
          ...(typeof b.note_to_payer === 'string' ? { noteToPayer: b.note_to_payer } : {}),
        });
        const full = renderRefund(emu, r);
        return {
          status: 201,
          body: full,
          minimal: { id: r.id, status: r.status, links: full.links },
          resource: { kind: 'refund', id: r.id },
        };
      },
    },
  ];
}
