// createApp(deps) builds the express app without listening, so tests mount it on port 0.
// Middleware chain: request id → routes (webhooks take the raw body) → JSON errors.
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { PgBoss } from 'pg-boss';
import type { Store } from '../adapters/store/store.ts';
import { AppError } from '../errors.ts';
import type { PayPalIntake } from '../intake/paypal-intake.ts';
import { errorForLog, type Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { DataverseIntake } from '../intake/dataverse-intake.ts';
import { adminConsoleRouter } from './admin-console.ts';
import { adminRouter } from './admin-routes.ts';
import type { DataversePort } from '../adapters/dataverse/types.ts';
import type { PayPalClient } from '../adapters/paypal/index.ts';
import type { RecentErrors } from '../ops/recent-errors.ts';
import { dataverseWebhookRouter } from './dataverse-webhook-route.ts';
import { healthRouter } from './health-routes.ts';
import { payPalWebhookRouter } from './paypal-webhook-route.ts';

export interface AppDeps {
  store: Store;
  boss: PgBoss;
  intake: PayPalIntake;
  /** POST /webhooks/dataverse (refund requests); unset: that route answers 503 */
  dataverseIntake?: DataverseIntake;
  metrics: Metrics;
  log: Logger;
  adminToken: string | undefined;
  /** more admin routes by path (behind the admin token), e.g. { '/reconciliation': router } */
  adminRoutes?: Record<string, Router>;
  webhookBodyLimitBytes: number;
  /** True once SIGTERM arrived: intake answers 503 so PayPal redelivers to another replica or later. */
  draining: () => boolean;
  /** What the admin console's setup checks and error list read (http/admin-console.ts). */
  console?: {
    paypal?: Pick<PayPalClient, 'tokens'>;
    dataverse?: DataversePort;
    webhookId?: () => string | undefined;
    recentErrors?: RecentErrors;
    /** queue depth samples of the last hour (ops/depth-sampler.ts) */
    depth?: () => readonly { at: string; queued: number; active: number }[];
  };
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(payPalWebhookRouter(deps));
  app.use(dataverseWebhookRouter(deps));
  app.use(healthRouter(deps));
  app.use('/admin', adminConsoleRouter(deps));
  app.use('/admin', adminRouter(deps));
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'no such route' } });
  });
  const onError: ErrorRequestHandler = (thrown: unknown, _req, res, _next) => {
    // The database is unreachable (restart, failover): 503 with Retry-After, so PayPal and Dataverse
    // redeliver; the replica recovers by itself once the database answers.
    if (thrown instanceof AppError && thrown.code === 'store_unavailable') {
      deps.log.warn({ err: { code: thrown.code, message: thrown.message } }, 'request refused: database unreachable');
      res
        .set('retry-after', '5')
        .status(503)
        .json({ error: { code: thrown.code, message: 'database unreachable; retry' } });
      return;
    }
    // body-parser and express raise http-errors: { status, message }; anything else is our bug (500)
    const err = (thrown ?? {}) as { status?: unknown; message?: unknown };
    const status = typeof err.status === 'number' ? err.status : 500;
    // Never the error object itself: a database error carries the statement's input (the payload) in its details.
    if (status >= 500) deps.log.error({ err: errorForLog(thrown) }, 'request failed');
    const code = status === 413 ? 'payload_too_large' : status === 400 ? 'bad_request' : 'internal_error';
    res.status(status).json({
      error: {
        code,
        message: status >= 500 ? 'internal error' : typeof err.message === 'string' ? err.message : code,
      },
    });
  };
  app.use(onError);
  return app;
}
