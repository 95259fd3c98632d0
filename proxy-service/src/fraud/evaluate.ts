// Reproducible evaluation: generate a seeded merchant history with injected fraud (generator.ts), run every payment
// through the same windows and features as the proxy, train on the first 70 % of the period, score the last 30 %
// (held out), and report precision, recall, PR-AUC and the alert rate at the model's thresholds, overall and per
// pattern, with the reason contributions of three example alerts.
import { FEATURES, isFirstPurchase, observe, reprofile, windowKeys, type MerchantProfile } from './features.ts';
import { FRAUD_PATTERNS, generatePayments, type GeneratedPayment, type Pattern } from './generator.ts';
import { assess, scoreOf, type Assessment, type FraudModel } from './model.ts';
import { train, type TrainingRow } from './train.ts';
import { MemoryDisputes } from './disputes.ts';
import { MemoryWindows, type WindowState } from './windows.ts';

export interface Scored {
  payment: GeneratedPayment;
  x: number[];
  firstPurchase: boolean;
}

/**
 * Every payment in time order through in-memory windows and the dispute ledger (disputes opened before a payment
 * are booked before it is scored, as the dispute flow would have): raw features as the proxy computes them.
 */
export function featurize(payments: GeneratedPayment[], profile: MerchantProfile): Scored[] {
  const windows = new MemoryWindows();
  const ledger = new MemoryDisputes();
  const disputes = payments
    .filter((g) => g.disputedAt)
    .map((g) => ({
      disputeId: `PP-D-${g.signals.paypalId}`,
      paypalId: g.signals.paypalId,
      openedAtMs: Date.parse(g.disputedAt!),
    }))
    .sort((a, b) => a.openedAtMs - b.openedAtMs);
  let next = 0;
  return payments.map((payment) => {
    const p = payment.signals;
    const atMs = Date.parse(p.at);
    while (next < disputes.length && disputes[next]!.openedAtMs <= atMs) ledger.recordDispute(disputes[next++]!);
    const keys = windowKeys(p);
    const states = new Map<string, WindowState>();
    for (const k of Object.values(keys)) {
      const s = windows.loadSync(k);
      if (s) states.set(k, s);
    }
    const firstPurchase = isFirstPurchase(p, states);
    const history = keys.payer ? ledger.historyAt(keys.payer, atMs) : undefined;
    const observed = observe(p, states, profile, history);
    for (const [k, s] of observed.next) windows.saveSync(k, s);
    if (keys.payer) ledger.recordPayment(keys.payer, p.paypalId, atMs, p.declined);
    return { payment, x: observed.features, firstPurchase };
  });
}

export const toRow = (s: Scored, labeled: boolean): TrainingRow => ({
  x: s.x,
  at: s.payment.signals.at,
  amountMajor: s.payment.signals.amountMinor / 10 ** s.payment.signals.decimals,
  firstPurchase: s.firstPurchase,
  ...(labeled ? { label: s.payment.label } : {}),
});

export interface Metrics {
  positives: number;
  negatives: number;
  precision: number;
  recall: number;
  prAuc: number;
  alertRate: number;
}

/** Average precision (the step-wise area under the precision-recall curve, as scikit-learn computes it). */
export function averagePrecision(scores: number[], labels: (0 | 1)[]): number {
  const idx = scores.map((s, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const total = labels.reduce<number>((a, b) => a + b, 0);
  if (!total) return 0;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  let prevRecall = 0;
  for (let k = 0; k < idx.length;) {
    // ties: one threshold for all equal scores
    let j = k;
    while (j < idx.length && scores[idx[j]!] === scores[idx[k]!]) {
      tp += labels[idx[j]!]!;
      seen += 1;
      j += 1;
    }
    const recall = tp / total;
    ap += (recall - prevRecall) * (tp / seen);
    prevRecall = recall;
    k = j;
  }
  return ap;
}

export function metricsAt(scores: number[], labels: (0 | 1)[], threshold: number): Metrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const alert = scores[i]! >= threshold;
    if (alert && labels[i]) tp++;
    else if (alert) fp++;
    else if (labels[i]) fn++;
  }
  const positives = tp + fn;
  const round = (x: number) => Number(x.toFixed(4));
  return {
    positives,
    negatives: scores.length - positives,
    precision: round(tp + fp ? tp / (tp + fp) : 0),
    recall: round(positives ? tp / positives : 0),
    prAuc: round(averagePrecision(scores, labels)),
    alertRate: round(scores.length ? (tp + fp) / scores.length : 0),
  };
}

export interface Evaluation {
  seed: number;
  payments: number;
  trainPayments: number;
  testPayments: number;
  model: FraudModel;
  /** overall and per pattern (pattern rows: that pattern's payments against all legit ones) at the alert threshold */
  prior: Record<string, Metrics>;
  trained: Record<string, Metrics>;
  hold: Metrics;
  examples: { paypalId: string; pattern: Pattern; assessment: Assessment }[];
}

function byPattern(test: Scored[], scores: number[], threshold: number): Record<string, Metrics> {
  const out: Record<string, Metrics> = {
    overall: metricsAt(
      scores,
      test.map((s) => s.payment.label),
      threshold,
    ),
  };
  for (const p of FRAUD_PATTERNS) {
    const keep = test
      .map((s, i) => (s.payment.pattern === p || s.payment.pattern === 'legit' ? i : -1))
      .filter((i) => i >= 0);
    out[p] = metricsAt(
      keep.map((i) => scores[i]!),
      keep.map((i) => test[i]!.payment.label),
      threshold,
    );
  }
  return out;
}

