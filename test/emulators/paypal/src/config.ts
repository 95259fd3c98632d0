// Emulator configuration: one object, every key documented with its default.
export const DEFAULT_CLIENT_ID = 'emulator-client-id';
export const DEFAULT_CLIENT_SECRET = 'emulator-client-secret';

export interface FeeRule {
  /** Percentage part in basis points (349 = 3.49 %). */
  basisPoints: number;
  /** Fixed part in minor units of the capture currency. */
  fixedMinor: number;
}

export interface PayPalEmulatorConfig {
  /** Listen address. Default 127.0.0.1. */
  host: string;
  /** Listen port; 0 picks a free one. Default 0. */
  port: number;
  /** Seed for ids, amounts and timing; same seed and same calls give the same run. Default random. */
  seed: string | number;
  /** Emulator clock start. Default: the real time, like PayPal's sandbox (a seed fixes ids, not dates). */
  startTime: string | Date | undefined;
  /** Whether real time passes on the emulator clock. Default: true, unless a startTime pins it (then frozen until advanced). */
  clockFlows: boolean | undefined;
  /** Extra OAuth clients (the default client is always accepted). */
  clients: Array<{ clientId: string; clientSecret: string }>;
  /** OAuth token lifetime (PayPal: typically 32400 s). */
  tokenTtlSeconds: number;
  /** JSON file that keeps state across restarts; none by default (in-memory). */
  stateFile: string | undefined;
  /** Base URL used in HATEOAS links and cert URLs; default the listening URL. */
  publicUrl: string | undefined;
  /** The emulated merchant account. */
  merchant: { accountId: string; email: string; primaryCurrency: string; receivingCurrencies: string[] };
  /** Fee per capture currency; `default` applies to the rest. */
  fees: Record<string, FeeRule>;
  /** Conversion rates `FROM:TO` → decimal string (target units per source unit). */
  exchangeRates: Record<string, string>;
  /** Webhook retry delays after each failed attempt, in ms. Default: PayPal-like, 25 attempts over ~3 days. */
  webhookRetryScheduleMs: number[];
  /** 'real' retries on real timers; 'clock' retries when the emulator clock is advanced. Default 'real'. */
  webhookTimers: 'real' | 'clock';
  /** A delivery attempt that takes longer fails (and is retried). Default 10000 ms. */
  webhookTimeoutMs: number;
  /** Folder where STL/TRR report files are written (an SFTP drop). Default: none (control API only). */
  reportsDir: string | undefined;
  /** Refunds later than this after capture are rejected with REFUND_TIME_LIMIT_EXCEEDED. Default 180 days. */
  refundTimeLimitDays: number;
  /** A payout batch is processed this long after creation on the emulator clock. Default 60000 ms. */
  payoutProcessingMs: number;
  /** Keep every API response for inspection (`GET /_emulator/responses`). Default true (last 5000). */
  recordResponses: boolean;
}

const HOUR = 3_600_000;

export function resolveConfig(partial: Partial<PayPalEmulatorConfig> = {}): PayPalEmulatorConfig {
  return {
    host: partial.host ?? '127.0.0.1',
    port: partial.port ?? 0,
    seed: partial.seed ?? `${Date.now()}-${process.pid}-${Math.random()}`,
    startTime: partial.startTime,
    clockFlows: partial.clockFlows ?? partial.startTime === undefined,
    clients: [{ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET }, ...(partial.clients ?? [])],
    tokenTtlSeconds: partial.tokenTtlSeconds ?? 32400,
    stateFile: partial.stateFile,
    publicUrl: partial.publicUrl,
    merchant: partial.merchant ?? {
      accountId: 'EMULATEMERCH2',
      email: 'merchant@emulator.example',
      primaryCurrency: 'USD',
      receivingCurrencies: ['USD', 'EUR', 'GBP', 'CAD', 'AUD'],
    },
    fees: partial.fees ?? {
      default: { basisPoints: 349, fixedMinor: 49 },
      EUR: { basisPoints: 349, fixedMinor: 39 },
      GBP: { basisPoints: 349, fixedMinor: 29 },
      JPY: { basisPoints: 360, fixedMinor: 40 },
      HUF: { basisPoints: 349, fixedMinor: 90 },
      TWD: { basisPoints: 349, fixedMinor: 10 },
    },
    exchangeRates: partial.exchangeRates ?? {
      'JPY:USD': '0.0066',
      'HUF:USD': '0.0027',
      'TWD:USD': '0.031',
      'MXN:USD': '0.058',
      'EUR:USD': '1.08',
      'GBP:USD': '1.27',
    },
    webhookRetryScheduleMs: partial.webhookRetryScheduleMs ?? [
      60_000,
      120_000,
      300_000,
      600_000,
      1_200_000,
      HOUR,
      ...Array.from({ length: 18 }, () => 4 * HOUR),
    ],
    webhookTimers: partial.webhookTimers ?? 'real',
    webhookTimeoutMs: partial.webhookTimeoutMs ?? 10_000,
    reportsDir: partial.reportsDir,
    refundTimeLimitDays: partial.refundTimeLimitDays ?? 180,
    recordResponses: partial.recordResponses ?? true,
    payoutProcessingMs: partial.payoutProcessingMs ?? 60_000,
  };
}
