// The I/O half of four-eyes (mapping/four-eyes.ts holds the rules): read what a Dataverse event says it did,
// read the acting user's roles from Dataverse as the application user, and build the record columns only the
// integration user writes. Shared by the refund request and, with PAYOUT_RULE, the payout batch approval.
import type { DataversePort } from '../adapters/dataverse/types.ts';
import {
  actingUser,
  decideApproval,
  decideRequest,
  type EventUsers,
  type FourEyesDecision,
  type FourEyesRule,
} from '../mapping/four-eyes.ts';

/** The part of a RemoteExecutionContext the approval checks read. */
export interface ApprovalEvent extends EventUsers {
  PostEntityImages?: { key: string; value?: { Attributes?: { key: string; value: unknown }[] } }[];
}

/** A user's security roles by name (direct assignments, systemuserroles_association). */
export async function userRoles(dv: DataversePort, userId: string): Promise<string[]> {
  const [u] = await dv.query<{ systemuserroles_association?: { name: string }[] }>(
    'systemusers',
    `$select=systemuserid&$expand=systemuserroles_association($select=name)&$filter=systemuserid eq ${userId}&$top=1`,
    1,
  );
  return (u?.systemuserroles_association ?? []).map((r) => r.name);
}

/**
 * A column of the step's PostImage: the row as this operation left it, so a late job still knows what its
 * event did (learn.microsoft.com/power-apps/developer/data-platform/understand-the-data-context#entity-images).
 * OptionSetValue and Money arrive as `{Value}`; undefined when the image or the column is absent.
 */
export function postImageValue(event: ApprovalEvent, column: string): unknown {
  const images = event.PostEntityImages ?? [];
  const image = images.find((i) => i.key === 'PostImage') ?? images[0];
  const attr = image?.value?.Attributes?.find((a) => a.key === column);
  if (!attr) return undefined;
  const v = attr.value;
  return v !== null && typeof v === 'object' && 'Value' in v ? v.Value : v;
}

export interface CheckedUser {
  user: string | undefined;
  decision: FourEyesDecision;
}

/** The acting user of a request event, with the role check. */
export async function checkRequest(dv: DataversePort, rule: FourEyesRule, event: ApprovalEvent): Promise<CheckedUser> {
  const user = actingUser(event);
  const roles = user ? await userRoles(dv, user) : [];
  return { user, decision: decideRequest(rule, { requester: user, requesterRoles: roles }) };
}

/** The acting user of an approval event, against the requester the connector recorded. */
export async function checkApproval(
  dv: DataversePort,
  rule: FourEyesRule,
  event: ApprovalEvent,
  recordedRequester: string | undefined,
): Promise<CheckedUser> {
  const user = actingUser(event);
  const roles = user ? await userRoles(dv, user) : [];
  return { user, decision: decideApproval(rule, { approver: user, approverRoles: roles, recordedRequester }) };
}

/**
 * The record columns (`<prefix>requestedby/on`, `approvedby/on`): the dates are field-secured (only the
 * integration user's profile may write them); the lookups cannot be secured, so the connector overwrites whatever
 * a user put there and checks approvals against its own store (adapters/store/four-eyes-requests.ts).
 */
export function requestRecord(requester: string | undefined, at: Date): Record<string, unknown> {
  return {
    // `nav@odata.bind: null` clears a lookup (learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api)
    'ppc_requestedby@odata.bind': requester ? `/systemusers(${requester})` : null,
    ppc_requestedon: at.toISOString(),
    'ppc_approvedby@odata.bind': null,
    ppc_approvedon: null,
  };
}

export function approvalRecord(approver: string, at: Date): Record<string, unknown> {
  return { 'ppc_approvedby@odata.bind': `/systemusers(${approver})`, ppc_approvedon: at.toISOString() };
}
