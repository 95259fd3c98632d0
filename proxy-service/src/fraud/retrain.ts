// `train` on the proxy's own history: every scored payment (features stored at scoring time) and the reviewers'
// labels → a new model file (version + 1) and a training report. Pure apart from the store read and two writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Sql } from '../adapters/store/store.ts';
import { FEATURES, reprofile } from './features.ts';
import { metricsAt } from './evaluate.ts';
import { scoreOf, type FraudModel } from './model.ts';
import { trainingRows } from './store.ts';
import { MIN_FRAUD_LABELS, MIN_LABELS, train, type TrainingRow } from './train.ts';

export interface RetrainResult {
  model: FraudModel;
  report: string;
}

export function trainingReport(previous: FraudModel, model: FraudModel, rows: TrainingRow[]): string {
  const labeled = rows.filter((r) => r.label !== undefined);
  const scoresOf = (m: FraudModel) => labeled.map((r) => scoreOf(m, reprofile(r.x, r, m.profile)));
  const labels = labeled.map((r) => r.label!);
  const before = metricsAt(scoresOf(previous), labels, previous.thresholds.alert);
  const after = metricsAt(scoresOf(model), labels, model.thresholds.alert);
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  return [
    '# Fraud model: training report',
    '',
    `Model version ${previous.version} → ${model.version}, trained ${model.trainedAt} on ${model.trainedOn.source}.`,
    `${rows.length} scored payments, ${labeled.length} review labels (${model.trainedOn.fraudLabels} confirmed fraud).`,
    model.supervised
      ? 'Weights fitted on the labels (logistic regression, L2 towards the prior).'
      : `Too few labels for the supervised part (needs ${MIN_LABELS}, ${MIN_FRAUD_LABELS} of them fraud): prior weights; center/scale and the merchant profile refitted on the history.`,
    '',
    '| on the labeled payments (in-sample) | precision | recall | PR-AUC |',
    '| --- | ---: | ---: | ---: |',
    `| before (v${previous.version}) | ${pct(before.precision)} | ${pct(before.recall)} | ${before.prAuc.toFixed(3)} |`,
    `| after (v${model.version}) | ${pct(after.precision)} | ${pct(after.recall)} | ${after.prAuc.toFixed(3)} |`,
    '',
    '| feature | weight before | weight after |',
    '| --- | ---: | ---: |',
    ...FEATURES.map((f, i) => `| ${f} | ${previous.weights[i]!.toFixed(3)} | ${model.weights[i]!.toFixed(3)} |`),
    `| (bias) | ${previous.bias.toFixed(3)} | ${model.bias.toFixed(3)} |`,
    '',
  ].join('\n');
}

export async function retrainFromStore(
  sql: Sql,
  previous: FraudModel,
  out: { modelFile: string; reportFile: string },
  now = new Date(),
  /** the merchant's time zone (FRAUD_TIME_ZONE): the hour profile is learned in its local hours */
  timeZone?: string,
): Promise<RetrainResult> {
  const rows = await trainingRows(sql);
  if (!rows.length) throw new Error('no scored payments in the store: nothing to train on');
  const model = train(rows, {
    previous,
    source: `the proxy's store (${rows.length} payments)`,
    now,
    ...(timeZone ? { timeZone } : {}),
  });
  const report = trainingReport(previous, model, rows);
  for (const f of [out.modelFile, out.reportFile]) mkdirSync(dirname(f), { recursive: true });
  writeFileSync(out.modelFile, `${JSON.stringify(model, null, 2)}\n`);
  writeFileSync(out.reportFile, report);
  return { model, report };
}
