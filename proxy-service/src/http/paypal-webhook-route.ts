// POST /webhooks/paypal: raw bytes in (they are what PayPal signed), verdict out. 2xx only once the
// event is durably stored and enqueued; PayPal retries anything else for up to 3 days.
import { Router } from 'express';
import type { AppDeps } from './app.ts';
import { webhookIntakeGuards } from './webhook-intake.ts';

export function payPalWebhookRouter(deps: AppDeps): Router {
  const router = Router();
  router.post('/webhooks/paypal', ...webhookIntakeGuards(deps), async (req, res) => {
    const end = deps.metrics.intakeSeconds.startTimer({ source: 'paypal' });
    try {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const result = await deps.intake(raw, req.headers);
      switch (result.status) {
        case 'accepted':
        case 'ignored':
        case 'dead_lettered':
          // A body we cannot store as JSON is stored as bytes and dead-lettered: 2xx, or PayPal retries for 3 days.
          res.status(200).json({ status: result.status });
          return;
        case 'duplicate':
          res.status(200).json({ status: 'duplicate' });
          return;
        case 'invalid':
          res.status(400).json({ error: { code: 'invalid_event', message: result.message } });
          return;
        case 'rejected':
          // The reason stays in our logs and metrics; the caller only learns that verification failed.
          res
            .status(400)
            .json({ error: { code: 'verification_failed', message: 'webhook signature could not be verified' } });
          return;
      }
    } finally {
      end();
    }
  });
  return router;
}
