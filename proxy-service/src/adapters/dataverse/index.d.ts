export { createDataverseClient } from './client.ts';
export type { BatchOp, ChangeSetResult, DataverseClientOptions, DataversePort, DataverseStats } from './types.ts';
export { THROTTLE_CODES } from './dataverse-errors.ts';
