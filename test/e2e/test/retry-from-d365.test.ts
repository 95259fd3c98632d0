// Failures visible in D365 and retried from it, over real HTTP (issue #14, Must show 1): PayPal answers 500 on a
// refund until the retries are exhausted → the credit memo ends Failed with the reason and an integration event
// is readable through the Dataverse Web API → the fault is removed → a user without the Refund Agent role presses
// Retry (refused, nothing moves) → a Refund Agent presses Retry → the memo is Refunded, PayPal refunded once →
// Retry pressed again → still one refund. The money-movement audit names the Refund Agent behind every attempt.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@ppc/test-support';
import { buyerPays, dataverseAdmin, startLocalStack, type DataverseAdmin, type LocalStack } from '@ppc/stack';
import { CreditMemoStatus, IntegrationEventStatus } from '@ppc/solution';
import { dataverseEventsDone } from './support.ts';

type Row = Record<string, unknown>;
const USERS = {
  refundagent: '5f0c7a6e-0000-4000-8000-000000000004',
  financeuser: '5f0c7a6e-0000-4000-8000-000000000006',
};
const MAX_ATTEMPTS = 4;

let stack: LocalStack;
let starting: Promise<LocalStack> | undefined;
let token: string;
let agent: DataverseAdmin;
let finance: DataverseAdmin;
let usd: string;

beforeAll(async () => {
  starting = startLocalStack({ proxyEnv: { JOB_MAX_ATTEMPTS: String(MAX_ATTEMPTS) } });
  stack = await starting;
  token = await stack.paypalToken();
  agent = dataverseAdmin(stack.dataverse.apiUrl, () => stack.dataverse.tokenFor('refundagent'));
  finance = dataverseAdmin(stack.dataverse.apiUrl, () => stack.dataverse.tokenFor('financeuser'));
  const [c] = await stack.admin.list<Row>(
    'transactioncurrencies',
    "$filter=isocurrencycode eq 'USD'&$select=transactioncurrencyid",
  );
  usd = String(c!.transactioncurrencyid);
}, 120_000);
afterAll(async () => {
  await (await starting?.catch(() => undefined))?.close();
});

