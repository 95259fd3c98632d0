// Fraud scoring (README "Fraud scoring"): what other workspaces (benchmark, tests) use.
export * from './features.ts';
export * from './disputes.ts';
export * from './windows.ts';
export * from './model.ts';
export * from './train.ts';
export * from './generator.ts';
export { evaluate, reportMarkdown, averagePrecision, metricsAt, featurize } from './evaluate.ts';
export {
  createScorer,
  loadModel,
  signalsOf,
  DEFAULT_MODEL_FILE,
  type FraudScorer,
  type FraudDecision,
} from './scorer.ts';
export { retrainFromStore, trainingReport } from './retrain.ts';
export { DatabaseWindows, saveLabel, saveScore, trainingRows } from './store.ts';
export { openStore } from '../adapters/store/open-store.ts';
