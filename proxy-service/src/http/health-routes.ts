// Liveness, readiness (database and queue reachable) and Prometheus metrics.
import { Router } from 'express';
import { countOpenDeadLetters } from '../queue/dead-letters.ts';
import { QUEUES } from '../queue/job-queue.ts';
import type { AppDeps } from './app.ts';

export function healthRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    try {
      await deps.store.query('SELECT 1');
      checks.database = 'ok';
    } catch (err) {
      checks.database = (err as Error).message;
    }
    try {
      await deps.boss.getQueue(QUEUES.inbound);
      checks.queue = 'ok';
    } catch (err) {
      checks.queue = (err as Error).message;
    }
    const ready = !deps.draining() && Object.values(checks).every((v) => v === 'ok');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : deps.draining() ? 'draining' : 'not_ready', checks });
  });
  router.get('/metrics', async (_req, res) => {
    try {
      for (const name of Object.values(QUEUES)) {
        const q = await deps.boss.getQueue(name);
        if (q) {
          deps.metrics.queueDepth.set({ queue: name, state: 'queued' }, q.queuedCount);
          deps.metrics.queueDepth.set({ queue: name, state: 'active' }, q.activeCount);
        }
      }
      deps.metrics.deadLetters.set(await countOpenDeadLetters(deps.store));
    } catch (err) {
      deps.log.warn({ err }, 'queue gauges not refreshed');
    }
    res.set('content-type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
