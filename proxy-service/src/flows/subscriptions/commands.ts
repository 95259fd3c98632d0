// Subscriptions managed from D365: a PayPal Finance user sets a ppc_subscription to Cancel / Suspend / Activate
// (reactivate) / Collect requested, with ppc_actionreason → the solution's async Update step posts the
// RemoteExecutionContext (Update:ppc_subscription) → this job:
//   - what was requested: the step's PostImage statuscode (the row as this update left it), so a job that runs
//     after PayPal's event has already rewritten the row still knows its request;
//   - who: the event's InitiatingUserId (four-eyes.ts actingUser), who must hold PayPal Finance; never a column;
//   - PayPal's state re-read first (GET /v1/billing/subscriptions/{id}): a request PayPal's state already
//     satisfies calls nothing (a second click, a redelivery, a retry), which makes cancel/suspend/activate
//     idempotent (their endpoints take no PayPal-Request-Id); "collect" captures PayPal's own outstanding balance
//     (POST …/capture, capture_type OUTSTANDING_BALANCE) with PayPal-Request-Id = the Dataverse operation, so a
//     retried job captures once;
//   - then the row is mirrored from PayPal again (its status replaces the request) and ppc_actionresult says what
//     happened. PayPal's own event (SUSPENDED, CANCELLED, ACTIVATED, PAYMENT.SALE.COMPLETED) confirms it later.
// A refusal (role, missing reason, PayPal 422) is written to ppc_actionresult; the row returns to PayPal's state.
import { ROLE_FINANCE, SubscriptionStatus } from '@ppc/solution';
import { payPalErrorDetails, type CaptureSubscriptionRequest } from '../../adapters/paypal/index.ts';
import { AppError } from '../../errors.ts';
import { actingUser, decideRequest, type FourEyesRule } from '../../mapping/four-eyes.ts';
import { scalarText } from '../../mapping/dataverse-values.ts';
import { formatPayPalAmount } from '../../mapping/money.ts';
import { postImageValue, userRoles, type ApprovalEvent } from '../approvals.ts';
import type { Handler } from '../handlers.ts';
import { readSubscription, subscriptionSyncer, type SyncDeps } from './subscription-sync.ts';

/** Who may manage subscriptions from D365 (request only: no second person, PayPal moves no money out). */
export const SUBSCRIPTION_RULE: FourEyesRule = {
  subject: 'subscription change',
  requestingRole: ROLE_FINANCE,
  approvingRole: ROLE_FINANCE,
};

export type SubscriptionCommand = 'cancel' | 'suspend' | 'activate' | 'collect';

const COMMANDS: Record<number, SubscriptionCommand> = {
  [SubscriptionStatus.CancelRequested]: 'cancel',
  [SubscriptionStatus.SuspendRequested]: 'suspend',
  [SubscriptionStatus.ActivateRequested]: 'activate',
  [SubscriptionStatus.CollectRequested]: 'collect',
};

export interface CommandDeps extends SyncDeps {
  paypal: SyncDeps['paypal'] & {
    cancelSubscription(id: string, reason: string): Promise<void>;
    suspendSubscription(id: string, reason: string): Promise<void>;
    activateSubscription(id: string, reason?: string): Promise<void>;
    captureSubscription(id: string, request: CaptureSubscriptionRequest, requestId: string): Promise<void>;
  };
}

type CommandEvent = ApprovalEvent & { PrimaryEntityId: string; OperationId?: string; RequestId?: string };

/** What PayPal must be asked, given its current state; undefined with a reason when nothing is to be done. */
export function decideCommand(
  command: SubscriptionCommand,
  state: { status: string; outstandingMinor: number },
  reason: string | undefined,
): { call: boolean; note: string } {
  const s = state.status;
  switch (command) {
    case 'cancel':
      if (s === 'CANCELLED' || s === 'EXPIRED') return { call: false, note: `already ${s.toLowerCase()} in PayPal` };
      if (s !== 'ACTIVE' && s !== 'SUSPENDED') return { call: false, note: `PayPal cannot cancel a ${s} subscription` };
      break;
    case 'suspend':
      if (s === 'SUSPENDED') return { call: false, note: 'already suspended in PayPal' };
      if (s !== 'ACTIVE') return { call: false, note: `PayPal can only suspend an ACTIVE subscription (it is ${s})` };
      break;
    case 'activate':
      if (s === 'ACTIVE') return { call: false, note: 'already active in PayPal' };
      if (s !== 'SUSPENDED')
        return { call: false, note: `PayPal can only activate a SUSPENDED subscription (it is ${s})` };
      if (state.outstandingMinor > 0)
        return {
          call: false,
          note: 'collect the outstanding balance first: PayPal does not reactivate while it is owed',
        };
      return { call: true, note: '' };
    case 'collect':
      if (state.outstandingMinor <= 0) return { call: false, note: 'PayPal shows no outstanding balance to collect' };
      return { call: true, note: '' };
  }
  // cancel and suspend need a reason (PayPal requires one, 1–128 characters)
  if (!reason?.trim()) return { call: false, note: `a reason is required to ${command} (Action Reason)` };
  return { call: true, note: '' };
}

