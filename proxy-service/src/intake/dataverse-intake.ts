// The whole request path of a Dataverse service-endpoint webhook (ARCHITECTURE §3, dataverse.md §3): the shared
// secret header (HttpHeader auth) compared in constant time, before the body is read (authorize) → the
// RemoteExecutionContext parsed → stored in the inbox (source 'dataverse', one row per Dataverse operation) and
// enqueued in one transaction → answered 2xx. Nothing else happens on the request path; the refund request
// runs in a job.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { PgBoss } from 'pg-boss';
import type { Store } from '../adapters/store/store.ts';
import { actionFor } from '../flows/event-actions.ts';
import { capped, type Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { QUEUES } from '../queue/job-queue.ts';
import { createInboxWriter } from './inbox-writer.ts';
import { isKeyText, readJsonBody, type PoisonReason } from './json-body.ts';
import { createRejectLog } from './reject-log.ts';

/** The header the solution's service endpoint sends (`WEBHOOK_SECRET_HEADER` in @ppc/solution). */
export const DATAVERSE_SECRET_HEADER = 'x-ppc-webhook-secret';

export type DataverseIntakeResult =
  | { status: 'accepted'; inboxId: string }
  | { status: 'duplicate' }
  | { status: 'ignored'; inboxId: string }
  | { status: 'dead_lettered'; inboxId: string; reason: PoisonReason }
  | { status: 'invalid'; message: string }
  | { status: 'unauthorized' }
  | { status: 'not_configured' };

export interface RemoteExecutionContext {
  MessageName: string;
  PrimaryEntityName: string;
  PrimaryEntityId: string;
  InitiatingUserId?: string;
  UserId?: string;
  OperationId?: string;
  RequestId?: string;
  CorrelationId?: string;
  PostEntityImages?: { key: string; value: { Attributes?: { key: string; value: unknown }[] } }[];
}

/** `Update:ppc_creditmemo`: the inbox event type of a Dataverse webhook. */
export const dataverseEventType = (c: Pick<RemoteExecutionContext, 'MessageName' | 'PrimaryEntityName'>) =>
  `${c.MessageName}:${c.PrimaryEntityName}`;

export function parseRemoteExecutionContext(raw: Buffer): RemoteExecutionContext | string {
  const body = readJsonBody(raw);
  return body.ok ? remoteExecutionContextOf(body.value) : body.message;
}

function remoteExecutionContextOf(body: unknown): RemoteExecutionContext | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body is not a JSON object';
  const b = body as Record<string, unknown>;
  for (const k of ['MessageName', 'PrimaryEntityName', 'PrimaryEntityId'] as const)
    if (!isKeyText(b[k])) return `RemoteExecutionContext has no ${k}`;
  if (!isKeyText(b.OperationId) && !isKeyText(b.RequestId))
    return 'RemoteExecutionContext has no OperationId or RequestId';
  return b as unknown as RemoteExecutionContext;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
/** Constant-time comparison (digests first, so the lengths never leak). */
export function secretMatches(given: string | undefined, expected: string): boolean {
  return typeof given === 'string' && timingSafeEqual(digest(given), digest(expected));
}

export function createDataverseIntake(deps: {
  store: Store;
  boss: PgBoss;
  metrics: Metrics;
  log: Logger;
  secret: string | undefined;
}) {
  const { store, boss, metrics, log } = deps;
  const source = 'dataverse';
  const writer = createInboxWriter({ store, boss, queue: QUEUES.inbound, log });
  const rejectLog = createRejectLog({ log, metrics });

  /** The check the route runs before it reads (and un-gzips) the body. */
  function authorize(headers: IncomingHttpHeaders): 'ok' | 'unauthorized' | 'not_configured' {
    if (!deps.secret) return 'not_configured';
    const given = headers[DATAVERSE_SECRET_HEADER];
    if (secretMatches(typeof given === 'string' ? given : undefined, deps.secret)) return 'ok';
    rejectLog(source, 'bad_secret', {}, 'dataverse webhook rejected');
    return 'unauthorized';
  }

  async function intake(raw: Buffer, headers: IncomingHttpHeaders): Promise<DataverseIntakeResult> {
    metrics.received.inc({ source });
    const allowed = authorize(headers);
    if (allowed !== 'ok') return { status: allowed };
    const invalid = (message: string): DataverseIntakeResult => {
      rejectLog(source, 'invalid_body', { detail: message, bytes: raw.length }, 'dataverse webhook rejected');
      return { status: 'invalid', message };
    };
    const body = readJsonBody(raw);
    if (!body.ok) return invalid(body.message);
    const ctx = remoteExecutionContextOf(body.value);
    if (typeof ctx === 'string') return invalid(ctx);
    metrics.verified.inc({ source });
    const eventType = dataverseEventType(ctx);
    const eventId = isKeyText(ctx.OperationId) ? ctx.OperationId : ctx.RequestId!;
    const knownType = actionFor(eventType, source) !== 'not_supported';
    const written = await writer.write({
      source,
      eventId,
      eventType,
      knownType,
      payload: ctx,
      ...(body.text !== undefined ? { payloadText: body.text } : {}),
      ...(body.poison ? { poison: body.poison } : {}),
      rawBody: raw,
    });
    if (written.kind !== 'stored') {
      metrics.duplicates.inc({ source });
      return { status: 'duplicate' };
    }
    const { inboxId } = written;
    if (written.poison) {
      metrics.poisoned.inc({ source, reason: written.poison });
      log.warn(
        { correlationId: capped(eventId), inboxId, reason: written.poison },
        'event body cannot be stored as JSON: stored as bytes and dead-lettered',
      );
      return { status: 'dead_lettered', inboxId, reason: written.poison };
    }
    if (!knownType) {
      metrics.unknownTypes.inc({ source, event_type: eventType.slice(0, 64) });
      return { status: 'ignored', inboxId };
    }
    log.debug(
      { correlationId: capped(eventId), eventType: capped(eventType), inboxId, record: capped(ctx.PrimaryEntityId) },
      'dataverse event accepted',
    );
    return { status: 'accepted', inboxId };
  }

  return Object.assign(intake, { authorize });
}

export type DataverseIntake = ReturnType<typeof createDataverseIntake>;
