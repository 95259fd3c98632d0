// The transmission headers PayPal sends with every webhook delivery
// (developer.paypal.com/api/rest/webhooks/rest, "Verify the signature").
import type { IncomingHttpHeaders } from 'node:http';

export interface PayPalTransmission {
  transmissionId: string;
  transmissionTime: string;
  transmissionSig: string;
  certUrl: string;
  authAlgo: string;
}

const REQUIRED = {
  transmissionId: 'paypal-transmission-id',
  transmissionTime: 'paypal-transmission-time',
  transmissionSig: 'paypal-transmission-sig',
  certUrl: 'paypal-cert-url',
  authAlgo: 'paypal-auth-algo',
} as const;

/** Returns the transmission, or the name of the first missing header. */
export function readTransmission(headers: IncomingHttpHeaders): PayPalTransmission | { missing: string } {
  const out: Partial<PayPalTransmission> = {};
  for (const [field, header] of Object.entries(REQUIRED) as [keyof PayPalTransmission, string][]) {
    const value = headers[header];
    if (typeof value !== 'string' || value.trim() === '') return { missing: header };
    out[field] = value.trim();
  }
  return out as PayPalTransmission;
}
