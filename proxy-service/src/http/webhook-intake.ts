// What every webhook route does before its intake: refuse while draining (the sender redelivers to another
// replica or later), run the route's header check if it has one (so a caller without the secret never gets
// its body read, let alone un-gzipped), then read the raw body bytes within the size limit (413 beyond it).
import express, { type RequestHandler } from 'express';
import type { AppDeps } from './app.ts';

export function webhookIntakeGuards(
  deps: Pick<AppDeps, 'draining' | 'webhookBodyLimitBytes'>,
  beforeBody?: RequestHandler,
): RequestHandler[] {
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
  return [
    refuseWhileDraining,
    ...(beforeBody ? [beforeBody] : []),
    express.raw({ type: () => true, limit: deps.webhookBodyLimitBytes }),
  ];
}

/** Answers without reading the request body; the connection is closed rather than drained. */
export function refuseUnread(res: express.Response, status: number, code: string, message: string): void {
  res.set('connection', 'close').status(status).json({ error: { code, message } });
}
