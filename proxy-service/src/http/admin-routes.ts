// /admin/*: dead letters (list, show, replay), parked events (list). Bearer ADMIN_TOKEN, compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { createRejectLog } from '../intake/reject-log.ts';
import { capped } from '../logger.ts';
import { getDeadLetter, listDeadLetters, replayAllDeadLetters, replayDeadLetter } from '../queue/dead-letters.ts';
import { listParkedEvents } from '../queue/parked-events.ts';
import { setInboxEventStatus } from '../ops/integration-events.ts';
import type { AppDeps } from './app.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function adminRouter(deps: AppDeps): Router {
  const router = Router();
  const rejectLog = createRejectLog({ log: deps.log, metrics: deps.metrics });
  const auth: RequestHandler = (req, res, next) => {
    if (!deps.adminToken) {
      res.status(503).json({ error: { code: 'admin_disabled', message: 'set ADMIN_TOKEN to enable admin endpoints' } });
      return;
    }
    const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(given), digest(deps.adminToken))) {
      rejectLog('admin', 'bad_token', { path: capped(req.path) }, 'admin request with a wrong token');
      res.status(401).json({ error: { code: 'unauthorized', message: 'admin token required' } });
      return;
    }
    next();
  };
  router.use(auth);
  router.get('/dead-letters', async (req, res) => {
    res.json({ value: await listDeadLetters(deps.store, { includeReplayed: req.query.all === 'true' }) });
  });
  router.get('/parked-events', async (_req, res) => {
    res.json({ value: await listParkedEvents(deps.store) });
  });
  router.get('/dead-letters/:id', async (req, res) => {
    const d = await getDeadLetter(deps.store, req.params.id);
    if (!d)
      res
        .status(404)
        .json({ error: { code: 'not_found', message: `dead letter ${capped(req.params.id, 32)} not found` } });
    else res.json(d);
  });
  router.post('/dead-letters/replay', async (_req, res) => {
    res.json({ value: await replayAllDeadLetters(deps.store, deps.boss) });
  });
  router.post('/dead-letters/:id/replay', async (req, res) => {
    const result = await replayDeadLetter(deps.store, deps.boss, req.params.id);
    if (result.replayed) {
      const inboxId = (await getDeadLetter(deps.store, req.params.id))?.inbox_id;
      if (inboxId) await setInboxEventStatus(deps.store, inboxId, 'replayed', 'Replayed by an administrator.');
    }
    res.status(result.replayed ? 200 : result.reason === 'not_found' ? 404 : 409).json(result);
  });
  // Routes of other parts (e.g. /reconciliation), behind the same token.
  for (const [path, routes] of Object.entries(deps.adminRoutes ?? {})) router.use(path, routes);
  return router;
}
