// What a PayPal payment event says, normalised: a v2 capture (PAYMENT.CAPTURE.*) or a v1 sale
// (PAYMENT.SALE.*). Pure; amounts as Money. Shapes: developer.paypal.com/docs/api/payments/v2/#captures_get
// and the saved deliveries in proxy-service/test/fixtures/paypal-webhooks.
import type { PayPalCapture, PayPalSale, PayPalWire } from '../adapters/paypal/types.ts';
import { errors } from '../errors.ts';
import { add, fromPayPal, parseAmount, subtract, type Money } from './money.ts';

export type PaymentStatus =
  'COMPLETED' | 'PENDING' | 'DECLINED' | 'FAILED' | 'REFUNDED' | 'PARTIALLY_REFUNDED' | 'REVERSED';

export interface PaymentFacts {
  kind: 'capture' | 'sale';
  paypalId: string;
  status: PaymentStatus;
  statusDetails?: string;
  gross: Money;
  /** PayPal's fee plus any platform fees: what the seller does not receive */
  fee: Money;
  net: Money;
  /** Cross-currency: what lands in the seller's balance, and PayPal's rate */
  receivable?: Money;
  exchangeRate?: { from: string; to: string; value: string };
  orderId?: string;
  invoiceRef?: string;
  customId?: string;
  billingAgreementId?: string;
  /** PayPal's own risk signals (fraud scoring): seller_protection.status / v1 protection_eligibility */
  sellerProtection?: string;
  /** card sources: capture.processor_response avs_code, cvv_code, response_code */
  processor?: { avs?: string; cvv?: string; response?: string };
  createTime: string;
  updateTime: string;
}

/** A v2 capture (PAYMENT.CAPTURE.* resource), generated from PayPal's Payments v2 spec. */
type CaptureResource = PayPalWire<PayPalCapture>;

const STATUSES = new Set<PaymentStatus>([
  'COMPLETED',
  'PENDING',
  'DECLINED',
  'FAILED',
  'REFUNDED',
  'PARTIALLY_REFUNDED',
  'REVERSED',
]);

function status(raw: string | undefined): PaymentStatus {
  const s = (raw ?? '').toUpperCase() as PaymentStatus;
  if (!STATUSES.has(s)) throw errors.validation(`unknown payment status "${raw}"`);
  return s;
}

export function captureFacts(r: CaptureResource): PaymentFacts {
  if (!r.id) throw errors.validation('capture has no id');
  const b = r.seller_receivable_breakdown ?? {};
  const gross = fromPayPal(b.gross_amount) ?? fromPayPal(r.amount);
  if (!gross) throw errors.validation(`capture ${r.id} has no amount`);
  let fee = fromPayPal(b.paypal_fee) ?? { currency: gross.currency, minor: 0 };
  for (const pf of b.platform_fees ?? []) {
    const m = fromPayPal(pf.amount);
    if (m && m.currency === fee.currency) fee = add(fee, m);
  }
  // Cross-currency captures may state the fee in the receivable currency; the breakdown then carries its own net.
  const net = fromPayPal(b.net_amount) ?? (fee.currency === gross.currency ? subtract(gross, fee) : gross);
  const orderId =
    r.supplementary_data?.related_ids?.order_id ??
    r.links
      ?.find((l) => l.rel === 'up' && l.href?.includes('/checkout/orders/'))
      ?.href?.split('/')
      .pop();
  const xr = b.exchange_rate;
  return {
    kind: 'capture',
    paypalId: r.id,
    status: status(r.status),
    ...(r.status_details?.reason ? { statusDetails: r.status_details.reason } : {}),
    gross,
    fee,
    net,
    ...(fromPayPal(b.receivable_amount) ? { receivable: fromPayPal(b.receivable_amount)! } : {}),
    ...(xr?.value && xr.source_currency && xr.target_currency
      ? { exchangeRate: { from: xr.source_currency, to: xr.target_currency, value: xr.value } }
      : {}),
    ...(orderId ? { orderId } : {}),
    ...(r.invoice_id ? { invoiceRef: r.invoice_id } : {}),
    ...(r.custom_id ? { customId: r.custom_id } : {}),
    ...riskSignals(r),
    createTime: r.create_time ?? r.update_time ?? new Date(0).toISOString(),
    updateTime: r.update_time ?? r.create_time ?? new Date(0).toISOString(),
  };
}