export function subscriptionCommand(deps: CommandDeps): Handler {
  const sync = subscriptionSyncer(deps);
  return async (ctx) => {
    const event = ctx.event as CommandEvent;
    const dv = deps.dataverse;
    const rowId = event.PrimaryEntityId;
    const command = COMMANDS[Number(postImageValue(event, 'statuscode'))];
    if (!command) {
      ctx.log.info({ rowId }, 'subscription update requests nothing of PayPal');
      return;
    }
    const row = await dv.get<{ ppc_paypalsubscriptionid?: string; ppc_actionreason?: string }>(
      `ppc_subscriptions(${rowId})`,
      ['ppc_paypalsubscriptionid', 'ppc_actionreason'],
    );
    const subscriptionId =
      row?.ppc_paypalsubscriptionid ?? scalarText(postImageValue(event, 'ppc_paypalsubscriptionid') ?? '');
    if (!row || !subscriptionId) {
      ctx.log.warn({ rowId }, 'subscription command on a row without a PayPal subscription id: nothing to do');
      return;
    }
    const reason = scalarText(postImageValue(event, 'ppc_actionreason') ?? row.ppc_actionreason ?? '').slice(0, 128);
    const user = actingUser(event);
    const decision = decideRequest(SUBSCRIPTION_RULE, {
      requester: user,
      requesterRoles: user ? await userRoles(dv, user) : [],
    });
    const done = async (result: string) => {
      await sync(ctx, subscriptionId, `dataverse:${event.OperationId ?? event.RequestId ?? rowId}`);
      await dv.update(`ppc_subscriptions(${rowId})`, { ppc_actionresult: result.slice(0, 2000) }, '*');
      ctx.log.info({ rowId, subscriptionId, command, result }, 'subscription command handled');
    };
    if (!decision.ok) return done(`${command} refused: ${decision.reason}`);
    const read = await readSubscription(deps.paypal, subscriptionId);
    if (!read) return done(`${command} refused: PayPal does not know subscription ${subscriptionId}`);
    const outstanding = read.facts.outstanding;
    const next = decideCommand(
      command,
      { status: read.facts.status, outstandingMinor: outstanding?.minor ?? 0 },
      reason,
    );
    if (!next.call) return done(`${command}: nothing asked of PayPal, ${next.note}`);
    const by = `by ${user} at ${new Date().toISOString()}`;
    try {
      if (command === 'cancel') await deps.paypal.cancelSubscription(subscriptionId, reason);
      else if (command === 'suspend') await deps.paypal.suspendSubscription(subscriptionId, reason);
      else if (command === 'activate') await deps.paypal.activateSubscription(subscriptionId, reason || undefined);
      else
        await deps.paypal.captureSubscription(
          subscriptionId,
          {
            note: (reason || 'Outstanding balance collected from Dynamics 365').slice(0, 128),
            amount: { currency_code: outstanding!.currency, value: formatPayPalAmount(outstanding!) },
          },
          `ppc-collect-${event.OperationId ?? event.RequestId ?? `${rowId}-${ctx.inboxId}`}`,
        );
    } catch (err) {
      const d = payPalErrorDetails(err);
      if (err instanceof AppError && d && !err.retryable)
        return done(`${command} refused by PayPal: ${d.issues[0] ?? d.name} ${err.message}`.trim());
      throw err; // 429/5xx/network: retried (collect with the same PayPal-Request-Id)
    }
    await done(
      command === 'collect'
        ? `outstanding ${formatPayPalAmount(outstanding!)} ${outstanding!.currency} collected ${by}`
        : `${command} sent to PayPal ${by}`,
    );
  };
}