const control = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(new URL(path, stack.paypal.url), {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
};

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

const eventOfMemo = (memoId: string, by: DataverseAdmin) =>
  by.list<Row>('ppc_integrationevents', `$filter=_ppc_creditmemoid_value eq ${memoId}`);

describe('a dead-lettered refund, visible in D365 and retried from it', () => {
  it('memo Failed with the reason + integration event → Retry by a Refund Agent → refunded once', async () => {
    const purchase = await buyerPays(stack.paypal.url, token, {
      currency: 'USD',
      items: [{ sku: 'SKU-MUG', name: 'Coffee mug', quantity: 1, unitValue: '30.00' }],
      payer: { payer_id: 'RETRYBUYERAAA', email: 'retry.buyer@example.com' },
    });
    const txn = await waitFor(
      async () =>
        (
          await stack.admin.list<Row>(
            'ppc_paypaltransactions',
            `$filter=ppc_paypalid eq '${purchase.captureId}' and statuscode eq 416500010`,
          )
        )[0],
      30_000,
      'capture recorded',
    );
    const memoId = await agent.create('ppc_creditmemos', {
      ppc_name: 'Damaged mug',
      ppc_amount: 12,
      ppc_origin: 416500030,
      'transactioncurrencyid@odata.bind': `/transactioncurrencies(${usd})`,
      'ppc_invoiceid@odata.bind': `/invoices(${String(txn._ppc_invoiceid_value)})`,
    });

    // PayPal fails every refund with 500 until the fault is removed.
    await control('POST', '/_emulator/faults', { route: 'POST /v2/payments/captures/*/refund', status: 500 });
    await agent.patch(`ppc_creditmemos(${memoId})`, { statuscode: CreditMemoStatus.RefundRequested });

    // The memo ends Failed, with the reason a finance user reads.
    const failed = await waitFor(
      async () => {
        const m = await agent.get<Row>(`ppc_creditmemos(${memoId})`);
        return m.statuscode === CreditMemoStatus.Failed ? m : undefined;
      },
      60_000,
      'credit memo Failed',
    );
    expect(String(failed.ppc_failurereason)).toContain('The refund of this credit memo was not made');
    expect(String(failed.ppc_failurereason)).toContain('server error');
    expect(String(failed.ppc_failurereason)).toContain('No money was moved');

    // The integration event, read through the Web API as the Refund Agent, links the memo.
    const [event] = await waitFor(
      async () => {
        const rows = await eventOfMemo(memoId, agent);
        return rows.length ? rows : undefined;
      },
      30_000,
      'integration event in Dataverse',
    );
    expect(event).toMatchObject({
      statuscode: IntegrationEventStatus.DeadLetter,
      ppc_eventtype: 'Update:ppc_creditmemo',
      ppc_attempts: MAX_ATTEMPTS,
      ppc_recordtable: 'ppc_creditmemo',
      ppc_recordid: memoId,
    });
    expect(String(event!.ppc_lasterror)).toBe(String(failed.ppc_failurereason));
    expect(String(event!.ppc_technicaldetail)).toMatch(/paypal_.*HTTP 500/);
    expect(await paypalRefunds(purchase.captureId)).toBe(0);
    const eventId = String(event!.ppc_integrationeventid);

    await control('DELETE', '/_emulator/faults');

    // The attacker's version: a PayPal Finance user (no Refund Agent role) presses Retry. Refused; nothing moves.
    await finance.patch(`ppc_integrationevents(${eventId})`, { ppc_retryrequested: true });
    await dataverseEventsDone(stack);
    const refused = await waitFor(
      async () => {
        const e = await agent.get<Row>(`ppc_integrationevents(${eventId})`);
        return e.ppc_retryrequested === false ? e : undefined;
      },
      30_000,
      'refused retry cleared',
    );
    expect(String(refused.ppc_lasterror)).toContain('only a user with the Refund Agent role');
    expect(refused.statuscode).toBe(IntegrationEventStatus.DeadLetter);
    expect((await agent.get<Row>(`ppc_creditmemos(${memoId})`)).statuscode).toBe(CreditMemoStatus.Failed);
    expect(await paypalRefunds(purchase.captureId)).toBe(0);

    // The Refund Agent presses Retry: the dead letter is replayed, PayPal refunds, the memo is Refunded.
    await agent.patch(`ppc_integrationevents(${eventId})`, { ppc_retryrequested: true });
    const refunded = await waitFor(
      async () => {
        const m = await agent.get<Row>(`ppc_creditmemos(${memoId})`);
        return m.statuscode === CreditMemoStatus.Refunded ? m : undefined;
      },
      60_000,
      'credit memo Refunded',
    );
    expect(refunded.ppc_paypalrefundid).toBeTruthy();
    expect(refunded.ppc_failurereason ?? null).toBeNull();
    const resolved = await waitFor(
      async () => {
        const e = await agent.get<Row>(`ppc_integrationevents(${eventId})`);
        return e.statuscode === IntegrationEventStatus.Processed ? e : undefined;
      },
      30_000,
      'integration event Processed',
    );
    expect(resolved._ppc_retryrequestedby_value).toBe(USERS.refundagent);
    expect(resolved.ppc_retryrequestedon).toBeTruthy();
    expect(resolved.ppc_processedon).toBeTruthy();
    expect(await paypalRefunds(purchase.captureId)).toBe(1);

    // Retry pressed again: nothing to replay, still one refund.
    await agent.patch(`ppc_integrationevents(${eventId})`, { ppc_retryrequested: true });
    await dataverseEventsDone(stack);
    await waitFor(
      async () => {
        const e = await agent.get<Row>(`ppc_integrationevents(${eventId})`);
        return e.ppc_retryrequested === false ? e : undefined;
      },
      30_000,
      'second retry cleared',
    );
    expect(await paypalRefunds(purchase.captureId)).toBe(1);
    expect((await eventOfMemo(memoId, agent)).length).toBe(1);

    // The audit: every refund call with the Refund Agent behind it and the memo id as PayPal-Request-Id.
    const { rows: audit } = await stack.proxy.store.query<Row>(
      `SELECT operation, paypal_request_id, dataverse_user::text AS dataverse_user, outcome, http_status, amount_minor::int AS amount_minor, currency
         FROM money_movements WHERE paypal_request_id = $1 ORDER BY id`,
      [memoId],
    );
    expect(audit.length).toBe(MAX_ATTEMPTS + 1);
    expect(audit.every((a) => a.dataverse_user === USERS.refundagent && a.operation === 'refund')).toBe(true);
    expect(audit.slice(0, MAX_ATTEMPTS).map((a) => [a.outcome, a.http_status])).toEqual(
      Array.from({ length: MAX_ATTEMPTS }, () => ['failed_retryable', 500]),
    );
    expect(audit[MAX_ATTEMPTS]).toMatchObject({ outcome: 'done', amount_minor: 1200, currency: 'USD' });
  }, 180_000);
});
