// The whole request path of a PayPal webhook: parse → verify → store in the inbox and enqueue in one
// transaction → answer. Nothing else happens here; the work runs in a job.
import type { IncomingHttpHeaders } from 'node:http';
import type { PgBoss } from 'pg-boss';
import type { Store } from '../adapters/store/store.ts';
import { actionFor } from '../flows/event-actions.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { QUEUES } from '../queue/job-queue.ts';
import { createInboxWriter } from './inbox-writer.ts';
import type { RejectReason, WebhookVerifier } from './verification.ts';

export type IntakeResult =
  | { status: 'accepted'; inboxId: string }
  | { status: 'duplicate' }
  | { status: 'ignored'; inboxId: string }
  | { status: 'invalid'; message: string }
  | { status: 'rejected'; reason: RejectReason };

export interface PayPalIntakeDeps {
  store: Store;
  boss: PgBoss;
  verifier: WebhookVerifier;
  metrics: Metrics;
  log: Logger;
}

interface EventEnvelope {
  id: string;
  event_type: string;
}

function parseEnvelope(raw: Buffer): EventEnvelope | string {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return 'body is not valid JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body is not a JSON object';
  const { id, event_type } = body as Record<string, unknown>;
  if (typeof id !== 'string' || !id) return 'event has no id';
  if (typeof event_type !== 'string' || !event_type) return 'event has no event_type';
  return body as EventEnvelope;
}

export function createPayPalIntake(deps: PayPalIntakeDeps) {
  const { store, boss, verifier, metrics, log } = deps;
  const source = 'paypal';
  const writer = createInboxWriter({ store, boss, queue: QUEUES.inbound });

  return async function intake(raw: Buffer, headers: IncomingHttpHeaders): Promise<IntakeResult> {
    metrics.received.inc({ source });
    const envelope = parseEnvelope(raw);
    if (typeof envelope === 'string') {
      metrics.rejected.inc({ source, reason: 'invalid_body' });
      return { status: 'invalid', message: envelope };
    }
    const transmissionId =
      typeof headers['paypal-transmission-id'] === 'string' ? headers['paypal-transmission-id'] : undefined;
    const verdict = await verifier.verify(raw, headers, envelope);
    if (!verdict.ok) {
      metrics.rejected.inc({ source, reason: verdict.reason });
      // Security log: who claimed to send what, never the body.
      log.warn(
        {
          security: true,
          reason: verdict.reason,
          detail: verdict.detail,
          correlationId: envelope.id,
          transmissionId,
          certUrl: headers['paypal-cert-url'],
        },
        'paypal webhook rejected',
      );
      return { status: 'rejected', reason: verdict.reason };
    }
    metrics.verified.inc({ source });

    const knownType = actionFor(envelope.event_type) !== 'not_supported';
    const inboxId = await writer.write({
      source,
      eventId: envelope.id,
      eventType: envelope.event_type,
      transmissionId,
      knownType,
      payload: envelope,
    });
    if (!inboxId) {
      metrics.duplicates.inc({ source });
      log.info({ correlationId: envelope.id, transmissionId }, 'duplicate delivery acknowledged');
      return { status: 'duplicate' };
    }
    if (!knownType) {
      metrics.unknownTypes.inc({ source, event_type: envelope.event_type.slice(0, 64) });
      log.info(
        { correlationId: envelope.id, eventType: envelope.event_type },
        'event type not handled; stored and acknowledged',
      );
      return { status: 'ignored', inboxId };
    }
    log.debug({ correlationId: envelope.id, transmissionId, inboxId }, 'event accepted');
    return { status: 'accepted', inboxId };
  };
}

export type PayPalIntake = ReturnType<typeof createPayPalIntake>;
