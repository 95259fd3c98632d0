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

/** Reasons are stored as JSON array text or one reason per line. */
export function parseReasons(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) {
      return parsed
        .map((r: unknown) =>
          typeof r === 'object' && r !== null && 'reason' in r ? String((r as { reason: unknown }).reason) : String(r),
        )
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
