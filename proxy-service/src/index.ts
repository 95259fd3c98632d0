export { loadConfig, configKeys, configTable, redactedConfig, ConfigError, type Config } from './config.ts';
export { createProxy, type Proxy, type ProxyOverrides } from './proxy.ts';
export { OfflineVerifier, certUrlAllowed } from './intake/offline-verifier.ts';
export { parsePemChain, type CertificateSource } from './intake/certificate-source.ts';
export { PAYPAL_ACTIONS, actionFor } from './flows/event-actions.ts';
export { decideRetry, parseRetryAfter } from './retry/retry-policy.ts';
export { RETRY_TABLE, retryTableMarkdown, worstCase } from './retry/retry-table.ts';
export { runSetup, HANDLED_EVENT_TYPES, type SetupReport } from './connection-setup.ts';
export { createLogger, type LogDestination } from './logger.ts';
export { insertInboxEvents } from './queue/inbox.ts';
export { EMBEDDED_PG_MAJOR, startEmbeddedPostgres } from './adapters/store/embedded-postgres.ts';
export { QUEUES } from './queue/job-queue.ts';
export { createDataverseClient, createUserPool, withMicroBatching } from './adapters/dataverse/index.ts';
export type { BatchOp, DataversePort, DataverseClient, UserPool } from './adapters/dataverse/index.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export {
  recordIntegrationEvent,
  inboxKey,
  type IntegrationEventInput,
  type IntegrationEventKind,
} from './ops/integration-events.ts';
