// Public API of the Dataverse emulator: createServer(config) → { url, close, … }.
import type { AddressInfo } from 'node:net';
import type { Clock } from './clock.ts';
import { resolveConfig } from './config.ts';
import type { DataverseEmulatorConfig } from './config.ts';
import { configureEndpoints, issueUserToken, seed } from './http/control.ts';
import type { SeedRequest } from './http/control.ts';
import { createHttp } from './http/server.ts';
import type { Model } from './metadata/model.ts';
import { EmulatorState } from './state.ts';
import type { Delivery } from './webhooks/pipeline.ts';
import type { Limiter } from './limits.ts';

export type { DataverseEmulatorConfig } from './config.ts';
export type { ServiceProtectionLimits } from './limits.ts';
export { DEFAULT_LIMITS } from './limits.ts';
export { ManualClock, systemClock } from './clock.ts';
export type { Clock } from './clock.ts';
export type { Delivery as WebhookDelivery } from './webhooks/pipeline.ts';
export {
  APPLICATION_USER,
  applicationUsers,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  EMULATOR_TENANT_ID,
  INTERACTIVE_USERS,
} from './users.ts';
export type { SeedUser } from './users.ts';
export { DEFAULT_CURRENCIES } from './seed.ts';
export type { CurrencySeed } from './seed.ts';
export type { ProductSeed, SeedRequest } from './http/control.ts';
export { emulatorNetworkClient, msalAuthorityOptions } from './auth/msal-network.ts';
export type { MsalAuthorityOptions, MsalNetworkClient } from './auth/msal-network.ts';

export interface DataverseEmulator {
  /** organization URL, e.g. http://127.0.0.1:4020 (Web API at `${url}/api/data/v9.2/`) */
  url: string;
  apiUrl: string;
  tenantId: string;
  /** authority URL served by the emulator: `${url}/${tenantId}` (http) */
  authority: string;
  /** the same authority in the https form MSAL insists on; pair with emulatorNetworkClient(url) and knownAuthorities: [host] */
  msalAuthority: string;
  /** client-credentials token endpoint */
  tokenUrl: string;
  /** scope to request: `${url}/.default` */
  scope: string;
  clock: Clock;
  config: DataverseEmulatorConfig;
  readonly model: Model;
  limiter: Limiter;
  /** access token for a seeded user key (admin, salesuser, refundagent, payoutapprover, financeuser, noroles, integration) */
  tokenFor(user: string): Promise<string>;
  reset(): Promise<void>;
  /** seed currencies, products (with price list items) and users; returns product ids by productnumber */
  seed(request: SeedRequest): Promise<{ products: Record<string, string> }>;
  /** point webhook service endpoints (contract 8; all, or the one named) at a URL with HttpHeader secrets */
  configureWebhookEndpoints(options: {
    url?: string;
    headers?: Record<string, string>;
    name?: string;
  }): Promise<number>;
  webhookDeliveries(): Delivery[];
  /** resolves when queued async webhook deliveries have finished */
  waitForWebhooks(): Promise<void>;
  close(): Promise<void>;
}

export async function createServer(config?: Partial<DataverseEmulatorConfig>): Promise<DataverseEmulator> {
  const cfg = resolveConfig(config);
  const state = new EmulatorState(cfg);
  const server = createHttp(state);
  try {
    await state.init();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(cfg.port, cfg.host, () => resolve());
    });
  } catch (err) {
    // e.g. a solution that does not load or EADDRINUSE: the database must not stay open, or the caller's process
    // cannot exit.
    await state.db?.close().catch(() => undefined);
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${cfg.host}:${port}`;
  state.orgUrl = url;
  let closing: Promise<void> | undefined;
  return {
    url,
    apiUrl: `${url}/api/data/v9.2/`,
    tenantId: cfg.tenantId,
    authority: `${url}/${cfg.tenantId}`,
    msalAuthority: `https://${cfg.host}:${port}/${cfg.tenantId}`,
    tokenUrl: `${url}/${cfg.tenantId}/oauth2/v2.0/token`,
    scope: `${url}/.default`,
    clock: cfg.clock,
    config: cfg,
    get model() {
      return state.model;
    },
    limiter: state.limiter,
    tokenFor: async (user) => {
      const t = await issueUserToken(state, user);
      if (!t) throw new Error(`unknown emulator user '${user}'`);
      return t.access_token;
    },
    reset: () => state.reset(),
    seed: (request) => seed(state, request) as Promise<{ products: Record<string, string> }>,
    configureWebhookEndpoints: (options) => configureEndpoints(state, options),
    webhookDeliveries: () => [...state.deliveries],
    waitForWebhooks: () => state.waitForWebhooks(),
    // Idempotent: test helpers close every emulator after a file, also those a test already closed.
    close: () =>
      (closing ??= (async () => {
        await state.waitForWebhooks();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await state.db.close();
      })()),
  };
}
