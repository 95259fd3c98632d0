// The attacker's version of a payout webhook: a CRC-preserving forgery under a genuine delivery's signature
// (PayPal signs crc32(body), see forged-webhook.test.ts). The proxy books only what PayPal's API says: a body that
// claims SUCCESS for an item PayPal failed pays no bill; a payout item id PayPal never issued is a security event
// (Payment Alert, type Forged Notification) and books nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import { AlertType, PayoutItemStatus } from '@ppc/solution';
import { forgeWithCrcOf, waitFor } from '@ppc/test-support';
import { startLocalStack, type LocalStack } from '@ppc/stack';
import {
  approveBatch,
  actors,
  bill,
  buildBatch,
  control,
  currencyIds,
  itemsOf,
  paypalBatchesOf,
  PayoutBatchStatus,
  ReceiverType,
  vendor,
  VendorBillStatus,
  waitForBatch,
} from './payouts-support.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let stack: LocalStack;
let recorder: Server;
const recorded: { body: Buffer; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ proxyEnv: { PAYOUT_POLL_SECONDS: '0' } });
  recorder = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      recorded.push({ body: Buffer.concat(chunks), headers: req.headers });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
}, 120_000);
afterAll(async () => {
  await new Promise((resolve) => recorder?.close(resolve));
  await stack?.close();
}, 60_000);

async function pointWebhookAt(url: string) {
  const token = await stack.paypalToken();
  const res = await fetch(`${stack.paypal.url}/v1/notifications/webhooks/${stack.webhookId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify([{ op: 'replace', path: '/url', value: url }]),
  });
  expect(res.status).toBe(200);
}

const signedHeaders = (h: IncomingHttpHeaders) =>
  Object.fromEntries(
    Object.entries(h).filter(([k]) => k.startsWith('paypal-') || k === 'content-type' || k === 'correlation-id'),
  ) as Record<string, string>;

function forge(genuine: Buffer, change: (e: Json) => void): Buffer {
  const event = JSON.parse(genuine.toString('utf8')) as Json;
  event.id = `WH-FORGED-${event.id}`;
  event.summary = 'A payout item has succeeded @@CRC@@';
  event.event_type = 'PAYMENT.PAYOUTS-ITEM.SUCCEEDED';
  event.resource.transaction_status = 'SUCCESS';
  delete event.resource.errors;
  change(event);
  return forgeWithCrcOf(genuine, JSON.stringify(event), '@@CRC@@');
}

describe('forged payout webhooks', () => {
  it('a forged SUCCESS for a FAILED item pays nothing; an item id PayPal never issued raises a Payment Alert', async () => {
    await pointWebhookAt(`http://127.0.0.1:${(recorder.address() as AddressInfo).port}/hook`);
    const who = actors(stack);
    const currencies = await currencyIds(stack);
    const v = await vendor(stack, 'Forged Vendor', { type: ReceiverType.Email, value: 'forged@vendor.example' });
    const billId = await bill(stack, currencies, { name: 'AP-F1', vendorId: v, amount: 75, currency: 'USD' });
    await bill(stack, currencies, { name: 'AP-F2', vendorId: v, amount: 5, currency: 'USD' });
    const batchId = await buildBatch(who.finance, 'Forged run');
    await waitFor(async () =>
      (await stack.admin.get<Json>(`ppc_payoutbatches(${batchId})`))._ppc_submittedby_value ? true : undefined,
    );
    await approveBatch(who.approver, stack, batchId);
    const pending = await waitFor(async () => {
      const list = (await itemsOf(stack, batchId)).filter((i) => i.statuscode === PayoutItemStatus.Pending);
      return list.length === 2 ? list : undefined;
    });
    const item = pending.find((i) => i._ppc_vendorbillid_value === billId)!;
    const other = pending.find((i) => i._ppc_vendorbillid_value !== billId)!;
    const paypalItemId = String(item.ppc_paypalitemid);
    await control(stack, `/_emulator/payout-items/${paypalItemId}/status`, { status: 'FAILED' });
    await control(stack, `/_emulator/payout-items/${String(other.ppc_paypalitemid)}/status`, { status: 'BLOCKED' });
    const delivery = (type: string, id: string) =>
      waitFor(
        async () =>
          recorded.find((d) => {
            const e = JSON.parse(d.body.toString('utf8')) as Json;
            return e.event_type === type && e.resource?.payout_item_id === id;
          }),
        30_000,
        `the genuine ${type} delivery`,
      );
    const genuine = await delivery('PAYMENT.PAYOUTS-ITEM.FAILED', paypalItemId);
    // each forgery needs its own genuine delivery: a transmission id is accepted with one body only
    const genuine2 = await delivery('PAYMENT.PAYOUTS-ITEM.BLOCKED', String(other.ppc_paypalitemid));
    await pointWebhookAt(`${stack.proxyUrl}/webhooks/paypal`);

    const claimsSuccess = forge(genuine.body, () => undefined);
    const unknownItem = forge(genuine2.body, (e) => (e.resource.payout_item_id = 'FORGEDITEM0001'));
    for (const [body, real] of [
      [claimsSuccess, genuine],
      [unknownItem, genuine2],
    ] as const) {
      expect(crc32(body)).toBe(crc32(real.body));
      const res = await fetch(`${stack.proxyUrl}/webhooks/paypal`, {
        method: 'POST',
        headers: signedHeaders(real.headers),
        body,
      });
      expect(res.status).toBe(200); // the signature covers only the CRC32
    }

    // PayPal's answer is booked, not the body: the item Failed, the bill Open, no ledger line.
    await waitFor(
      async () => ((await itemsOf(stack, batchId))[0]!.statuscode === PayoutItemStatus.Failed ? true : undefined),
      30_000,
      'the item booked as PayPal has it',
    );
    expect((await stack.admin.get<Json>(`ppc_vendorbills(${billId})`)).statuscode).toBe(VendorBillStatus.Open);
    const lines = await stack.admin.list('ppc_ledgerentries', `$filter=_ppc_payoutbatchid_value eq ${batchId}`);
    expect(lines).toEqual([]);
    const forgedId = (JSON.parse(unknownItem.toString('utf8')) as Json).id as string;
    const alert = await waitFor(
      async () =>
        (
          await stack.admin.list<Json>(
            'ppc_fraudalerts',
            `$filter=ppc_alertkey eq 'forgery:${forgedId}'&$select=ppc_alerttype,ppc_reasons`,
          )
        )[0],
      30_000,
      'the Payment Alert',
    );
    expect(alert.ppc_alerttype).toBe(AlertType.ForgedNotification);
    expect(JSON.parse(String(alert.ppc_reasons))).toEqual(['payout_item_unknown_to_paypal']);
    // PayPal ends its batch; its genuine batch event reaches the proxy now and the batch is Completed, one payout.
    for (const pb of paypalBatchesOf(stack, batchId)) await control(stack, `/_emulator/payouts/${pb}/process`);
    await waitForBatch(stack, batchId, PayoutBatchStatus.Completed, 30_000);
    expect(paypalBatchesOf(stack, batchId)).toHaveLength(1);
    expect((await stack.admin.get<Json>(`ppc_vendorbills(${billId})`)).statuscode).toBe(VendorBillStatus.Open);
  });
});
