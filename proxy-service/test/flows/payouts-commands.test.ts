// Issue #16's remaining points on the real emulators (Dataverse and PayPal over HTTP, the proxy's store in PGlite),
// the flows called as the job queue calls them with the RemoteExecutionContext Dataverse would send:
// - "Cancel unclaimed payout" from D365: a user without the role is refused and nothing moves; a Payout Approver
//   cancels once, however often the request comes;
// - contacts as vendors, and the receiver check written on the vendor;
// - scheduled builds on a driven clock: once per slot, a currency filter, never two open batches for the same bills;
// - the approval acknowledges every warning of the batch (who, what, when recorded); an item changed after the build
//   is not paid;
// - PayPal's duplicate sender_batch_id answer: the original payout it links to is adopted, another one is not.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GlPurpose, PayoutBatchStatus, PayoutItemStatus, ReceiverType, VendorBillStatus } from '@ppc/solution';
import type { DataverseEmulator } from '@ppc/dataverse-emulator';
import { createServer as createPayPal, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@ppc/paypal-emulator';
import type { PayPalEmulator } from '@ppc/paypal-emulator';
import type { DataversePort } from '../../src/adapters/dataverse/types.ts';
import { createPayPalClient, type PayPalClient } from '../../src/adapters/paypal/index.ts';
import { payPalError } from '../../src/adapters/paypal/paypal-error.ts';
import { openStore } from '../../src/adapters/store/open-store.ts';
import type { Store } from '../../src/adapters/store/store.ts';
import { loadConfig } from '../../src/config.ts';
import { actionFor } from '../../src/flows/event-actions.ts';
import type { HandlerContext } from '../../src/flows/handlers.ts';
import { SCHEDULE_REQUESTER } from '../../src/flows/payouts/batch-events.ts';
import { payoutFlows, type PayoutFlows } from '../../src/flows/payouts/index.ts';
import { acknowledgementsOf, itemCommands, releaseLease, takeLease } from '../../src/flows/payouts/payout-store.ts';
import { AppError } from '../../src/errors.ts';
import { dataverseReferenceData } from '../../src/flows/reference-data.ts';
import { createLogger } from '../../src/logger.ts';
import { adminApi, clientFor, seedMinimalGlAccounts, startEmulator } from '../adapters/dataverse/emulator-client.ts';
import { testEnv } from '../support/test-proxy.ts';

type Row = Record<string, unknown>;
const USERS = {
  admin: '5f0c7a6e-0000-4000-8000-000000000002',
  payoutapprover: '5f0c7a6e-0000-4000-8000-000000000005',
  financeuser: '5f0c7a6e-0000-4000-8000-000000000006',
  noroles: '5f0c7a6e-0000-4000-8000-000000000007',
};
const log = createLogger('silent');
let dvEmu: DataverseEmulator;
let ppEmu: PayPalEmulator;
let dv: DataversePort;
let paypal: PayPalClient;
let store: Store;
let api: ReturnType<typeof adminApi>;
let currencies: Record<string, string>;
let clock = new Date('2026-03-02T09:00:00Z');
const paypalCalls: string[] = [];
/** set by a test: the next createPayout answers PayPal's duplicate error with this body's links */
let duplicateAnswer: ((body: unknown) => Promise<unknown>) | undefined;
let flows: PayoutFlows;

beforeAll(async () => {
  dvEmu = await startEmulator();
  ppEmu = await createPayPal({ seed: 'payout-commands', port: 0 });
  dv = clientFor(dvEmu);
  api = adminApi(dvEmu);
  const real = createPayPalClient({
    baseUrl: ppEmu.url,
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: DEFAULT_CLIENT_SECRET,
  });
  paypal = real;
  store = await openStore(loadConfig(testEnv()));
  await seedMinimalGlAccounts(dvEmu, [
    [GlPurpose.Clearing, 'USD', '1010-USD'],
    [GlPurpose.Clearing, 'EUR', '1010-EUR'],
    [GlPurpose.FeeExpense, 'XXX', '6100'],
    [GlPurpose.Payable, 'XXX', '2000'],
    [GlPurpose.HeldFunds, 'XXX', '1020'],
  ]);
  const cur = (await api('GET', 'transactioncurrencies?$select=transactioncurrencyid,isocurrencycode'))!.value;
  currencies = Object.fromEntries(cur.map((c) => [c.isocurrencycode!, c.transactioncurrencyid!]));
  flows = payoutFlows({
    dataverse: dv,
    reference: dataverseReferenceData(dv, { ttlMs: 0 }),
    paypal: {
      createPayout: async (body, key) => {
        paypalCalls.push('createPayout');
        if (duplicateAnswer) {
          const answer = duplicateAnswer;
          duplicateAnswer = undefined;
          throw payPalError(400, await answer(body), { method: 'POST', path: '/v1/payments/payouts' });
        }
        return real.createPayout(body, key);
      },
      getPayoutBatch: (id, q) => (paypalCalls.push('getPayoutBatch'), real.getPayoutBatch(id, q)),
      getPayoutItem: (id) => (paypalCalls.push('getPayoutItem'), real.getPayoutItem(id)),
      cancelPayoutItem: (id) => (paypalCalls.push('cancelPayoutItem'), real.cancelPayoutItem(id)),
    },
    store,
    now: () => clock,
  });
}, 60_000);

afterAll(async () => {
  await store?.close().catch(() => undefined);
  await dvEmu?.close();
  await ppEmu?.close();
});

beforeEach(async () => {
  // Bills left Open by an earlier test would be picked by the next build.
  const open = (await api(
    'GET',
    `ppc_vendorbills?$select=ppc_vendorbillid&$filter=statuscode eq ${VendorBillStatus.Open}`,
  ))!.value;
  for (const b of open)
    await api('PATCH', `ppc_vendorbills(${b.ppc_vendorbillid})`, {
      statecode: 1,
      statuscode: VendorBillStatus.Canceled,
    });
  paypalCalls.length = 0;
});

let eventNo = 0;
/** The RemoteExecutionContext of an update, as the solution's step posts it, and the job that runs its flow. */
async function deliver(entity: string, id: string, user: string, target: Row, postImage: Row = target): Promise<void> {
  const attrs = (r: Row) =>
    Object.entries(r).map(([key, value]) => ({
      key,
      value: typeof value === 'number' && (key === 'statuscode' || key === 'statecode') ? { Value: value } : value,
    }));
  const event = {
    MessageName: 'Update',
    PrimaryEntityName: entity,
    PrimaryEntityId: id,
    InitiatingUserId: user,
    UserId: user,
    InputParameters: [{ key: 'Target', value: { Attributes: attrs(target) } }],
    PostEntityImages: [{ key: 'PostImage', value: { Attributes: attrs(postImage) } }],
  };
  const action = actionFor(`Update:${entity}`, 'dataverse', event);
  if (action === 'not_supported') throw new Error(`no action for Update:${entity}`);
  const handler = flows.handlers[action];
  if (!handler) throw new Error(`no flow for ${action}`);
  eventNo += 1;
  const ctx: HandlerContext = {
    inboxId: String(eventNo),
    eventId: `dv-${eventNo}`,
    eventType: `Update:${entity}`,
    action,
    attempt: 1,
    event,
    store,
    log,
  };
  await handler(ctx);
}

const get = async (path: string) => (await api('GET', path)) as unknown as Row;
const list = async (path: string) => (await api('GET', path))!.value as Row[];
const email = (value: string) => ({ type: ReceiverType.Email, value });

async function vendor(set: 'accounts' | 'contacts', name: string, receiver?: { type: number; value: string }) {
  const body: Row =
    set === 'accounts'
      ? { name }
      : { firstname: name.split(' ')[0], lastname: name.split(' ').slice(1).join(' ') || name };
  if (receiver) Object.assign(body, { ppc_payoutreceivertype: receiver.type, ppc_payoutreceiver: receiver.value });
  await api('POST', set, body);
  const key = set === 'accounts' ? 'accountid' : 'contactid';
  const filter = set === 'accounts' ? `name eq '${name}'` : `lastname eq '${String(body.lastname)}'`;
  return String((await list(`${set}?$select=${key}&$filter=${filter}`))[0]![key]);
}

async function bill(b: {
  name: string;
  amount: number;
  currency: string;
  account?: string;
  contact?: string;
  due?: string;
}) {
  await api('POST', 'ppc_vendorbills', {
    ppc_name: b.name,
    ppc_amount: b.amount,
    ppc_duedate: b.due ?? '2026-03-01',
    ...(b.account ? { 'ppc_vendorid@odata.bind': `/accounts(${b.account})` } : {}),
    ...(b.contact ? { 'ppc_vendorcontactid@odata.bind': `/contacts(${b.contact})` } : {}),
    'transactioncurrencyid@odata.bind': `/transactioncurrencies(${currencies[b.currency]})`,
  });
  return String(
    (await list(`ppc_vendorbills?$select=ppc_vendorbillid&$filter=ppc_name eq '${b.name}'`))[0]!.ppc_vendorbillid,
  );
}

/** PayPal Finance creates a batch and presses "Build payout batch". */
async function built(name: string): Promise<string> {
  await api('POST', 'ppc_payoutbatches', { ppc_name: name, ppc_senderbatchid: `draft-${name}` });
  const id = String(
    (await list(`ppc_payoutbatches?$select=ppc_payoutbatchid&$filter=ppc_name eq '${name}'`))[0]!.ppc_payoutbatchid,
  );
  await api('PATCH', `ppc_payoutbatches(${id})`, { statuscode: PayoutBatchStatus.PendingApproval });
  await deliver('ppc_payoutbatch', id, USERS.financeuser, { statuscode: PayoutBatchStatus.PendingApproval });
  return id;
}

/** A Payout Approver sets Approved, with the acknowledged warning codes (or none). */
/**
 * A Payout Approver sets Approved with the acknowledged warning codes (or none). Dataverse splits that update into
 * two operations (the other columns, then the status), one event each; `order` says in which order they arrive.
 */
async function approve(
  batchId: string,
  acknowledged?: string,
  user = USERS.payoutapprover,
  order: 'ack-first' | 'status-first' = 'ack-first',
) {
  const ack = acknowledged ? { ppc_acknowledgedwarnings: acknowledged } : {};
  await api('PATCH', `ppc_payoutbatches(${batchId})`, { statuscode: PayoutBatchStatus.Approved, ...ack });
  const row = await get(`ppc_payoutbatches(${batchId})`);
  const postImage = { statuscode: PayoutBatchStatus.Approved, ppc_acknowledgedwarnings: row.ppc_acknowledgedwarnings };
  const ackEvent = () => deliver('ppc_payoutbatch', batchId, user, ack, postImage);
  const statusEvent = () =>
    deliver('ppc_payoutbatch', batchId, user, { statuscode: PayoutBatchStatus.Approved }, postImage);
  if (!acknowledged) return statusEvent();
  if (order === 'ack-first') {
    await ackEvent();
    return statusEvent();
  }
  const early = await statusEvent().then(
    () => undefined,
    (e: unknown) => e as AppError,
  );
  expect(early?.code).toBe('payout_acknowledgement_pending'); // retried by the job queue
  expect(early?.retryable).toBe(true);
  await ackEvent();
  return statusEvent();
}

const itemsOf = (batchId: string) =>
  list(
    `ppc_payoutitems?$select=ppc_payoutitemid,ppc_name,statuscode,ppc_paypalitemid,ppc_receiver,ppc_errormessage,_ppc_vendorbillid_value&$filter=_ppc_payoutbatchid_value eq ${batchId}`,
  );
const control = async (path: string, body: unknown = {}) => {
  const res = await fetch(`${ppEmu.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} → ${res.status}`);
};
const paypalBatchesOf = (batchId: string) =>
  Object.entries(ppEmu.state.senderBatchIds as unknown as Record<string, { batchId: string }>)
    .filter(([sender]) => sender.startsWith(batchId))
    .map(([, v]) => v.batchId);
const paypalItem = (id: string) => (ppEmu.state.payoutItems as unknown as Record<string, { status: string }>)[id]!;

describe('warnings acknowledged at approval', () => {
  it('an approval that does not acknowledge every current warning is refused; the one that does pays; who, what and when recorded', async () => {
    const acme = await vendor('accounts', 'Ack Supplies', email('ap@ack.example'));
    const none = await vendor('accounts', 'Ack Nobody');
    await bill({ name: 'ACK-1', amount: 10, currency: 'USD', account: acme });
    await bill({ name: 'ACK-2', amount: 20, currency: 'USD', account: acme });
    await bill({ name: 'ACK-3', amount: 30, currency: 'USD', account: none });
    const batchId = await built('ACK batch');
    const batch = await get(`ppc_payoutbatches(${batchId})`);
    expect(batch.statuscode).toBe(PayoutBatchStatus.PendingApproval);
    expect(
      String(batch.ppc_warnings)
        .split('\n')
        .map((l) => l.split(' ')[0]),
    ).toEqual(['DUPLICATE_RECEIVERS:1:2', 'EXCLUDED:1']);

    // no acknowledgement; then one of an older state of the batch (another count): refused, nothing sent
    await approve(batchId);
    let b = await get(`ppc_payoutbatches(${batchId})`);
    expect(b.statuscode).toBe(PayoutBatchStatus.PendingApproval);
    expect(b.ppc_failurereason).toBe(
      "approval refused: the approval does not acknowledge the batch's warnings: DUPLICATE_RECEIVERS:1:2, EXCLUDED:1",
    );
    await approve(batchId, 'DUPLICATE_RECEIVERS:1:2\nEXCLUDED:2');
    b = await get(`ppc_payoutbatches(${batchId})`);
    expect(b.ppc_failurereason).toBe(
      "approval refused: the approval does not acknowledge the batch's warnings: EXCLUDED:1",
    );
    expect(b.ppc_acknowledgedwarnings ?? null).toBeNull(); // a refused acknowledgement is not left for the next one
    // The attacker's version: someone else (an admin) writes the full acknowledgement on the row; the approver
    // approves without acknowledging: never taken as the approver's (the job waits for their own, then fails).
    await api('PATCH', `ppc_payoutbatches(${batchId})`, {
      ppc_acknowledgedwarnings: 'DUPLICATE_RECEIVERS:1:2\nEXCLUDED:1',
    });
    await deliver(
      'ppc_payoutbatch',
      batchId,
      USERS.admin,
      { ppc_acknowledgedwarnings: 'DUPLICATE_RECEIVERS:1:2\nEXCLUDED:1' },
      { statuscode: PayoutBatchStatus.PendingApproval },
    );
    await api('PATCH', `ppc_payoutbatches(${batchId})`, { statuscode: PayoutBatchStatus.Approved });
    const waiting = await deliver(
      'ppc_payoutbatch',
      batchId,
      USERS.payoutapprover,
      { statuscode: PayoutBatchStatus.Approved },
      { statuscode: PayoutBatchStatus.Approved, ppc_acknowledgedwarnings: 'DUPLICATE_RECEIVERS:1:2\nEXCLUDED:1' },
    ).then(
      () => undefined,
      (e: unknown) => e as AppError,
    );
    expect(waiting?.code).toBe('payout_acknowledgement_pending');
    expect(paypalCalls).toEqual([]);
    await api('PATCH', `ppc_payoutbatches(${batchId})`, { statuscode: PayoutBatchStatus.PendingApproval });

    // The approver's own acknowledgement, its event arriving after the status event's: waited for, then paid.
    clock = new Date('2026-03-02T09:05:00Z');
    await approve(batchId, 'DUPLICATE_RECEIVERS:1:2\nEXCLUDED:1', USERS.payoutapprover, 'status-first');
    b = await get(`ppc_payoutbatches(${batchId})`);
    expect(b.statuscode).toBe(PayoutBatchStatus.Processing);
    expect(paypalCalls.filter((c) => c === 'createPayout')).toHaveLength(1);
    const acks = await acknowledgementsOf(store, batchId);
    expect(acks.map((a) => [a.approver, a.accepted, a.acknowledged.length])).toEqual([
      [USERS.payoutapprover, false, 0],
      [USERS.payoutapprover, null, 2], // acknowledged (a stale count)
      [USERS.payoutapprover, false, 2],
      [USERS.admin, null, 2], // someone else's acknowledgement: recorded as theirs
      [USERS.payoutapprover, null, 2],
      [USERS.payoutapprover, true, 2],
    ]);
    expect(acks[5]!.required).toEqual(['DUPLICATE_RECEIVERS:1:2', 'EXCLUDED:1']);
    expect(acks[5]!.acknowledged).toEqual(['DUPLICATE_RECEIVERS:1:2', 'EXCLUDED:1']);
    expect(acks[5]!.at.toISOString()).toBe('2026-03-02T09:05:00.000Z');
  });

  it('an item changed after the build (an approver redirects a receiver) is refused: nothing goes to PayPal', async () => {
    const v = await vendor('accounts', 'Tamper Target', email('honest@vendor.example'));
    await bill({ name: 'TAMPER-1', amount: 100, currency: 'USD', account: v });
    const batchId = await built('TAMPER batch');
    const [item] = await itemsOf(batchId);
    await api('PATCH', `ppc_payoutitems(${String(item!.ppc_payoutitemid)})`, { ppc_receiver: 'attacker@evil.example' });
    await approve(batchId, '');
    const b = await get(`ppc_payoutbatches(${batchId})`);
    expect(b.statuscode).toBe(PayoutBatchStatus.PendingApproval);
    expect(b.ppc_failurereason).toMatch(/was changed after the batch was built/);
    expect(paypalCalls).toEqual([]);
  });
});

describe('Cancel unclaimed payout from D365', () => {
  it('refused for a user without Payout Approver or PayPal Finance (nothing moves); a Payout Approver cancels once', async () => {
    const v = await vendor('accounts', 'Unclaimed Vendor', email('new.person@vendor.example'));
    const billId = await bill({ name: 'UNCL-1', amount: 12.5, currency: 'USD', account: v });
    const batchId = await built('UNCL batch');
    await approve(batchId, '');
    const [item] = await itemsOf(batchId);
    const itemId = String(item!.ppc_payoutitemid);
    const paypalItemId = String(item!.ppc_paypalitemid);
    await control(`/_emulator/payout-items/${paypalItemId}/status`, { status: 'UNCLAIMED' });
    for (const pb of paypalBatchesOf(batchId)) await control(`/_emulator/payouts/${pb}/process`);
    await flows.tracking.syncBatch({ log, eventId: 'sync', eventType: 'sync' }, batchId);
    expect((await get(`ppc_payoutitems(${itemId})`)).statuscode).toBe(PayoutItemStatus.Unclaimed);
    paypalCalls.length = 0;

    // The attacker's versions: a System Administrator (can write any column) and a user with no role at all.
    for (const user of [USERS.admin, USERS.noroles]) {
      await api('PATCH', `ppc_payoutitems(${itemId})`, { ppc_cancelrequested: true });
      await deliver('ppc_payoutitem', itemId, user, { ppc_cancelrequested: true });
      const it = await get(`ppc_payoutitems(${itemId})`);
      expect(it.statuscode).toBe(PayoutItemStatus.Unclaimed);
      expect(it.ppc_cancelrequested).toBe(false);
      expect(it.ppc_errormessage).toMatch(
        /^Cancel refused .*only a user with the Payout Approver or PayPal Finance role/,
      );
    }
    expect(paypalCalls).toEqual([]);
    expect(paypalItem(paypalItemId).status).toBe('UNCLAIMED');
    // our own write that clears the flag fires the step too: it moves nothing
    await deliver('ppc_payoutitem', itemId, '5f0c7a6e-0000-4000-8000-000000000001', { ppc_cancelrequested: false });
    expect(paypalCalls).toEqual([]);

    await api('PATCH', `ppc_payoutitems(${itemId})`, { ppc_cancelrequested: true });
    await deliver('ppc_payoutitem', itemId, USERS.payoutapprover, { ppc_cancelrequested: true });
    const cancelled = await get(`ppc_payoutitems(${itemId})`);
    expect(cancelled.statuscode).toBe(PayoutItemStatus.Returned);
    expect(cancelled.ppc_cancelrequested).toBe(false);
    expect(paypalItem(paypalItemId).status).toBe('RETURNED');
    expect((await get(`ppc_vendorbills(${billId})`)).statuscode).toBe(VendorBillStatus.Open);
    // the same request again (Dataverse's retry, or pressed twice): PayPal's state decides, nothing is cancelled twice
    await deliver('ppc_payoutitem', itemId, USERS.payoutapprover, { ppc_cancelrequested: true });
    expect(paypalCalls.filter((c) => c === 'cancelPayoutItem')).toHaveLength(1);
    expect((await itemCommands(store, itemId)).map((c) => [c.requested_by, c.outcome.split(':')[0]])).toEqual([
      [USERS.admin, 'refused'],
      [USERS.noroles, 'refused'],
      [USERS.payoutapprover, 'cancelled'],
      [USERS.payoutapprover, 'not-unclaimed'],
    ]);
    // the next read of the part (webhook or poll) ends the batch: every item is terminal
    await flows.tracking.syncBatch({ log, eventId: 'sync', eventType: 'sync' }, batchId);
    expect((await get(`ppc_payoutbatches(${batchId})`)).statuscode).toBe(PayoutBatchStatus.Completed);
  });
});

describe('contacts as vendors', () => {
  it('the receiver is checked when it changes; a contact vendor is paid and its transaction names the contact', async () => {
    const person = await vendor('contacts', 'Cora Contractor', { type: ReceiverType.Phone, value: '12' });
    // an update of the contact that is not about its receiver (the real fixture's kind of event) checks nothing
    await deliver('contact', person, USERS.financeuser, { firstname: 'Cora' });
    expect((await get(`contacts(${person})`)).ppc_payoutreceivercheck ?? null).toBeNull();
    await deliver('contact', person, USERS.financeuser, { ppc_payoutreceiver: '12' });
    let c = await get(`contacts(${person})`);
    expect(c.ppc_payoutreceivervalid).toBe(false);
    expect(c.ppc_payoutreceivercheck).toMatch(/is not a phone number/);
    await api('PATCH', `contacts(${person})`, {
      ppc_payoutreceivertype: ReceiverType.Email,
      ppc_payoutreceiver: 'cora@contractor.example',
    });
    await deliver('contact', person, USERS.financeuser, { ppc_payoutreceiver: 'cora@contractor.example' });
    c = await get(`contacts(${person})`);
    expect(c.ppc_payoutreceivervalid).toBe(true);
    expect(c.ppc_payoutreceivercheck).toMatch(/^valid \(checked /);

    const billId = await bill({ name: 'CONTACT-1', amount: 75, currency: 'EUR', contact: person });
    const batchId = await built('CONTACT batch');
    const [item] = await itemsOf(batchId);
    expect(item).toMatchObject({ statuscode: PayoutItemStatus.New, ppc_receiver: 'cora@contractor.example' });
    await approve(batchId, '');
    for (const pb of paypalBatchesOf(batchId)) await control(`/_emulator/payouts/${pb}/process`);
    await flows.tracking.syncBatch({ log, eventId: 'sync', eventType: 'sync' }, batchId);
    expect((await get(`ppc_vendorbills(${billId})`)).statuscode).toBe(VendorBillStatus.Paid);
    const [txn] = await list(
      `ppc_paypaltransactions?$select=_ppc_contactid_value,_ppc_accountid_value&$filter=_ppc_payoutitemid_value eq ${String(item!.ppc_payoutitemid)}`,
    );
    expect(txn).toMatchObject({ _ppc_contactid_value: person, _ppc_accountid_value: null });
  });
});

describe('scheduled builds on a driven clock', () => {
  it('one batch per slot (also when two replicas tick), only the listed currencies, never a bill in two open batches', async () => {
    const v = await vendor('accounts', 'Scheduled Vendor', email('sched@vendor.example'));
    const usd1 = await bill({ name: 'SCHED-USD-1', amount: 10, currency: 'USD', account: v });
    const usd2 = await bill({ name: 'SCHED-USD-2', amount: 11, currency: 'USD', account: v });
    const eur = await bill({ name: 'SCHED-EUR-1', amount: 12, currency: 'EUR', account: v });
    await bill({ name: 'SCHED-LATER', amount: 13, currency: 'USD', account: v, due: '2026-04-30' });
    const scheduler = flows.scheduler({ kind: 'every', ms: 3_600_000 }, log, new Set(['USD']));
    clock = new Date('2026-03-02T10:00:00Z');
    // two replicas see the same slot at once: one builds it
    const [a, b] = await Promise.all([scheduler.tick(), scheduler.tick()]);
    const run = a ?? b;
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(run!.bills).toBe(2);
    const batch = await get(`ppc_payoutbatches(${run!.batchId})`);
    expect(batch.statuscode).toBe(PayoutBatchStatus.PendingApproval);
    const items = await itemsOf(run!.batchId);
    expect(items.map((i) => i._ppc_vendorbillid_value).sort()).toEqual([usd1, usd2].sort());
    for (const id of [usd1, usd2])
      expect((await get(`ppc_vendorbills(${id})`)).statuscode).toBe(VendorBillStatus.InPayout);
    expect((await get(`ppc_vendorbills(${eur})`)).statuscode).toBe(VendorBillStatus.Open);
    // later in the same slot: nothing; a manual build meanwhile picks none of the scheduled batch's bills
    clock = new Date('2026-03-02T10:59:00Z');
    expect(await scheduler.tick()).toBeUndefined();
    const manual = await built('SCHED manual');
    expect((await itemsOf(manual)).map((i) => i._ppc_vendorbillid_value)).toEqual([eur]);
    // the next slot with nothing due in USD: no batch left behind
    clock = new Date('2026-03-02T11:00:00Z');
    const empty = await scheduler.tick();
    expect(empty!.bills).toBe(0);
    expect((await get(`ppc_payoutbatches(${empty!.batchId})`)).statuscode).toBe(PayoutBatchStatus.Canceled);
    // the scheduled batch is approved by any Payout Approver (no person requested it)
    await approve(
      run!.batchId,
      (((await get(`ppc_payoutbatches(${run!.batchId})`)).ppc_warnings as string | null) ?? '')
        .split('\n')
        .map((l) => l.split(' ')[0])
        .join('\n'),
    );
    expect((await get(`ppc_payoutbatches(${run!.batchId})`)).statuscode).toBe(PayoutBatchStatus.Processing);
    expect(SCHEDULE_REQUESTER).not.toBe(USERS.payoutapprover);
  });
});

describe('one build at a time', () => {
  it('a build while another holds the build lease waits (retryable), picks nothing meanwhile, and runs after', async () => {
    const v = await vendor('accounts', 'Lease Vendor', email('lease@vendor.example'));
    const billId = await bill({ name: 'LEASE-1', amount: 9, currency: 'USD', account: v });
    expect(await takeLease(store, 'payout-build', 'another-replica', 60_000)).toBe(true);
    const err = await built('LEASE batch').then(
      () => undefined,
      (e: unknown) => e as AppError,
    );
    expect(err).toBeInstanceOf(AppError);
    expect(err!.code).toBe('payout_build_busy');
    expect(err!.retryable).toBe(true);
    expect((await get(`ppc_vendorbills(${billId})`)).statuscode).toBe(VendorBillStatus.Open);
    await releaseLease(store, 'payout-build', 'another-replica');
    const batchId = String(
      (await list(`ppc_payoutbatches?$select=ppc_payoutbatchid&$filter=ppc_name eq 'LEASE batch'`))[0]!
        .ppc_payoutbatchid,
    );
    await deliver('ppc_payoutbatch', batchId, USERS.financeuser, { statuscode: PayoutBatchStatus.PendingApproval });
    expect((await itemsOf(batchId)).map((i) => i._ppc_vendorbillid_value)).toEqual([billId]);
  });
});

describe("PayPal's duplicate sender_batch_id answer", () => {
  it('the original payout it links to is adopted when it is this sender_batch_id; the batch ends; one payout at PayPal', async () => {
    const v = await vendor('accounts', 'Dup Vendor', email('dup@vendor.example'));
    const billId = await bill({ name: 'DUP-1', amount: 12.5, currency: 'USD', account: v });
    const batchId = await built('DUP batch');
    const [item] = await itemsOf(batchId);
    // An earlier submission of this very batch reached PayPal and its answer was lost.
    const first = await paypal.createPayout(
      {
        sender_batch_header: { sender_batch_id: batchId },
        items: [
          {
            recipient_type: 'EMAIL',
            amount: { currency: 'USD', value: '12.50' },
            receiver: 'dup@vendor.example',
            sender_item_id: String(item!.ppc_payoutitemid),
          },
        ],
      },
      'lost-request-id',
    );
    const firstId = String((first.batch_header as { payout_batch_id: string }).payout_batch_id);
    await approve(batchId, '');
    expect((await get(`ppc_payoutbatches(${batchId})`)).ppc_failurereason ?? null).toBeNull();
    await control(`/_emulator/payouts/${firstId}/process`);
    await flows.pollOnce(log);
    await flows.tracking.syncBatch({ log, eventId: 'sync', eventType: 'sync' }, batchId);
    expect((await get(`ppc_vendorbills(${billId})`)).statuscode).toBe(VendorBillStatus.Paid);
    expect((await get(`ppc_payoutbatches(${batchId})`)).statuscode).toBe(PayoutBatchStatus.Completed);
    expect(Object.keys(ppEmu.state.senderBatchIds as object).filter((k) => k.startsWith(batchId))).toHaveLength(1);
  });

  it("a link to another sender's payout is not adopted: already submitted, nothing sent again, the reason shown", async () => {
    const v = await vendor('accounts', 'Dup Vendor 2', email('dup2@vendor.example'));
    await bill({ name: 'DUP-2', amount: 5, currency: 'USD', account: v });
    const batchId = await built('DUP batch 2');
    const other = await paypal.createPayout(
      {
        sender_batch_header: { sender_batch_id: `someone-else-${batchId}` },
        items: [{ recipient_type: 'EMAIL', amount: { currency: 'USD', value: '5.00' }, receiver: 'x@other.example' }],
      },
      'other-request',
    );
    const otherId = String((other.batch_header as { payout_batch_id: string }).payout_batch_id);
    duplicateAnswer = async () => ({
      name: 'USER_BUSINESS_ERROR',
      message: 'User business error.',
      details: [
        { field: 'SENDER_BATCH_ID', location: 'body', issue: 'Batch with given sender_batch_id already exists' },
      ],
      links: [{ href: `${ppEmu.url}/v1/payments/payouts/${otherId}`, rel: 'self', method: 'GET' }],
    });
    await approve(batchId, '');
    const b = await get(`ppc_payoutbatches(${batchId})`);
    expect(b.statuscode).toBe(PayoutBatchStatus.Processing);
    expect(b.ppc_failurereason).toMatch(/already submitted/);
    expect(paypalCalls.filter((c) => c === 'createPayout')).toHaveLength(1);
  });
});
