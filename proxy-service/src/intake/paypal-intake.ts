// The whole request path of a PayPal webhook: parse → verify → replay checks → store in the inbox and enqueue
// in one transaction → answer. Nothing else happens here; the work runs in a job.
import type { IncomingHttpHeaders } from 'node:http';
import type { PgBoss } from 'pg-boss';
import type { Store } from '../adapters/store/store.ts';
import { actionFor } from '../flows/event-actions.ts';
import { capped, type Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { QUEUES } from '../queue/job-queue.ts';
import { createInboxWriter } from './inbox-writer.ts';
import { isKeyText, readJsonBody, type PoisonReason } from './json-body.ts';
import { readTransmission } from './paypal-headers.ts';
import { createRejectLog } from './reject-log.ts';
import { checkTransmissionTime } from './replay-guard.ts';
import type { RejectReason, WebhookVerifier } from './verification.ts';

export type IntakeResult =
  | { status: 'accepted'; inboxId: string }
  | { status: 'duplicate' }
  | { status: 'ignored'; inboxId: string }
  | { status: 'dead_lettered'; inboxId: string; reason: PoisonReason }
  | { status: 'invalid'; message: string }
  | { status: 'rejected'; reason: RejectReason };

export interface PayPalIntakeDeps {
  store: Store;
  boss: PgBoss;
  verifier: WebhookVerifier;
  metrics: Metrics;
  log: Logger;
  /** Our clock for the transmission-time window (tests pin it with the verifier's). */
  clock?: () => Date;
}

interface EventEnvelope {
  id: string;
  event_type: string;
}

function envelopeOf(body: unknown): EventEnvelope | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body is not a JSON object';
  const { id, event_type } = body as Record<string, unknown>;
  if (!isKeyText(id)) return 'event has no id';
  if (!isKeyText(event_type)) return 'event has no event_type';
  return { id, event_type };
}

export function createPayPalIntake(deps: PayPalIntakeDeps) {
  const { store, boss, verifier, metrics, log } = deps;
  const clock = deps.clock ?? (() => new Date());
  const source = 'paypal';
  const writer = createInboxWriter({ store, boss, queue: QUEUES.inbound, log, clock });
  const rejectLog = createRejectLog({ log, metrics });

  return async function intake(raw: Buffer, headers: IncomingHttpHeaders): Promise<IntakeResult> {
    metrics.received.inc({ source });
    const invalid = (message: string): IntakeResult => {
      rejectLog(source, 'invalid_body', { detail: message, bytes: raw.length }, 'paypal webhook rejected');
      return { status: 'invalid', message };
    };
    const body = readJsonBody(raw);
    if (!body.ok) return invalid(body.message);
    const envelope = envelopeOf(body.value);
    if (typeof envelope === 'string') return invalid(envelope);
    const transmissionId = headers['paypal-transmission-id'];
    // Security log: who claimed to send what, never the body; every value the caller chose is capped.
    const who = () => ({
      correlationId: capped(envelope.id),
      transmissionId: capped(transmissionId),
      certUrl: capped(headers['paypal-cert-url'], 256),
    });
    const verdict = await verifier.verify(raw, headers, body.value);
    if (!verdict.ok) {
      rejectLog(source, verdict.reason, { detail: capped(verdict.detail, 256), ...who() }, 'paypal webhook rejected');
      return { status: 'rejected', reason: verdict.reason };
    }
    const t = readTransmission(headers);
    if ('missing' in t) {
      // A verifier that does not read the headers itself (a test double) still needs them here.
      rejectLog(source, 'missing_header', { detail: capped(t.missing), ...who() }, 'paypal webhook rejected');
      return { status: 'rejected', reason: 'missing_header' };
    }
    const window = checkTransmissionTime(t, clock());
    if (!window.ok) {
      rejectLog(source, window.reason, { detail: window.detail, ...who() }, 'paypal webhook rejected');
      return { status: 'rejected', reason: window.reason };
    }
    metrics.verified.inc({ source });

    const knownType = actionFor(envelope.event_type) !== 'not_supported';
    const written = await writer.write({
      source,
      eventId: envelope.id,
      eventType: envelope.event_type,
      transmissionId: t.transmissionId,
      knownType,
      payload: body.value,
      ...(body.text !== undefined ? { payloadText: body.text } : {}),
      ...(body.poison ? { poison: body.poison } : {}),
      rawBody: raw,
      transmission: { id: t.transmissionId, time: window.time },
    });
    switch (written.kind) {
      case 'replayed':
        rejectLog(
          source,
          'transmission_replayed',
          { detail: 'transmission id seen before with other bytes', ...who() },
          'paypal webhook rejected',
        );
        return { status: 'rejected', reason: 'transmission_replayed' };
      case 'duplicate':
        metrics.duplicates.inc({ source });
        log.info(
          { correlationId: capped(envelope.id), transmissionId: capped(t.transmissionId) },
          'duplicate delivery acknowledged',
        );
        return { status: 'duplicate' };
      case 'stored':
        break;
    }
    const { inboxId } = written;
    if (written.poison) {
      metrics.poisoned.inc({ source, reason: written.poison });
      log.warn(
        { correlationId: capped(envelope.id), inboxId, reason: written.poison },
        'event body cannot be stored as JSON: stored as bytes and dead-lettered',
      );
      return { status: 'dead_lettered', inboxId, reason: written.poison };
    }
    if (!knownType) {
      metrics.unknownTypes.inc({ source, event_type: envelope.event_type.slice(0, 64) });
      log.info(
        { correlationId: capped(envelope.id), eventType: capped(envelope.event_type) },
        'event type not handled; stored and acknowledged',
      );
      return { status: 'ignored', inboxId };
    }
    log.debug(
      { correlationId: capped(envelope.id), transmissionId: capped(t.transmissionId), inboxId },
      'event accepted',
    );
    return { status: 'accepted', inboxId };
  };
}

export type PayPalIntake = ReturnType<typeof createPayPalIntake>;
