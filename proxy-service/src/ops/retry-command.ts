// Retry from D365: the "Retry" command on an integration event sets ppc_retryrequested; the solution's async
// Update step posts the RemoteExecutionContext → this job. Who asked is the event's InitiatingUserId (never a
// column), and that user must hold the role that may move the money the event is about (retryRole). Which dead
// letter to replay is the proxy's own record of the integration event (found by its Dataverse id), never a
// column either. The replay is replayDeadLetter's: atomic with marking the letter replayed, so pressing Retry
// twice replays once; the replayed refund keeps its PayPal-Request-Id (the credit memo id), so PayPal refunds once.
import type { PgBoss } from 'pg-boss';
import type { DataversePort } from '../adapters/dataverse/types.ts';
import type { Store } from '../adapters/store/store.ts';
import { postImageValue, userRoles, type ApprovalEvent } from '../flows/approvals.ts';
import type { Handler } from '../flows/handlers.ts';
import { actingUser } from '../mapping/four-eyes.ts';
import { replayDeadLetter } from '../queue/dead-letters.ts';
import { ROLE_FINANCE, ROLE_PAYOUT_APPROVER, ROLE_REFUND_AGENT } from '@ppc/solution';
import { integrationEventByDataverseId } from './integration-events.ts';

/** The role that may retry an event of this action: the role that may move (or book) that money. */
export function retryRole(action: string | null): string {
  if (action === 'creditmemo.refund_requested') return ROLE_REFUND_AGENT;
  if (action?.startsWith('payout.')) return ROLE_PAYOUT_APPROVER;
  return ROLE_FINANCE;
}

export type RetryDecision = { ok: true } | { ok: false; reason: string };

/** Pure: may this user retry this event? */
export function decideRetryRequest(input: {
  user: string | undefined;
  roles: readonly string[];
  action: string | null;
}): RetryDecision {
  if (!input.user) return { ok: false, reason: 'the retry request does not name the user who made it' };
  const role = retryRole(input.action);
  if (!input.roles.includes(role))
    return { ok: false, reason: `retry refused: only a user with the ${role} role may retry this event` };
  return { ok: true };
}

export interface RetryCommandDeps {
  store: Store;
  boss: PgBoss;
  dataverse: DataversePort;
  /** pokes the mirror so D365 shows the new state at once */
  mirrored?: () => void;
}

type RetryEvent = ApprovalEvent & { PrimaryEntityId?: string };

export function retryRequested(deps: RetryCommandDeps): Handler {
  return async (ctx) => {
    const event = ctx.event as RetryEvent;
    // Our own write that clears the flag fires the step too: only a request (true) is one.
    if (postImageValue(event, 'ppc_retryrequested') !== true) return;
    const dataverseId = String(event.PrimaryEntityId ?? '');
    const row = await integrationEventByDataverseId(ctx.store, dataverseId);
    const clear = (extra: Record<string, unknown> = {}) =>
      deps.dataverse.update(`ppc_integrationevents(${dataverseId})`, { ppc_retryrequested: false, ...extra }, '*');
    if (!row) {
      ctx.log.warn({ dataverseId }, 'retry requested on an integration event the proxy did not record');
      await clear({ ppc_lasterror: 'Retry not possible: the connector has no record of this event.' });
      return;
    }
    const user = actingUser(event);
    const roles = user ? await userRoles(deps.dataverse, user) : [];
    const decision = decideRetryRequest({ user, roles, action: row.action });
    const now = new Date();
    if (!decision.ok) {
      ctx.log.info({ integrationEvent: row.id, user, reason: decision.reason }, 'retry from D365 refused');
      await deps.store.query(
        `UPDATE integration_events SET detail = left(coalesce(detail, '') || $2, 4000), updated_at = now()
          WHERE id = $1::bigint`,
        [row.id, `\n${now.toISOString()} retry by ${user ?? 'unknown user'} refused: ${decision.reason}`],
      );
      await clear({ ppc_lasterror: `${decision.reason}. ${row.message}`.slice(0, 4000) });
      return;
    }
    if (row.kind !== 'dead_letter' || !row.dead_letter_id || row.status !== 'open') {
      const why =
        row.kind === 'parked'
          ? 'it is waiting for its flow and runs by itself once the connector has one'
          : row.status !== 'open'
            ? `it is already ${row.status}`
            : 'it is not a failed event';
      await clear({ ppc_lasterror: `Nothing to retry: ${why}. ${row.message}`.slice(0, 4000) });
      return;
    }
    // Replay first, then record it: a crash in between retries this job, whose replay then finds the letter
    // already replayed and records the request (no second replay, no second refund).
    const result = await replayDeadLetter(deps.store, deps.boss, row.dead_letter_id);
    if (result.replayed || result.reason === 'already_replayed')
      await ctx.store.query(
        `UPDATE integration_events SET status = 'replayed', retry_requested_by = $2::uuid, retry_requested_at = $3,
            detail = left(coalesce(detail, '') || $4, 4000), updated_at = now(), version = version + 1,
            mirror_after = now()
          WHERE id = $1::bigint AND status = 'open'`,
        [row.id, user, now.toISOString(), `\n${now.toISOString()} retry requested in D365 by ${user}`],
      );
    ctx.log.info({ integrationEvent: row.id, deadLetter: row.dead_letter_id, user, result }, 'retry from D365');
    await clear();
    deps.mirrored?.();
  };
}
