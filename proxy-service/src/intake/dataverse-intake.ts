// The whole request path of a Dataverse service-endpoint webhook (ARCHITECTURE §3, dataverse.md §3): the shared
// secret header (HttpHeader auth) compared in constant time → the RemoteExecutionContext parsed → stored in the
// inbox (source 'dataverse', one row per Dataverse operation) and enqueued in one transaction → answered 2xx.
// Nothing else happens on the request path; the refund request runs in a job.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { PgBoss } from 'pg-boss';
import type { Store } from '../adapters/store/store.ts';
import { actionFor } from '../flows/event-actions.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { QUEUES } from '../queue/job-queue.ts';
import { createInboxWriter } from './inbox-writer.ts';

/** The header the solution's service endpoint sends (`WEBHOOK_SECRET_HEADER` in @ppc/solution). */
export const DATAVERSE_SECRET_HEADER = 'x-ppc-webhook-secret';

export type DataverseIntakeResult =
  | { status: 'accepted'; inboxId: string }
  | { status: 'duplicate' }
  | { status: 'ignored'; inboxId: string }
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
  let body: unknown;
  try {
    // Dataverse may send a UTF-8 BOM.
    body = JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return 'body is not valid JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body is not a JSON object';
  const b = body as Record<string, unknown>;
  for (const k of ['MessageName', 'PrimaryEntityName', 'PrimaryEntityId'] as const)
    if (typeof b[k] !== 'string' || !b[k]) return `RemoteExecutionContext has no ${k}`;
  if (typeof b.OperationId !== 'string' && typeof b.RequestId !== 'string')
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
  const writer = createInboxWriter({ store, boss, queue: QUEUES.inbound });

  return async function intake(raw: Buffer, headers: IncomingHttpHeaders): Promise<DataverseIntakeResult> {
    metrics.received.inc({ source });
    if (!deps.secret) return { status: 'not_configured' };
    const given = headers[DATAVERSE_SECRET_HEADER];
    if (!secretMatches(typeof given === 'string' ? given : undefined, deps.secret)) {
      metrics.rejected.inc({ source, reason: 'bad_secret' });
      log.warn({ security: true, reason: 'bad_secret' }, 'dataverse webhook rejected');
      return { status: 'unauthorized' };
    }
    const ctx = parseRemoteExecutionContext(raw);
    if (typeof ctx === 'string') {
      metrics.rejected.inc({ source, reason: 'invalid_body' });
      return { status: 'invalid', message: ctx };
    }
    metrics.verified.inc({ source });
    const eventType = dataverseEventType(ctx);
    const eventId = ctx.OperationId ?? ctx.RequestId!;
    const knownType = actionFor(eventType, source) !== 'not_supported';
    const inboxId = await writer.write({ source, eventId, eventType, knownType, payload: ctx });
    if (!inboxId) {
      metrics.duplicates.inc({ source });
      return { status: 'duplicate' };
    }
    if (!knownType) {
      metrics.unknownTypes.inc({ source, event_type: eventType.slice(0, 64) });
      return { status: 'ignored', inboxId };
    }
    log.debug({ correlationId: eventId, eventType, inboxId, record: ctx.PrimaryEntityId }, 'dataverse event accepted');
    return { status: 'accepted', inboxId };
  };
}

export type DataverseIntake = ReturnType<typeof createDataverseIntake>;
