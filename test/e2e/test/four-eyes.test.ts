// Four-eyes on refunds from D365, through the Dataverse webhook as the real users: the requester is the user who
// set the credit memo to Refund requested (the event's InitiatingUserId), an approval is a PayPal Finance user's
// own update of the memo to Approved. The Requested/Approved By columns are never taken as identities: the record
// dates are field-secured (only the proxy's application user and System Administrators write them), the lookups
// cannot be secured, and the proxy checks approvals against the requester it keeps in its own store.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@ppc/test-support';
import {
  buyerPays,
  dataverseAdmin,
  setEnvironmentVariable,
  startLocalStack,
  type DataverseAdmin,
  type LocalStack,
} from '@ppc/stack';
import { CreditMemoStatus } from '@ppc/solution';
import { dataverseEventsDone } from './support.ts';

type Row = Record<string, unknown>;
const USERS = {
  admin: '5f0c7a6e-0000-4000-8000-000000000002',
  refundagent: '5f0c7a6e-0000-4000-8000-000000000004',
  financeuser: '5f0c7a6e-0000-4000-8000-000000000006',
  dualrole: '5f0c7a6e-0000-4000-8000-000000000008',
};

let stack: LocalStack;
let token: string;
let agent: DataverseAdmin;
let finance: DataverseAdmin;
let dual: DataverseAdmin;
let usd: string;

