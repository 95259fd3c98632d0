// Training: robust statistics of the merchant's history (unsupervised) and, with enough review labels, a
// logistic regression pulled towards the prior weights (L2 around the prior, so a few labels move the model a
// little and many labels a lot). Pure and deterministic: same rows, same model.
import { FEATURES, localHour, reprofile, type MerchantProfile } from './features.ts';
import { MODEL_FORMAT, type FraudModel } from './model.ts';

export interface TrainingRow {
  /** raw features (FEATURES order) */
  x: number[];
  /** ISO time of the payment */
  at: string;
  amountMajor: number;
  /** the customer had no payment before this one */
  firstPurchase: boolean;
  /** 1 fraud, 0 legit, undefined unlabeled */
  label?: 0 | 1;
}

/** The shipped prior: expert weights per standardized feature (README "Fraud scoring" explains each). */
export const PRIOR = {
  bias: -4.6,
  weights: [1.0, 1.2, 0.8, 1.2, 0.6, 0.8, 1.0, 1.5, 0.25, 1.0, 0.9, 2.0, 3.0, 0.35, 0.3],
  anomalyWeight: 0.3,
  anomalyZ: 4,
  thresholds: { alert: 50, hold: 70, refundReview: 90 },
} as const;

/** Smallest scale per feature: counts and flags move in steps of 1, the log amount in quarters. */
const MIN_SCALE = FEATURES.map((f) => (f === 'amount_log' ? 0.25 : 1));

export const MIN_LABELS = 30;
export const MIN_FRAUD_LABELS = 5;

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** The merchant's profile: hour shares in local hours of `timeZone` (FRAUD_TIME_ZONE; absent: UTC), high value. */
export function merchantProfile(rows: TrainingRow[], timeZone?: string): MerchantProfile {
  const hours = new Array<number>(24).fill(1); // Laplace smoothing: an hour never seen is rare, not impossible
  for (const r of rows) hours[localHour(r.at, timeZone)]! += 1;
  const total = hours.reduce((a, b) => a + b, 0);
  const amounts = rows.map((r) => r.amountMajor).sort((a, b) => a - b);
  return {
    hourShare: hours.map((h) => Number((h / total).toFixed(6))),
    highValueMajor: Math.max(1, Number(quantile(amounts, 0.95).toFixed(2))),
    ...(timeZone && timeZone !== 'UTC' ? { timeZone } : {}),
  };
}

export interface TrainOptions {
  previous?: FraudModel;
  source: string;
  now?: Date;
  /** L2 strength around the prior weights */
  lambda?: number;
  iterations?: number;
  /** the merchant's IANA time zone for the hour profile (FRAUD_TIME_ZONE); absent: UTC */
  timeZone?: string;
}

/**
 * A new model from history rows: the profile (hours, high value) from every row, the features that depend on it
 * recomputed (reprofile), center/scale from every row, weights from the labeled rows.
 */
export function train(history: TrainingRow[], options: TrainOptions): FraudModel {
  const profile = merchantProfile(history, options.timeZone);
  const rows = history.map((r) => ({ ...r, x: reprofile(r.x, r, profile) }));
  const n = FEATURES.length;
  const center: number[] = [];
  const scale: number[] = [];
  for (let i = 0; i < n; i++) {
    const col = rows.map((r) => r.x[i]!).sort((a, b) => a - b);
    const med = quantile(col, 0.5);
    const dev = col.map((v) => Math.abs(v - med)).sort((a, b) => a - b);
    center.push(Number(med.toFixed(6)));
    scale.push(Number(Math.max(1.4826 * quantile(dev, 0.5), MIN_SCALE[i]!).toFixed(6)));
  }
  const labeled = rows.filter((r) => r.label !== undefined);
  const frauds = labeled.filter((r) => r.label === 1).length;
  const supervised = labeled.length >= MIN_LABELS && frauds >= MIN_FRAUD_LABELS;
  const base: FraudModel = {
    format: MODEL_FORMAT,
    version: (options.previous?.version ?? 0) + 1,
    trainedAt: (options.now ?? new Date()).toISOString(),
    trainedOn: { payments: rows.length, labels: labeled.length, fraudLabels: frauds, source: options.source },
    features: [...FEATURES],
    center,
    scale,
    weights: [...PRIOR.weights],
    bias: PRIOR.bias,
    anomalyWeight: PRIOR.anomalyWeight,
    anomalyZ: PRIOR.anomalyZ,
    supervised,
    profile,
    thresholds: options.previous?.thresholds ?? { ...PRIOR.thresholds },
  };
  if (!supervised) return base;
  const fitted = fitLogistic(base, labeled, options.lambda ?? 0.02, options.iterations ?? 400);
  return {
    ...base,
    weights: fitted.weights.map((w) => Number(w.toFixed(6))),
    bias: Number(fitted.bias.toFixed(6)),
  };
}

/** Full-batch gradient descent (Adam) on the log loss + λ‖w − prior‖²; the anomaly term is a fixed offset. */
function fitLogistic(
  m: FraudModel,
  rows: TrainingRow[],
  lambda: number,
  iterations: number,
): { weights: number[]; bias: number } {
  const n = m.weights.length;
  const Z = rows.map((r) => r.x.map((v, i) => Math.min(10, Math.max(-3, (v - m.center[i]!) / m.scale[i]!))));
  const offset = Z.map((z) => z.reduce((s, v) => s + m.anomalyWeight * Math.max(0, v - m.anomalyZ), 0));
  const y = rows.map((r) => r.label!);
  const w = [...m.weights, m.bias]; // last = bias
  const prior = [...PRIOR.weights, PRIOR.bias];
  const mom = new Array<number>(n + 1).fill(0);
  const vel = new Array<number>(n + 1).fill(0);
  const [lr, b1, b2, eps] = [0.05, 0.9, 0.999, 1e-8];
  for (let t = 1; t <= iterations; t++) {
    const g = new Array<number>(n + 1).fill(0);
    for (let k = 0; k < Z.length; k++) {
      const z = Z[k]!;
      let logit = w[n]! + offset[k]!;
      for (let i = 0; i < n; i++) logit += w[i]! * z[i]!;
      const err = 1 / (1 + Math.exp(-logit)) - y[k]!;
      for (let i = 0; i < n; i++) g[i]! += err * z[i]!;
      g[n]! += err;
    }
    for (let i = 0; i <= n; i++) {
      const gi = g[i]! / Z.length + (i < n ? 2 * lambda * (w[i]! - prior[i]!) : 0);
      mom[i] = b1 * mom[i]! + (1 - b1) * gi;
      vel[i] = b2 * vel[i]! + (1 - b2) * gi * gi;
      const mh = mom[i]! / (1 - b1 ** t);
      const vh = vel[i]! / (1 - b2 ** t);
      w[i]! -= (lr * mh) / (Math.sqrt(vh) + eps);
    }
  }
  return { weights: w.slice(0, n), bias: w[n]! };
}
