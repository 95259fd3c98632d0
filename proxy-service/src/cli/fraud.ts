// `npm run fraud -- evaluate [--seed N] [--customers N] [--days N] [--report file] [--model-out file]` and
// `npm run fraud -- train [--model file] [--out file] [--report file]` (the store of DATABASE_URL / STORE, like dlq).
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openStore } from '../adapters/store/open-store.ts';
import { loadConfig } from '../config.ts';
import { evaluate, reportMarkdown } from '../fraud/evaluate.ts';
import { retrainFromStore } from '../fraud/retrain.ts';
import { DEFAULT_MODEL_FILE, loadModel } from '../fraud/scorer.ts';

const USAGE =
  'usage: fraud evaluate [--seed N] [--customers N] [--days N] [--report file] [--model-out file] | fraud train [--model file] [--out file] [--report file]';
const DEFAULT_REPORT = fileURLToPath(new URL('../fraud/reports/evaluation.md', import.meta.url));
const DEFAULT_TRAIN_REPORT = fileURLToPath(new URL('../fraud/reports/training.md', import.meta.url));

export async function runFraud(argv: string[], out: (line: string) => void, env = process.env): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: 'string', default: '18' },
      customers: { type: 'string' },
      days: { type: 'string' },
      report: { type: 'string' },
      'model-out': { type: 'string' },
      model: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const [command] = positionals;
  if (command === 'evaluate') {
    const seed = Number(values.seed);
    if (!Number.isInteger(seed)) {
      out(USAGE);
      return 2;
    }
    const e = evaluate({
      seed,
      now: new Date('2026-06-01T00:00:00Z'),
      ...(values.customers ? { customers: Number(values.customers) } : {}),
      ...(values.days ? { days: Number(values.days) } : {}),
    });
    const report = values.report ?? DEFAULT_REPORT;
    mkdirSync(dirname(report), { recursive: true });
    writeFileSync(report, reportMarkdown(e));
    writeFileSync(
      report.replace(/\.md$/, '') + '.json',
      `${JSON.stringify({ ...e, model: undefined, modelVersion: e.model.version }, null, 2)}\n`,
    );
    if (values['model-out']) writeFileSync(values['model-out'], `${JSON.stringify(e.model, null, 2)}\n`);
    const o = e.trained.overall!;
    out(
      `evaluated seed ${seed}: ${e.testPayments} held-out payments; precision ${o.precision}, recall ${o.recall}, PR-AUC ${o.prAuc}, alert rate ${o.alertRate} → ${report}`,
    );
    return 0;
  }
  if (command === 'train') {
    const modelFile = values.model ?? fileURLToPath(DEFAULT_MODEL_FILE);
    const config = loadConfig(env);
    const store = await openStore(config);
    try {
      const { model } = await retrainFromStore(
        store,
        loadModel(modelFile),
        { modelFile: values.out ?? modelFile, reportFile: values.report ?? DEFAULT_TRAIN_REPORT },
        new Date(),
        config.fraudTimeZone,
      );
      out(
        `trained model version ${model.version} on ${model.trainedOn.payments} payments, ${model.trainedOn.labels} labels (${model.supervised ? 'supervised' : 'prior weights'}) → ${values.out ?? modelFile}`,
      );
      return 0;
    } finally {
      await store.close();
    }
  }
  out(USAGE);
  return 2;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runFraud(process.argv.slice(2), (l) => console.log(l));
}
