// Four-eyes rules: the requester and the approver are the acting users of their own Dataverse events.
import { describe, expect, it } from '@jest/globals';
import { PAYOUT_RULE, REFUND_RULE, actingUser, decideApproval, decideRequest } from '../../src/mapping/four-eyes.ts';
import { postImageValue } from '../../src/flows/approvals.ts';

const AGENT = '5f0c7a6e-0000-4000-8000-000000000004';
const FINANCE = '5f0c7a6e-0000-4000-8000-000000000006';

describe('actingUser', () => {
  it('is the InitiatingUserId, never the UserId the step runs as', () => {
    expect(actingUser({ InitiatingUserId: AGENT.toUpperCase(), UserId: FINANCE })).toBe(AGENT);
    expect(actingUser({ UserId: FINANCE })).toBeUndefined();
    expect(actingUser({ InitiatingUserId: '00000000-0000-0000-0000-000000000000' })).toBeUndefined();
    expect(actingUser({ InitiatingUserId: 'not-a-guid' })).toBeUndefined();
  });
});

describe('decideRequest', () => {
  it('needs a named requester holding the requesting role', () => {
    expect(decideRequest(REFUND_RULE, { requester: AGENT, requesterRoles: ['Refund Agent'] })).toEqual({ ok: true });
    expect(decideRequest(REFUND_RULE, { requester: AGENT, requesterRoles: ['System Administrator'] })).toEqual({
      ok: false,
      reason: 'the user who requested the refund does not hold the Refund Agent role',
    });
    expect(decideRequest(REFUND_RULE, { requester: undefined, requesterRoles: [] })).toMatchObject({ ok: false });
  });
});

describe('decideApproval', () => {
  const ok = { approver: FINANCE, approverRoles: ['PayPal Finance'], recordedRequester: AGENT };
  it('accepts an approving-role holder who is not the recorded requester', () => {
    expect(decideApproval(REFUND_RULE, ok)).toEqual({ ok: true });
  });
  it('refuses the requester approving their own request, whatever their roles', () => {
    expect(
      decideApproval(REFUND_RULE, { ...ok, approver: AGENT.toUpperCase(), approverRoles: ['PayPal Finance'] }),
    ).toEqual({ ok: false, reason: 'the approver must differ from the requester' });
  });
  it('refuses an approver without the approving role', () => {
    expect(decideApproval(REFUND_RULE, { ...ok, approverRoles: ['System Administrator'] })).toEqual({
      ok: false,
      reason: 'the approver does not hold the PayPal Finance role',
    });
  });
  it('refuses an approval of a request the connector never recorded', () => {
    expect(decideApproval(REFUND_RULE, { ...ok, recordedRequester: undefined })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('request it again'),
    });
  });
  it('serves payouts with their own roles', () => {
    expect(decideApproval(PAYOUT_RULE, { ...ok, approverRoles: ['PayPal Finance'] })).toMatchObject({ ok: false });
    expect(decideApproval(PAYOUT_RULE, { ...ok, approverRoles: ['Payout Approver'] })).toEqual({ ok: true });
  });
});

describe('postImageValue', () => {
  it('reads OptionSetValue / Money {Value} and plain values of the PostImage', () => {
    const event = {
      PostEntityImages: [
        {
          key: 'PostImage',
          value: {
            Attributes: [
              { key: 'statuscode', value: { __type: 'OptionSetValue:x', Value: 416500021 } },
              { key: 'ppc_amount', value: { __type: 'Money:x', Value: 120 } },
              { key: 'ppc_name', value: 'Refund' },
            ],
          },
        },
      ],
    };
    expect(postImageValue(event, 'statuscode')).toBe(416500021);
    expect(postImageValue(event, 'ppc_amount')).toBe(120);
    expect(postImageValue(event, 'ppc_name')).toBe('Refund');
    expect(postImageValue(event, 'ppc_reason')).toBeUndefined();
    expect(postImageValue({}, 'statuscode')).toBeUndefined();
  });
});
