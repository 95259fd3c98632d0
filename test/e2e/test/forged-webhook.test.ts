// A forged webhook under a genuine signature, through the whole local stack. PayPal signs crc32(body), not the
// body: an attacker who saw one genuine delivery can send any body with the same CRC32 under its headers, and
// the signature verifies. The proxy must book only what PayPal's API says: nothing of the forged body reaches
// Dataverse, and the attempt is a security event (log line without payload, counter, Payment Alert).
//
// The genuine deliveries are caught before they reach the proxy (the webhook points at a recorder for the
// purchases), so the forged bodies are the first the proxy sees of those transmission ids, as when an attacker
// on the path forwards its forgery instead.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import { AlertType } from '@ppc/solution';
import { forgeWithCrcOf, waitFor } from '@ppc/test-support';
import { buyerPays, startLocalStack, type LocalStack } from '@ppc/stack';

let stack: LocalStack;
let token: string;
let recorder: Server;
const recorded: { body: Buffer; headers: IncomingHttpHeaders }[] = [];
const logLines: string[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    // Every proxy line, to show none carries the forged body.
    proxyEnv: { LOG_LEVEL: 'info' },
    proxyLogDestination: { write: (line: string) => void logLines.push(line) },
  });
  token = await stack.paypalToken();
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
  const res = await fetch(`${stack.paypal.url}/v1/notifications/webhooks/${stack.webhookId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify([{ op: 'replace', path: '/url', value: url }]),
  });
  expect(res.status).toBe(200);
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The genuine PAYMENT.CAPTURE.COMPLETED delivery of a capture, as PayPal sent it. */
const genuineDelivery = (captureId: string) =>
  waitFor(
    async () =>
      recorded.find((d) => {
        const e = JSON.parse(d.body.toString('utf8')) as Json;
        return e.event_type === 'PAYMENT.CAPTURE.COMPLETED' && e.resource?.id === captureId;
      }),
    30_000,
    `the delivery of capture ${captureId}`,
  );

/** PayPal's signed headers, unchanged. */
const signedHeaders = (h: IncomingHttpHeaders) =>
  Object.fromEntries(
    Object.entries(h).filter(([k]) => k.startsWith('paypal-') || k === 'content-type' || k === 'correlation-id'),
  ) as Record<string, string>;

/** A new body: new event id, 4321.00 paid, padded so its CRC32 is the genuine body's. */
function forge(genuine: Buffer, change: (e: Json) => void): { body: Buffer; event: Json } {
  const event = JSON.parse(genuine.toString('utf8')) as Json;
  event.id = `WH-FORGED-${event.id}`;
  event.summary = 'Payment completed @@CRC@@';
  const usd = (value: string) => ({ currency_code: 'USD', value });
  event.resource.amount = usd('4321.00');
  event.resource.seller_receivable_breakdown = {
    gross_amount: usd('4321.00'),
    paypal_fee: usd('1.00'),
    net_amount: usd('4320.00'),
  };
  change(event);
  const body = forgeWithCrcOf(genuine, JSON.stringify(event), '@@CRC@@');
  return { body, event: JSON.parse(body.toString('utf8')) as Json };
}

describe('a CRC-preserving forgery sent with a genuine delivery’s headers', () => {
  it('is accepted by the signature check, then refused by PayPal’s own answer: nothing booked, security event recorded', async () => {
    await pointWebhookAt(`http://127.0.0.1:${(recorder.address() as AddressInfo).port}/hook`);
    const pay = (payerId: string) =>
      buyerPays(stack.paypal.url, token, {
        currency: 'USD',
        items: [{ sku: 'SKU-MUG', name: 'Coffee mug', quantity: 1, unitValue: '30.00' }],
        payer: {
          payer_id: payerId,
          email: `${payerId.toLowerCase()}@example.com`,
          given_name: 'Eve',
          surname: 'Forger',
        },
      });
    const first = await pay('FRGDBYERAAAA2');
    const second = await pay('FRGDBYERAAAA3');
    const genuineA = await genuineDelivery(first.captureId);
    const genuineB = await genuineDelivery(second.captureId);
    await pointWebhookAt(`${stack.proxyUrl}/webhooks/paypal`);

    // A: a capture id PayPal never issued. B: the genuine capture id with another amount.
    const forgedA = forge(genuineA.body, (e) => (e.resource.id = 'FORGEDCAPTURE0001'));
    const forgedB = forge(genuineB.body, () => undefined);
    const count = async (set: string) => (await stack.admin.list(set, '$select=createdon')).length;
    const before = { salesorders: await count('salesorders'), invoices: await count('invoices') };
    for (const [forged, genuine] of [
      [forgedA, genuineA],
      [forgedB, genuineB],
    ] as const) {
      expect(crc32(forged.body)).toBe(crc32(genuine.body));
      expect(forged.body.equals(genuine.body)).toBe(false);
      const res = await fetch(`${stack.proxyUrl}/webhooks/paypal`, {
        method: 'POST',
        headers: signedHeaders(genuine.headers),
        body: forged.body,
      });
      // The signature holds: it covers only the CRC32.
      expect(res.status).toBe(200);
    }

    // The security event: one Payment Alert per forged event, of type Forged Notification.
    const alertOf = (eventId: string) =>
      waitFor(
        async () =>
          (
            await stack.admin.list<Json>(
              'ppc_fraudalerts',
              `$filter=ppc_alertkey eq 'forgery:${eventId}'&$select=ppc_alerttype,ppc_reasons,ppc_name`,
            )
          )[0],
        30_000,
        `the alert for ${eventId}`,
        150,
      );
    const alertA = await alertOf(forgedA.event.id);
    const alertB = await alertOf(forgedB.event.id);
    expect(alertA).toMatchObject({
      ppc_alerttype: AlertType.ForgedNotification,
      ppc_reasons: JSON.stringify(['capture_unknown_to_paypal']),
    });
    expect(alertB).toMatchObject({
      ppc_alerttype: AlertType.ForgedNotification,
      ppc_reasons: JSON.stringify(['body_disagrees:amount']),
    });

    // Nothing booked: no transaction, ledger line, customer, order or invoice from either body.
    for (const id of ['FORGEDCAPTURE0001', first.captureId, second.captureId]) {
      expect(await stack.admin.list('ppc_paypaltransactions', `$filter=ppc_paypalid eq '${id}'`)).toEqual([]);
      expect(await stack.admin.list('ppc_ledgerentries', `$filter=ppc_sourceid eq '${id}'`)).toEqual([]);
    }
    for (const payer of ['FRGDBYERAAAA2', 'FRGDBYERAAAA3'])
      expect(await stack.admin.list('contacts', `$filter=ppc_paypalpayerid eq '${payer}'`)).toEqual([]);
    expect({ salesorders: await count('salesorders'), invoices: await count('invoices') }).toEqual(before);

    // Dead-lettered (never retried), counted, logged without the body.
    const { rows } = await stack.proxy.store.query<{ event_id: string; status: string; error_code: string }>(
      `SELECT i.event_id, i.status, d.error_code FROM inbox_events i JOIN dead_letters d ON d.inbox_id = i.id
        WHERE i.event_id = ANY($1) ORDER BY i.event_id`,
      [[forgedA.event.id, forgedB.event.id]],
    );
    expect(rows).toEqual(
      [forgedA.event.id, forgedB.event.id]
        .sort()
        .map((event_id) => ({ event_id, status: 'dead', error_code: 'webhook_forgery_suspected' })),
    );
    const metrics = await (await fetch(`${stack.proxyUrl}/metrics`)).text();
    expect(metrics).toContain('ppc_webhook_forgery_suspected_total{event_type="PAYMENT.CAPTURE.COMPLETED"} 2');
    const security = logLines.filter((l) => l.includes('webhook forgery suspected'));
    expect(security).toHaveLength(2);
    // Jobs run concurrently: either order.
    expect(security.map((l) => JSON.parse(l) as Json)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 50, security: true, resourceId: 'FORGEDCAPTURE0001', fields: [] }),
        expect.objectContaining({ level: 50, security: true, resourceId: second.captureId, fields: ['amount'] }),
      ]),
    );
    expect(logLines.join('\n')).not.toContain('4321');
  }, 120_000);
});
