// Risk bands for the 0–100 fraud score the proxy writes (ARCHITECTURE.md §3 "fraud and anomalies").
import { RiskBand } from './names';

export type FraudBand = 'low' | 'medium' | 'high';

/** The band the proxy stored wins; without one it is derived from the score. */
export function bandOf(score: number, storedBand?: number): FraudBand {
  if (storedBand === RiskBand.High) return 'high';
  if (storedBand === RiskBand.Medium) return 'medium';
  if (storedBand === RiskBand.Low) return 'low';
  if (score >= 70) return 'high';
  if (score >= 30) return 'medium';
  return 'low';
}

/**
 * The reason codes the proxy's scorer writes (proxy-service/src/fraud/reasons.ts); each has a text in the FraudScore
 * resx (reason_<CODE>, 1033 and 1031), so a reason reads in the user's language, not the proxy's.
 */
export const REASON_CODES: readonly string[] = [
  'SELLER_PROTECTION',
  'CARD_CHECKS_FAILED',
  'PAYER_UNVERIFIED',
  'PAYER_VELOCITY',
  'EMAIL_VELOCITY',
  'ADDRESS_VELOCITY',
  'CARD_VELOCITY',
  'DECLINE_BURST',
  'AMOUNT_UNUSUAL_FOR_CUSTOMER',
  'FIRST_PURCHASE_HIGH_VALUE',
  'COUNTRY_MISMATCH',
  'HIGH_REFUND_RATIO',
  'HIGH_DISPUTE_RATIO',
  'UNUSUAL_HOUR',
  'HIGH_AMOUNT',
];

/** Reasons are stored as JSON array text ({code, reason} objects or strings) or one reason per line. */
export function parseReasons(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) {
      return parsed
        .map((r: unknown) => {
          if (typeof r !== 'object' || r === null) return String(r);
          const { code, reason } = r as { code?: unknown; reason?: unknown };
          // a known code is translated by the control; anything else is shown as the proxy wrote it
          if (typeof code === 'string' && REASON_CODES.includes(code)) return code;
          return reason === undefined ? '' : String(reason);
        })
        .filter((r) => r !== '');
    }
  } catch {
    // not JSON: fall through to line-separated text
  }
  return text
    .split(/\r?\n|;/)
    .map((r) => r.trim())
    .filter((r) => r !== '');
}
