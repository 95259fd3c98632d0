// Commands from D365 on payout records, each a Dataverse step's async webhook (solution: Update steps):
// - "Cancel unclaimed payout" on a payout item sets ppc_cancelrequested (Update:ppc_payoutitem). Who asked is the
//   event's InitiatingUserId (never a column), and that user must hold Payout Approver or PayPal Finance, read
//   from Dataverse. Which PayPal item is the proxy's own record of what it submitted (by the item's id), never the
//   item's ppc_paypalitemid column. PayPal's state decides (tracking.cancelUnclaimed): only an UNCLAIMED item is
//   cancelled, so pressing the button twice cancels once. Every request is recorded with its outcome
//   (payout_item_commands) and the flag is cleared; a refusal is written on the item.
// - A vendor's PayPal Payout Receiver changed (Update:account / Update:contact filtered on the receiver columns):
//   the proxy reads the record, checks the receiver against PayPal's recipient_type rules (batch-plan.ts
//   receiverProblem) and writes ppc_payoutreceivervalid and the reason. No money moves here; the batch build checks
//   every receiver again.
import type { DataversePort } from '../../adapters/dataverse/types.ts';
import type { Store } from '../../adapters/store/store.ts';
import { actingUser } from '../../mapping/four-eyes.ts';
import { RECIPIENT_OF_CHOICE, receiverProblem } from '../../mapping/payouts/batch-plan.ts';
import { ROLE_FINANCE, ROLE_PAYOUT_APPROVER } from '@ppc/solution';
import { postImageValue, userRoles, type ApprovalEvent } from '../approvals.ts';
import type { HandlerContext } from '../handlers.ts';
import { itemBySenderId, recordItemCommand } from './payout-store.ts';
import type { PayoutTracking } from './tracking.ts';
import { targetValue } from './batch-events.ts';

/** The roles that may cancel an unclaimed payout item: the approvers of payouts and the AP team that prepares them. */
export const CANCEL_ROLES: readonly string[] = [ROLE_PAYOUT_APPROVER, ROLE_FINANCE];

type CommandEvent = ApprovalEvent & { PrimaryEntityId?: string; PrimaryEntityName?: string };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function cancelRequested(deps: { dataverse: DataversePort; store: Store; tracking: PayoutTracking }) {
  const dv = deps.dataverse;
  return async function onPayoutItemUpdated(ctx: HandlerContext): Promise<void> {
    const event = ctx.event as CommandEvent;
    // Our own write that clears the flag fires the step too: only a request (true) is one.
    if (postImageValue(event, 'ppc_cancelrequested') !== true) return;
    const itemId = String(event.PrimaryEntityId ?? '').toLowerCase();
    if (!GUID.test(itemId)) return;
    const clear = (extra: Record<string, unknown> = {}) =>
      dv.update(`ppc_payoutitems(${itemId})`, { ppc_cancelrequested: false, ...extra }, '*');
    const user = actingUser(event);
    const roles = user ? await userRoles(dv, user) : [];
    const at = new Date().toISOString();
    if (!user || !roles.some((r) => CANCEL_ROLES.includes(r))) {
      const reason = user
        ? `only a user with the ${CANCEL_ROLES.join(' or ')} role may cancel a payout`
        : 'the request does not name the user who made it (no InitiatingUserId)';
      await recordItemCommand(ctx.store, {
        itemId,
        command: 'cancel',
        requestedBy: user,
        outcome: `refused: ${reason}`,
      });
      ctx.log.info({ itemId, user, reason }, 'cancel of a payout item refused');
      await clear({ ppc_errormessage: `Cancel refused (${at}): ${reason}.` });
      return;
    }
    const row = await itemBySenderId(ctx.store, itemId);
    if (!row?.paypal_item_id) {
      const reason = 'the item was not submitted to PayPal by this connector';
      await recordItemCommand(ctx.store, {
        itemId,
        command: 'cancel',
        requestedBy: user,
        outcome: `refused: ${reason}`,
      });
      await clear({ ppc_errormessage: `Cancel not possible (${at}): ${reason}.` });
      return;
    }
    const outcome = await deps.tracking.cancelUnclaimed(ctx, row.paypal_item_id);
    await recordItemCommand(ctx.store, { itemId, command: 'cancel', requestedBy: user, outcome });
    ctx.log.info(
      { itemId, paypalItemId: row.paypal_item_id, user, outcome },
      'cancel of a payout item requested in D365',
    );
    // The booking wrote PayPal's state and message on the item; only the flag is ours to clear.
    await clear();
  };
}

const VENDOR_TABLES: Record<string, { set: string; key: string }> = {
  account: { set: 'accounts', key: 'accountid' },
  contact: { set: 'contacts', key: 'contactid' },
};

/** Pure: the receiver check written on the vendor (valid, and the reason or "valid"). */
export function receiverCheck(
  type: unknown,
  receiver: unknown,
  at: string,
): { ppc_payoutreceivervalid: boolean; ppc_payoutreceivercheck: string | null } {
  const value = typeof receiver === 'string' ? receiver.trim() : '';
  const recipient = typeof type === 'number' ? RECIPIENT_OF_CHOICE[type] : undefined;
  if (!value && type == null) return { ppc_payoutreceivervalid: false, ppc_payoutreceivercheck: null };
  const problem = !value
    ? 'the receiver is empty'
    : !recipient
      ? 'the receiver type is missing (Email, Phone or PayPal Id)'
      : receiverProblem(recipient, value);
  return {
    ppc_payoutreceivervalid: !problem,
    ppc_payoutreceivercheck: `${problem ?? 'valid'} (checked ${at})`.slice(0, 400),
  };
}

export function receiverChanged(deps: { dataverse: DataversePort }) {
  const dv = deps.dataverse;
  return async function onVendorUpdated(ctx: HandlerContext): Promise<void> {
    const event = ctx.event as CommandEvent;
    const table = VENDOR_TABLES[String(event.PrimaryEntityName ?? '')];
    const id = String(event.PrimaryEntityId ?? '').toLowerCase();
    if (!table || !GUID.test(id)) return;
    // Only an update of the receiver is one (the step filters on these columns; any other update is not ours).
    if (
      targetValue(event, 'ppc_payoutreceiver') === undefined &&
      targetValue(event, 'ppc_payoutreceivertype') === undefined
    )
      return;
    // The record as it is now (a later change has its own event), not the event's copy.
    const row = await dv.get<Record<string, unknown>>(`${table.set}(${id})`, [
      'ppc_payoutreceiver',
      'ppc_payoutreceivertype',
    ]);
    if (!row) return;
    const check = receiverCheck(row.ppc_payoutreceivertype, row.ppc_payoutreceiver, new Date().toISOString());
    await dv.update(`${table.set}(${id})`, check);
    ctx.log.info({ table: table.set, id, valid: check.ppc_payoutreceivervalid }, 'vendor payout receiver checked');
  };
}
