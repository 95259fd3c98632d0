// Dataverse adapter: the port the flows use and its Web API implementation.
export { createDataverseClient, type DataverseClient } from './client.ts';
export { createUserPool, type UserPool } from './user-pool.ts';
export { withMicroBatching, createMicroBatcher, type MicroBatchOptions } from './micro-batch.ts';
export type {
  BatchItem,
  BatchItemOutcome,
  BatchOp,
  ChangeSetResult,
  DataverseClientOptions,
  DataversePort,
  DataverseStats,
  GateLoad,
} from './types.ts';
export { THROTTLE_CODES } from './dataverse-errors.ts';
