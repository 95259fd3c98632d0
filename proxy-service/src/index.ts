export { loadConfig, configKeys, configTable, redactedConfig, ConfigError, type Config } from './config.ts';
export { createProxy, type Proxy, type ProxyOverrides } from './proxy.ts';
export { OfflineVerifier, certUrlAllowed } from './intake/offline-verifier.ts';
export { parsePemChain, type CertificateSource } from './intake/certificate-source.ts';
export { PAYPAL_ACTIONS, actionFor } from './flows/paypal-actions.ts';
export { decideRetry, parseRetryAfter } from './queue/retry-policy.ts';
export { runSetup, HANDLED_EVENT_TYPES, type SetupReport } from './setup.ts';
export { createLogger } from './logger.ts';
export { insertInboxEvents } from './queue/inbox.ts';
