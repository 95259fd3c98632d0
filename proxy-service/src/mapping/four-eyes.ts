// Four-eyes for money movements (ARCHITECTURE §3 "Trust"): who asked and who approved come from the platform,
// never from a column the requester can write. Pure: the flows read the users' roles and the event, then ask here.
//
// The requester is the user who performed the request (set the credit memo to Refund requested, submitted the
// payout batch): the Dataverse event's InitiatingUserId. Microsoft: a step registered with the default
// "Calling User" runs as the user "which initiated the action"; UserId is the account the step is set to run as
// (SdkMessageProcessingStep.ImpersonatingUserId) and InitiatingUserId always the caller
// (learn.microsoft.com/power-apps/developer/data-platform/impersonate-a-user).
//
// An approval is the approver's own act: the approver sets the document to Approved, and the webhook of that
// update names the approver as its InitiatingUserId. It counts only when that user holds the approving role and
// is not the requester the connector recorded in its own store when it took the request (the Requested/Approved By
// lookups are the connector's record for people: lookups cannot be field-secured and an administrator can write
// any column, so their values on input are never read as identities).
import { ROLE_FINANCE, ROLE_PAYOUT_APPROVER, ROLE_REFUND_AGENT } from '@ppc/solution';

export interface FourEyesRule {
  /** what is approved, in refusal texts */
  subject: string;
  /** the role a requester must hold */
  requestingRole: string;
  /** the role an approver must hold */
  approvingRole: string;
}

export const REFUND_RULE: FourEyesRule = {
  subject: 'refund',
  requestingRole: ROLE_REFUND_AGENT,
  approvingRole: ROLE_FINANCE,
};
/** Payout batches: prepared by PayPal Finance, approved by a Payout Approver who did not submit them. */
export const PAYOUT_RULE: FourEyesRule = {
  subject: 'payout',
  requestingRole: ROLE_FINANCE,
  approvingRole: ROLE_PAYOUT_APPROVER,
};

/** The identities of a Dataverse webhook (RemoteExecutionContext). */
export interface EventUsers {
  InitiatingUserId?: string;
  UserId?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMPTY = '00000000-0000-0000-0000-000000000000';

/** The user who performed the operation the event reports, or undefined when the event does not say. */
export function actingUser(event: EventUsers): string | undefined {
  // Only InitiatingUserId: UserId is the step's run-as account and would name whoever the step impersonates.
  const id = event.InitiatingUserId?.trim().toLowerCase();
  return id && GUID.test(id) && id !== EMPTY ? id : undefined;
}

export type FourEyesDecision = { ok: true } | { ok: false; reason: string };

/** A request: the acting user must hold the requesting role. */
export function decideRequest(
  rule: FourEyesRule,
  input: { requester: string | undefined; requesterRoles: readonly string[] },
): FourEyesDecision {
  if (!input.requester)
    return {
      ok: false,
      reason: `the ${rule.subject} request does not name the user who made it (no InitiatingUserId)`,
    };
  if (!input.requesterRoles.includes(rule.requestingRole))
    return {
      ok: false,
      reason: `the user who requested the ${rule.subject} does not hold the ${rule.requestingRole} role`,
    };
  return { ok: true };
}

/**
 * An approval: the acting user of the approval event, checked against the requester the connector recorded.
 * Order of the checks: missing request, then the same person, then the role, so each refusal names its cause.
 */
export function decideApproval(
  rule: FourEyesRule,
  input: {
    approver: string | undefined;
    approverRoles: readonly string[];
    /** the requester the connector recorded when it took the request (undefined: no request was taken) */
    recordedRequester: string | undefined;
  },
): FourEyesDecision {
  if (!input.recordedRequester)
    return {
      ok: false,
      reason: `approved before the connector recorded a ${rule.subject} request: request it again`,
    };
  if (!input.approver)
    return { ok: false, reason: `the approval does not name the user who made it (no InitiatingUserId)` };
  if (sameUser(input.approver, input.recordedRequester))
    return { ok: false, reason: `the approver must differ from the requester` };
  if (!input.approverRoles.includes(rule.approvingRole))
    return { ok: false, reason: `the approver does not hold the ${rule.approvingRole} role` };
  return { ok: true };
}

export const sameUser = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
