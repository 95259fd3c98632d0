// What every webhook route does before its intake: refuse while draining (the sender redelivers to another
// replica or later), then read the raw body bytes within the size limit (413 beyond it).
import express, { type RequestHandler } from 'express';
import type { AppDeps } from './app.ts';

export function webhookIntakeGuards(deps: Pick<AppDeps, 'draining' | 'webhookBodyLimitBytes'>): RequestHandler[] {
  const refuseWhileDraining: RequestHandler = (_req, res, next) => {
    if (deps.draining()) {
      res
        .set('retry-after', '30')
        .status(503)
        .json({ error: { code: 'shutting_down', message: 'replica is shutting down; retry' } });
      return;
    }
    next();
  };
  return [refuseWhileDraining, express.raw({ type: () => true, limit: deps.webhookBodyLimitBytes })];
}
