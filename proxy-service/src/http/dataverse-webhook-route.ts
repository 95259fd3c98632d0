// POST /webhooks/dataverse: the solution's service endpoint (HttpHeader auth) posts a RemoteExecutionContext.
// 401 without the shared secret, answered before the body is read; 2xx only once the event is stored and
// enqueued (Dataverse retries otherwise).
import { Router, type RequestHandler } from 'express';
import type { DataverseIntake } from '../intake/dataverse-intake.ts';
import type { AppDeps } from './app.ts';
import { refuseUnread, webhookIntakeGuards } from './webhook-intake.ts';

export function dataverseWebhookRouter(deps: AppDeps & { dataverseIntake?: DataverseIntake }): Router {
  const router = Router();
  const authorize: RequestHandler = (req, res, next) => {
    const verdict = deps.dataverseIntake ? deps.dataverseIntake.authorize(req.headers) : 'not_configured';
    if (verdict === 'ok') {
      next();
      return;
    }
    deps.metrics.received.inc({ source: 'dataverse' });
    if (verdict === 'unauthorized') refuseUnread(res, 401, 'unauthorized', 'missing or wrong webhook secret');
    else refuseUnread(res, 503, 'not_configured', 'Dataverse webhook intake is not configured');
  };
  router.post('/webhooks/dataverse', ...webhookIntakeGuards(deps, authorize), async (req, res) => {
    const result = await deps.dataverseIntake!(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), req.headers);
    switch (result.status) {
      case 'accepted':
      case 'ignored':
      case 'duplicate':
      case 'dead_lettered':
        res.status(200).json({ status: result.status });
        return;
      case 'invalid':
        res.status(400).json({ error: { code: 'invalid_event', message: result.message } });
        return;
      case 'unauthorized':
        res.status(401).json({ error: { code: 'unauthorized', message: 'missing or wrong webhook secret' } });
        return;
      case 'not_configured':
        res.status(503).json({ error: { code: 'not_configured', message: 'DATAVERSE_WEBHOOK_SECRET is not set' } });
        return;
    }
  });
  return router;
}
