// The fraud model as data (models/fraud-model.json, versioned) and its inference, in plain TypeScript.
//
// score = 100 · σ(bias + Σᵢ cᵢ), with per feature i, zᵢ = (xᵢ − centerᵢ) / scaleᵢ (clipped to [−3, 10]):
//   cᵢ = weightᵢ · zᵢ + anomalyWeight · max(0, zᵢ − anomalyZ)
// - center/scale are robust statistics (median, 1.4826·MAD) of the merchant's own payment history: the
//   unsupervised part; the anomaly term adds for any feature far above what this merchant normally sees.
// - weights/bias: a logistic regression fitted on review outcomes (train.ts) once there are enough labels;
//   before that the shipped prior weights (documented in README.md) stand.
// Each cᵢ is the contribution of one feature, so the reasons are exact parts of the score's logit, never a bare number.
import { FEATURES, isTimeZone, type FeatureName, type MerchantProfile } from './features.ts';
import { REASON_CODES, reasonText } from './reasons.ts';

export const MODEL_FORMAT = 'ppc-fraud-model/1';

export interface FraudModel {
  format: typeof MODEL_FORMAT;
  version: number;
  trainedAt: string;
  trainedOn: { payments: number; labels: number; fraudLabels: number; source: string };
  features: FeatureName[];
  center: number[];
  scale: number[];
  weights: number[];
  bias: number;
  anomalyWeight: number;
  anomalyZ: number;
  /** true when weights come from labels, false for the prior */
  supervised: boolean;
  profile: MerchantProfile;
  /** default thresholds (0–100); FRAUD_*_THRESHOLD override them */
  thresholds: { alert: number; hold: number; refundReview: number };
}

export interface Contribution {
  feature: FeatureName;
  code: string;
  reason: string;
  value: number;
  /** logit contribution above the merchant's typical payment */
  contribution: number;
}

export interface Assessment {
  score: number;
  band: 'low' | 'medium' | 'high';
  modelVersion: number;
  /** positive contributions, largest first */
  reasons: Contribution[];
}

export function checkModel(m: FraudModel): FraudModel {
  const format: unknown = m.format;
  if (format !== MODEL_FORMAT) throw new Error(`fraud model format ${JSON.stringify(format)} is not ${MODEL_FORMAT}`);
  const n = FEATURES.length;
  if (m.features.join() !== FEATURES.join())
    throw new Error(`fraud model features [${m.features.join()}] differ from the code's [${FEATURES.join()}]`);
  for (const k of ['center', 'scale', 'weights'] as const)
    if (m[k].length !== n || m[k].some((x) => !Number.isFinite(x)))
      throw new Error(`fraud model ${k} is not ${n} numbers`);
  if (m.profile.hourShare.length !== 24) throw new Error('fraud model profile.hourShare is not 24 numbers');
  if (m.profile.timeZone !== undefined && !isTimeZone(m.profile.timeZone))
    throw new Error(`fraud model profile.timeZone ${JSON.stringify(m.profile.timeZone)} is not an IANA time zone`);
  return m;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The standardized features (what the weights multiply). */
export function standardize(m: FraudModel, x: number[]): number[] {
  const z = new Array<number>(x.length);
  for (let i = 0; i < x.length; i++) z[i] = Math.min(10, Math.max(-3, (x[i]! - m.center[i]!) / m.scale[i]!));
  return z;
}

/** The logit and each feature's part of it. */
export function contributions(m: FraudModel, x: number[]): { logit: number; parts: number[] } {
  const parts = new Array<number>(x.length);
  let logit = m.bias;
  for (let i = 0; i < x.length; i++) {
    const z = Math.min(10, Math.max(-3, (x[i]! - m.center[i]!) / m.scale[i]!));
    const c = m.weights[i]! * z + m.anomalyWeight * Math.max(0, z - m.anomalyZ);
    parts[i] = c;
    logit += c;
  }
  return { logit, parts };
}

export function scoreOf(m: FraudModel, x: number[]): number {
  return Math.round(100 * sigmoid(contributions(m, x).logit));
}

export function bandOf(score: number, t: FraudModel['thresholds']): Assessment['band'] {
  return score >= t.hold ? 'high' : score >= Math.min(t.alert, 30) ? 'medium' : 'low';
}

/** Score, band and ranked reasons (at most `top`, contributions above 0.05) in `language`. */
export function assess(
  m: FraudModel,
  x: number[],
  options: { language?: string; top?: number; thresholds?: FraudModel['thresholds'] } = {},
): Assessment {
  const { logit, parts } = contributions(m, x);
  const score = Math.round(100 * sigmoid(logit));
  const reasons = parts
    .map((c, i) => ({ c, i }))
    .filter((r) => r.c > 0.05)
    .sort((a, b) => b.c - a.c)
    .slice(0, options.top ?? 5)
    .map(({ c, i }) => {
      const feature = FEATURES[i]!;
      return {
        feature,
        code: REASON_CODES[feature],
        reason: reasonText(feature, options.language),
        value: Number(x[i]!.toFixed(3)),
        contribution: Number(c.toFixed(3)),
      };
    });
  return { score, band: bandOf(score, options.thresholds ?? m.thresholds), modelVersion: m.version, reasons };
}