beforeAll(async () => {
  stack = await startLocalStack();
  token = await stack.paypalToken();
  agent = dataverseAdmin(stack.dataverse.apiUrl, () => stack.dataverse.tokenFor('refundagent'));
  finance = dataverseAdmin(stack.dataverse.apiUrl, () => stack.dataverse.tokenFor('financeuser'));
  dual = dataverseAdmin(stack.dataverse.apiUrl, () => stack.dataverse.tokenFor('dualrole'));
  // Before the first flow reads (and caches) the reference data.
  await setEnvironmentVariable(stack.admin, 'ppc_RefundApprovalThreshold', '100');
  const [c] = await stack.admin.list<Row>(
    'transactioncurrencies',
    "$filter=isocurrencycode eq 'USD'&$select=transactioncurrencyid",
  );
  usd = String(c!.transactioncurrencyid);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

let n = 0;
const L = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
async function paidCapture(value: string) {
  n += 1;
  const purchase = await buyerPays(stack.paypal.url, token, {
    currency: 'USD',
    items: [{ sku: 'SKU-MUG', name: 'Coffee mug', quantity: 1, unitValue: value }],
    payer: { payer_id: `FEYESBUYER2${L[Math.floor(n / 24) % 24]}${L[n % 24]}`, email: `four.eyes${n}@example.com` },
  });
  const txn = await waitFor(
    async () => {
      const [t] = await stack.admin.list<Row>(
        'ppc_paypaltransactions',
        `$filter=ppc_paypalid eq '${purchase.captureId}' and statuscode eq 416500010`,
      );
      return t;
    },
    30_000,
    `capture ${purchase.captureId} recorded`,
  );
  return { captureId: purchase.captureId, invoiceId: String(txn._ppc_invoiceid_value) };
}

const memo = (id: string) => stack.admin.get<Row>(`ppc_creditmemos(${id})`);
const draftMemo = (invoiceId: string, amount: number, by: DataverseAdmin, extra: Row = {}) =>
  by.create('ppc_creditmemos', {
    ppc_name: `Four-eyes ${amount}`,
    ppc_amount: amount,
    ppc_origin: 416500030,
    'transactioncurrencyid@odata.bind': `/transactioncurrencies(${usd})`,
    'ppc_invoiceid@odata.bind': `/invoices(${invoiceId})`,
    ...extra,
  });
const setStatus = (id: string, statuscode: number, by: DataverseAdmin, extra: Row = {}) =>
  by.patch(`ppc_creditmemos(${id})`, { statuscode, ...extra });
const waitForMemo = (id: string, statuscode: number, reason = '') =>
  waitFor(
    async () => {
      const m = await memo(id);
      return m.statuscode === statuscode && String(m.ppc_failurereason ?? '').includes(reason) ? m : undefined;
    },
    30_000,
    `credit memo ${id} with status ${statuscode} "${reason}"`,
  );
/** Refunds PayPal made of this capture, from the PayPal emulator's own event log. */
async function paypalRefunds(captureId: string): Promise<number> {
  const res = await fetch(new URL('/_emulator/events', stack.paypal.url));
  const { events } = (await res.json()) as {
    events: { event_type: string; resource: { links?: { rel: string; href: string }[] } }[];
  };
  return events.filter(
    (e) =>
      e.event_type === 'PAYMENT.CAPTURE.REFUNDED' &&
      e.resource.links?.some((l) => l.rel === 'up' && l.href.endsWith(`/captures/${captureId}`)),
  ).length;
}

describe('four-eyes on refunds from D365 (Dataverse webhook → proxy)', () => {
  it('a requester naming an approver in the column still waits for an approval; the column is cleared', async () => {
    const c = await paidCapture('150.00');
    const m = await draftMemo(c.invoiceId, 120, agent, {
      'ppc_approvedby@odata.bind': `/systemusers(${USERS.financeuser})`,
    });
    await setStatus(m, CreditMemoStatus.RefundRequested, agent);
    const pending = await waitForMemo(m, CreditMemoStatus.PendingApproval, 'other than the requester');
    expect(pending._ppc_approvedby_value ?? null).toBeNull();
    expect(pending._ppc_requestedby_value).toBe(USERS.refundagent);
    await dataverseEventsDone(stack);
    expect(await paypalRefunds(c.captureId)).toBe(0);
  });

  it("someone else's id in the requester column: the initiating user is the requester, refused without Refund Agent", async () => {
    const c = await paidCapture('20.00');
    const m = await draftMemo(c.invoiceId, 5, agent);
    // A System Administrator (Dataverse lets them write) names the refund agent as requester.
    await setStatus(m, CreditMemoStatus.RefundRequested, stack.admin, {
      'ppc_requestedby@odata.bind': `/systemusers(${USERS.refundagent})`,
    });
    const failed = await waitForMemo(m, CreditMemoStatus.Failed, 'does not hold the Refund Agent role');
    expect(failed._ppc_requestedby_value).toBe(USERS.admin);
    await dataverseEventsDone(stack);
    expect(await paypalRefunds(c.captureId)).toBe(0);
  });

  it('the requester approving their own request is refused', async () => {
    const c = await paidCapture('150.00');
    const m = await draftMemo(c.invoiceId, 120, agent);
    await setStatus(m, CreditMemoStatus.RefundRequested, agent);
    await waitForMemo(m, CreditMemoStatus.PendingApproval);
    await setStatus(m, CreditMemoStatus.Approved, agent);
    const failed = await waitForMemo(m, CreditMemoStatus.Failed, 'the approver must differ from the requester');
    expect(failed._ppc_approvedby_value ?? null).toBeNull();
    await dataverseEventsDone(stack);
    expect(await paypalRefunds(c.captureId)).toBe(0);
  });

  it('an approver without PayPal Finance is refused', async () => {
    const c = await paidCapture('150.00');
    const m = await draftMemo(c.invoiceId, 120, agent);
    await setStatus(m, CreditMemoStatus.RefundRequested, agent);
    await waitForMemo(m, CreditMemoStatus.PendingApproval);
    await setStatus(m, CreditMemoStatus.Approved, stack.admin); // System Administrator, not PayPal Finance
    const failed = await waitForMemo(m, CreditMemoStatus.Failed, 'does not hold the PayPal Finance role');
    expect(failed._ppc_approvedby_value ?? null).toBeNull();
    await dataverseEventsDone(stack);
    expect(await paypalRefunds(c.captureId)).toBe(0);
  });

  it('a PayPal Finance user other than the requester approves: refunded once, requester and approver recorded', async () => {
    const c = await paidCapture('150.00');
    const m = await draftMemo(c.invoiceId, 120, agent);
    await setStatus(m, CreditMemoStatus.RefundRequested, agent);
    await waitForMemo(m, CreditMemoStatus.PendingApproval);
    expect(await paypalRefunds(c.captureId)).toBe(0);
    await setStatus(m, CreditMemoStatus.Approved, finance);
    const done = await waitForMemo(m, CreditMemoStatus.Refunded);
    expect(done).toMatchObject({
      _ppc_requestedby_value: USERS.refundagent,
      _ppc_approvedby_value: USERS.financeuser,
    });
    expect(Number(done.ppc_amount)).toBe(120);
    await dataverseEventsDone(stack);
    await fetch(new URL('/_emulator/deliveries?wait=1', stack.paypal.url));
    expect(await paypalRefunds(c.captureId)).toBe(1);
  });

  it('a user holding Refund Agent and PayPal Finance cannot rewrite the record (field security) nor approve their own request', async () => {
    const c = await paidCapture('150.00');
    const m = await draftMemo(c.invoiceId, 120, dual);
    await setStatus(m, CreditMemoStatus.RefundRequested, dual);
    const pending = await waitForMemo(m, CreditMemoStatus.PendingApproval);
    expect(pending._ppc_requestedby_value).toBe(USERS.dualrole);
    // Dataverse refuses the secured record date (AttributePermissionUpdateIsMissingDuringUpdate, 0x8004F507).
    await expect(dual.patch(`ppc_creditmemos(${m})`, { ppc_requestedon: '2020-01-01T00:00:00Z' })).rejects.toThrow(
      /answered 403.*0x8004F507/,
    );
    // The lookup cannot be secured, so Dataverse takes this write; the proxy does not read it back.
    await dual.patch(`ppc_creditmemos(${m})`, { 'ppc_requestedby@odata.bind': `/systemusers(${USERS.refundagent})` });
    await setStatus(m, CreditMemoStatus.Approved, dual);
    const failed = await waitForMemo(m, CreditMemoStatus.Failed, 'the approver must differ from the requester');
    expect(failed._ppc_approvedby_value ?? null).toBeNull();
    await dataverseEventsDone(stack);
    expect(await paypalRefunds(c.captureId)).toBe(0);
  });

  it('a System Administrator rewriting the record (allowed by field security) does not change who requested', async () => {
    const c = await paidCapture('150.00');
    const m = await draftMemo(c.invoiceId, 120, dual);
    await setStatus(m, CreditMemoStatus.RefundRequested, dual);
    await waitForMemo(m, CreditMemoStatus.PendingApproval);
    // System Administrators read and set secured columns (column-level security): both writes succeed.
    await stack.admin.patch(`ppc_creditmemos(${m})`, {
      'ppc_requestedby@odata.bind': `/systemusers(${USERS.financeuser})`,
      ppc_requestedon: '2020-01-01T00:00:00Z',
    });
    expect((await memo(m))._ppc_requestedby_value).toBe(USERS.financeuser);
    // The requester approves: the column names someone else, the proxy's own record does not.
    await setStatus(m, CreditMemoStatus.Approved, dual);
    await waitForMemo(m, CreditMemoStatus.Failed, 'the approver must differ from the requester');
    await dataverseEventsDone(stack);
    expect(await paypalRefunds(c.captureId)).toBe(0);
  });
});
