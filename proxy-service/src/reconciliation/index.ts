// The reconciliation's pure parts, for the benchmark and other workspaces (@ppc/proxy-service/reconciliation).
export {
  parseReport,
  reportFileInfo,
  impliedToMinor,
  type ReportTransaction,
  type CurrencyTotals,
} from './report-parser.ts';
export { Matcher, type BookedRecord, type Break, type MatchResult } from './matcher.ts';
export { closeDay, postConversion, type CurrencyClose } from './close.ts';
export { classify } from './tcodes.ts';
