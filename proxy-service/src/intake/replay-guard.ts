// Replay defences on top of PayPal's signature. The signature covers `crc32(body)`, not the body
// (developer.paypal.com/api/rest/webhooks/rest, "Verify the signature"), so the genuine headers of one delivery
// also verify any other body padded to the same CRC32. Two checks bound what such a forgery can do:
//
// 1. A transmission id is one signed message: the same paypal-transmission-id with a different body (SHA-256 of
//    the raw bytes, kept in paypal_transmissions) is rejected. A redelivery with the same bytes passes and is
//    then a duplicate of its stored event.
// 2. paypal-transmission-time must lie within TRANSMISSION_MAX_AGE_MS before our clock (and at most
//    TRANSMISSION_MAX_SKEW_MS after it). Transmission ids are remembered for that window and then forgotten, so
//    check 1 holds for every delivery check 2 lets in.
//
// Why 31 days. PayPal retries a failed delivery "up to 25 times over 3 days" (developer.paypal.com/api/rest/
// webhooks/rest), and the dashboard and POST /v1/notifications/webhooks-events/{id}/resend resend events of the
// last 30 days (developer.paypal.com/api/rest/webhooks/). PayPal does not document whether a retry or a resend
// keeps the first attempt's paypal-transmission-time and signature; the saved deliveries are one attempt each
// (test/fixtures/paypal-webhooks/signed) and cannot tell. A genuine redelivery must never be rejected, so the
// window assumes the worst case, a resend on day 30 carrying the original time, plus a day of margin. A forgery
// built from an older delivery (the 11-month-old headers of a real attack) is rejected by the time alone.
import type { PayPalTransmission } from './paypal-headers.ts';
import type { RejectReason } from './verification.ts';

export const DAY_MS = 86_400_000;
export const TRANSMISSION_MAX_AGE_MS = 31 * DAY_MS;
/** Clocks disagree: PayPal's transmission time may be a little ahead of ours. */
export const TRANSMISSION_MAX_SKEW_MS = 15 * 60_000;

// PayPal sends RFC 3339 UTC, e.g. 2024-08-02T19:33:35Z; Date.parse alone would take many looser forms.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function parseTransmissionTime(value: string): Date | undefined {
  if (!RFC3339.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

export type TransmissionCheck = { ok: true; time: Date } | { ok: false; reason: RejectReason; detail: string };

export function checkTransmissionTime(t: Pick<PayPalTransmission, 'transmissionTime'>, now: Date): TransmissionCheck {
  const time = parseTransmissionTime(t.transmissionTime);
  if (!time)
    return { ok: false, reason: 'transmission_time_invalid', detail: 'paypal-transmission-time is not RFC 3339' };
  const age = now.getTime() - time.getTime();
  if (age > TRANSMISSION_MAX_AGE_MS || age < -TRANSMISSION_MAX_SKEW_MS)
    return {
      ok: false,
      reason: 'transmission_time_out_of_range',
      detail: `transmitted ${time.toISOString()}, ${Math.round(age / 60_000)} minutes from now`,
    };
  return { ok: true, time };
}

/** Transmission ids older than this can be forgotten: the time check rejects them before they are looked up. */
export const transmissionsForgetBefore = (now: Date) => new Date(now.getTime() - TRANSMISSION_MAX_AGE_MS - DAY_MS);
