// Composition root: read and validate the config once, start the proxy, drain gracefully on SIGTERM.
import { EmbeddedPostgresError } from './adapters/store/embedded-postgres.ts';
import { ConfigError, loadConfig, redactedConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createProxy } from './proxy.ts';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  throw err;
}
const log = createLogger(config.logLevel);
log.info({ config: redactedConfig(config) }, 'configuration loaded');
let proxy;
try {
  proxy = await createProxy(config, { log });
} catch (err) {
  // The store could not start (port, permissions, a data directory in use): the message says what to do.
  if (err instanceof EmbeddedPostgresError) {
    log.fatal({ err: { code: err.code, message: err.message } }, 'store did not start');
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
const url = await proxy.listen();
log.info({ url }, 'proxy listening');
process.stdout.write(`proxy-service listening on ${url} (store: ${proxy.store.kind})\n`);

const shutdown = (signal: string) => {
  log.info({ signal }, 'draining');
  proxy
    .stop()
    .then(() => {
      log.info('stopped');
      if (config.exitOnSigterm) process.exit(0);
    })
    .catch((err: unknown) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
};
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