export function evaluate(options: {
  seed: number;
  customers?: number;
  days?: number;
  previous?: FraudModel;
  now?: Date;
}): Evaluation {
  const payments = generatePayments({ seed: options.seed, customers: options.customers, days: options.days });
  const cut =
    Date.parse(payments[0]!.signals.at) +
    0.7 * (Date.parse(payments.at(-1)!.signals.at) - Date.parse(payments[0]!.signals.at));
  // Features are computed once with a neutral profile; train() recomputes the profile-dependent ones.
  const neutral: MerchantProfile = { hourShare: new Array<number>(24).fill(1 / 24), highValueMajor: 100 };
  const all = featurize(payments, neutral);
  const trainSet = all.filter((s) => Date.parse(s.payment.signals.at) < cut);
  const test = all.filter((s) => Date.parse(s.payment.signals.at) >= cut);
  const source = `generator seed ${options.seed}, first 70 % of ${payments.length} payments`;
  const prior = train(
    trainSet.map((s) => toRow(s, false)),
    {
      source,
      ...(options.now ? { now: options.now } : {}),
      ...(options.previous ? { previous: options.previous } : {}),
    },
  );
  const model = train(
    trainSet.map((s) => toRow(s, true)),
    {
      source,
      ...(options.now ? { now: options.now } : {}),
      ...(options.previous ? { previous: options.previous } : {}),
    },
  );
  const xs = test.map((s) => reprofile(s.x, toRow(s, false), model.profile));
  const priorScores = test.map((s) => scoreOf(prior, reprofile(s.x, toRow(s, false), prior.profile)));
  const scores = xs.map((x) => scoreOf(model, x));
  // Three example alerts: the highest-scored payment of three different patterns.
  const examples: Evaluation['examples'] = [];
  const order = scores.map((s, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  for (const i of order) {
    const s = test[i]!;
    if (s.payment.label !== 1 || examples.some((e) => e.pattern === s.payment.pattern)) continue;
    examples.push({
      paypalId: s.payment.signals.paypalId,
      pattern: s.payment.pattern,
      assessment: assess(model, xs[i]!),
    });
    if (examples.length === 3) break;
  }
  return {
    seed: options.seed,
    payments: payments.length,
    trainPayments: trainSet.length,
    testPayments: test.length,
    model,
    prior: byPattern(test, priorScores, prior.thresholds.alert),
    trained: byPattern(test, scores, model.thresholds.alert),
    hold: metricsAt(
      scores,
      test.map((s) => s.payment.label),
      model.thresholds.hold,
    ),
    examples,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function reportMarkdown(e: Evaluation): string {
  const table = (rows: Record<string, Metrics>) =>
    [
      '| pattern | fraud payments | legit payments | precision | recall | PR-AUC | alert rate |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...Object.entries(rows).map(
        ([k, m]) =>
          `| ${k} | ${m.positives} | ${m.negatives} | ${pct(m.precision)} | ${pct(m.recall)} | ${m.prAuc.toFixed(3)} | ${pct(m.alertRate)} |`,
      ),
    ].join('\n');
  const t = e.model.thresholds;
  return [
    '# Fraud scoring: evaluation report',
    '',
    `Written by \`npm run fraud -- evaluate\`. Generator seed ${e.seed}: ${e.payments} payments; model trained on the first 70 % of the period (${e.trainPayments} payments), evaluated on the held-out last 30 % (${e.testPayments} payments).`,
    `Model version ${e.model.version} (${e.model.supervised ? 'supervised' : 'prior weights'}; ${e.model.trainedOn.labels} labels, ${e.model.trainedOn.fraudLabels} fraud). Thresholds: alert ${t.alert}, hold ${t.hold}, refund review ${t.refundReview}.`,
    '',
    'Per pattern rows count that pattern\'s payments against every legit payment of the split (so precision is "of the alerts among legit + this pattern"); the overall row uses every payment. PR-AUC is average precision over the scores.',
    '',
    `## Trained model, at the alert threshold (${t.alert})`,
    '',
    table(e.trained),
    '',
    `At the hold threshold (${t.hold}): precision ${pct(e.hold.precision)}, recall ${pct(e.hold.recall)}, hold rate ${pct(e.hold.alertRate)}.`,
    '',
    '## Prior weights only (no labels; robust statistics of the history), at the alert threshold',
    '',
    table(e.prior),
    '',
    '## Three example alerts: reason contributions (logit parts above the typical payment)',
    '',
    ...e.examples.flatMap((x) => [
      `### ${x.paypalId} (${x.pattern}): score ${x.assessment.score}, band ${x.assessment.band}`,
      '',
      '| code | reason | feature value | contribution |',
      '| --- | --- | ---: | ---: |',
      ...x.assessment.reasons.map((r) => `| ${r.code} | ${r.reason} | ${r.value} | +${r.contribution.toFixed(2)} |`),
      '',
    ]),
    '## Model weights',
    '',
    '| feature | center | scale | weight |',
    '| --- | ---: | ---: | ---: |',
    ...FEATURES.map(
      (f, i) => `| ${f} | ${e.model.center[i]} | ${e.model.scale[i]} | ${e.model.weights[i]!.toFixed(3)} |`,
    ),
    `| (bias) | | | ${e.model.bias.toFixed(3)} |`,
    '',
  ].join('\n');
}