/**
 * A v1 sale (PAYMENT.SALE.* resource), generated from PayPal's Payments v1 spec, plus the two fields the
 * webhook resource carries that the spec's sale schema lacks (PAYMENT.SALE.COMPLETED sample,
 * developer.paypal.com/api/rest/webhooks/event-names/#sales).
 */
type SaleResource = PayPalWire<PayPalSale & { invoice_number: string; custom: string }>;

/** v1 sale: `state` completed/pending/denied…, `amount.total` + `amount.currency`, `transaction_fee`. */
export function saleFacts(r: SaleResource): PaymentFacts {
  if (!r.id) throw errors.validation('sale has no id');
  if (!r.amount?.total || !r.amount.currency) throw errors.validation(`sale ${r.id} has no amount`);
  const gross = parseAmount(r.amount.total, r.amount.currency);
  const fee = r.transaction_fee?.value
    ? parseAmount(r.transaction_fee.value, r.transaction_fee.currency ?? r.amount.currency)
    : { currency: gross.currency, minor: 0 };
  const state = (r.state ?? '').toLowerCase();
  const mapped: PaymentStatus =
    state === 'completed'
      ? 'COMPLETED'
      : state === 'pending'
        ? 'PENDING'
        : state === 'denied'
          ? 'DECLINED'
          : state === 'refunded'
            ? 'REFUNDED'
            : state === 'partially_refunded'
              ? 'PARTIALLY_REFUNDED'
              : state === 'reversed'
                ? 'REVERSED'
                : status(state);
  return {
    kind: 'sale',
    paypalId: r.id,
    status: mapped,
    ...(r.reason_code ? { statusDetails: r.reason_code } : {}),
    gross,
    fee,
    net: fee.currency === gross.currency ? subtract(gross, fee) : gross,
    ...(r.parent_payment ? { orderId: r.parent_payment } : {}),
    ...(r.invoice_number ? { invoiceRef: r.invoice_number } : {}),
    ...(r.custom ? { customId: r.custom } : {}),
    ...(r.billing_agreement_id ? { billingAgreementId: r.billing_agreement_id } : {}),
    ...((r as RiskFields).protection_eligibility
      ? { sellerProtection: String((r as RiskFields).protection_eligibility).replace(/^INELIGIBLE$/, 'NOT_ELIGIBLE') }
      : {}),
    createTime: r.create_time ?? r.update_time ?? new Date(0).toISOString(),
    updateTime: r.update_time ?? r.create_time ?? new Date(0).toISOString(),
  };
}

/** The risk fields of a capture (developer.paypal.com/docs/api/payments/v2/#captures_get) and a v1 sale. */
interface RiskFields {
  seller_protection?: { status?: string };
  processor_response?: { avs_code?: string; cvv_code?: string; response_code?: string };
  protection_eligibility?: string;
}

function riskSignals(r: RiskFields): Pick<PaymentFacts, 'sellerProtection' | 'processor'> {
  const pr = r.processor_response;
  return {
    ...(r.seller_protection?.status ? { sellerProtection: r.seller_protection.status } : {}),
    ...(pr && (pr.avs_code || pr.cvv_code || pr.response_code)
      ? {
          processor: {
            ...(pr.avs_code ? { avs: pr.avs_code } : {}),
            ...(pr.cvv_code ? { cvv: pr.cvv_code } : {}),
            ...(pr.response_code ? { response: pr.response_code } : {}),
          },
        }
      : {}),
  };
}
