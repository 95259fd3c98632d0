// PayPal emulator: a stateful local PayPal REST API (see README.md "Features and limitations").
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveConfig, type PayPalEmulatorConfig } from './config.ts';
import { Router } from './core/router.ts';
import { Emulator } from './emulator.ts';
import { createHandler } from './server.ts';
import { signingMaterial } from './webhooks/signing.ts';
import { oauthRoutes } from './api/oauth.ts';
import { orderRoutes } from './api/orders.ts';
import { captureRoutes } from './api/captures.ts';
import { webhookRoutes } from './api/webhooks.ts';
import { controlRoutes } from './api/control.ts';
import { disputeControlRoutes, disputeRoutes } from './api/disputes.ts';
import { payoutControlRoutes, payoutRoutes } from './api/payouts.ts';
import { productRoutes } from './api/products.ts';
import { subscriptionControlRoutes, subscriptionRoutes } from './api/subscriptions.ts';
import { reportingRoutes } from './api/reporting.ts';
import { saleControlRoutes, saleRoutes } from './api/sales.ts';
import { reportControlRoutes } from './api/reports.ts';
import type { State } from './core/state.ts';
import type { RecordedResponse } from './emulator.ts';

export { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from './config.ts';
export type { PayPalEmulatorConfig, FeeRule } from './config.ts';
export type { Delivery, WebhookEvent, LedgerEntry } from './core/state.ts';
export { buildReport, impliedCents, STL_COLUMNS, TRR_COLUMNS } from './reports/sftp-reports.ts';

export interface PayPalEmulator {
  /** Base URL, e.g. http://127.0.0.1:4010 (no trailing slash). */
  url: string;
  close(): Promise<void>;
  /** PEM of "PayPal Emulator Root CA", the issuer of the webhook signing certificate. */
  caCertificatePem: string;
  /** PEM of the leaf signing certificate (CN=messageverificationcerts.sandbox.paypal.com). */
  signingCertificatePem: string;
  /** The `paypal-cert-url` put on every delivery. */
  certUrl: string;
  clock: { now(): Date; advance(ms: number): void };
  /** Live state, for assertions in tests. */
  readonly state: State;
  /** Every vendor-API response so far (when config.recordResponses). */
  readonly responses: RecordedResponse[];
  /** Resolves when no webhook delivery attempt is in flight. */
  deliveriesIdle(): Promise<void>;
  config: PayPalEmulatorConfig;
  /** The vendor routes served (method + path template with `:params`). */
  routes: Array<{ method: string; pattern: string }>;
}

export async function createServer(config: Partial<PayPalEmulatorConfig> = {}): Promise<PayPalEmulator> {
  const cfg = resolveConfig(config);
  const emu = new Emulator(cfg, await signingMaterial());
  const api = new Router();
  api.add(oauthRoutes());
  api.add(orderRoutes(emu));
  api.add(captureRoutes(emu));
  api.add(webhookRoutes(emu));
  api.add(disputeRoutes(emu));
  api.add(payoutRoutes(emu, cfg.payoutProcessingMs));
  api.add(productRoutes(emu));
  api.add(subscriptionRoutes(emu));
  api.add(reportingRoutes(emu));
  api.add(saleRoutes(emu));
  const control = new Router();
  control.add(controlRoutes(emu));
  control.add(disputeControlRoutes(emu));
  control.add(payoutControlRoutes(emu));
  control.add(subscriptionControlRoutes(emu));
  control.add(reportControlRoutes(emu));
  control.add(saleControlRoutes(emu));

  const server = createHttpServer(createHandler(emu, api, control));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(cfg.port, cfg.host, () => resolve());
    });
  } catch (err) {
    emu.dispatcher.close(); // e.g. EADDRINUSE: nothing may stay scheduled, or the caller's process cannot exit
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${port}`;
  emu.baseUrl = cfg.publicUrl ?? url;
  let closing: Promise<void> | undefined;

  return {
    url,
    caCertificatePem: emu.signing.caPem,
    signingCertificatePem: emu.signing.leafPem,
    certUrl: emu.certUrl(),
    clock: { now: () => emu.clock.now(), advance: (ms: number) => emu.clock.advance(ms) },
    get state() {
      return emu.state;
    },
    responses: emu.responses,
    deliveriesIdle: () => emu.dispatcher.idle(),
    config: cfg,
    routes: api.list(),
    // Idempotent: test helpers close every emulator after a file, also those a test already closed.
    close: () =>
      (closing ??= (async () => {
        emu.dispatcher.close();
        emu.persist();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })()),
  };
}
export { exponent as paypalAmountDecimals } from './core/money.ts';
