// Webhook management and signature verification, disputes, payouts and Transaction Search over HTTP.
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@ppc/test-support';
import { AppError } from '../../../src/errors.ts';
import { payPalErrorDetails, type PayPalClient } from '../../../src/adapters/paypal/index.ts';
import type { PayPalWebhookEvent } from '../../../src/adapters/paypal/types.ts';
import { answered, buyAndCapture, clientFor, control, startEmulator, type Emulator } from './emulator.ts';

let emu: Emulator;
let client: PayPalClient;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'proxy-paypal-resources' });
  ({ client } = clientFor(emu));
});
afterAll(async () => {
  await emu.close();
});

/** A local HTTP server that records what it receives and answers with `answer`. */
async function recorder(
  answer: (path: string) => { status: number; body: unknown } = () => ({ status: 200, body: {} }),
) {
  const received: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const a = answer(req.url!);
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhooks', () => {
  it('creates, lists and deletes a webhook; a duplicate URL is a non-retryable PayPal error', async () => {
    const url = 'https://proxy.example.com/webhooks/paypal/crud';
    const created = await client.createWebhook(url, ['PAYMENT.CAPTURE.COMPLETED', 'PAYMENT.CAPTURE.REFUNDED']);
    expect(created.id).toMatch(/\w+/);
    expect(created.event_types.map((e) => e.name)).toEqual(['PAYMENT.CAPTURE.COMPLETED', 'PAYMENT.CAPTURE.REFUNDED']);
    expect((await client.listWebhooks()).map((w) => w.url)).toContain(url);

    const dup = await client.createWebhook(url, ['PAYMENT.CAPTURE.COMPLETED']).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(AppError);
    expect((dup as AppError).code).toBe('paypal_WEBHOOK_URL_ALREADY_EXISTS');
    expect((dup as AppError).retryable).toBe(false);

    await client.deleteWebhook(created.id!);
    expect((await client.listWebhooks()).map((w) => w.url)).not.toContain(url);
    const again = (await client.deleteWebhook(created.id!).catch((e: unknown) => e)) as AppError;
    expect(again.code).toBe('paypal_INVALID_RESOURCE_ID');
    expect(again.httpStatus).toBe(404);
    expect(answered(emu, 'POST', '/v1/notifications/webhooks').map((r) => r.status)).toEqual([201, 400]);
  });

  it('verifies a delivered event by postback: SUCCESS for the real bytes, FAILURE when tampered', async () => {
    const receiver = await recorder();
    try {
      const hook = await client.createWebhook(`${receiver.url}/hook`, ['PAYMENT.CAPTURE.COMPLETED']);
      await buyAndCapture(emu, client, { currency_code: 'USD', value: '9.99' }, 'INV-HOOK-1');
      await waitFor(() => receiver.received.length > 0, 5000, 'webhook delivery');
      const delivery = receiver.received[0]!;
      const h = (name: string) => String(delivery.headers[name]);
      const request = {
        auth_algo: h('paypal-auth-algo'),
        cert_url: h('paypal-cert-url'),
        transmission_id: h('paypal-transmission-id'),
        transmission_sig: h('paypal-transmission-sig'),
        transmission_time: h('paypal-transmission-time'),
        webhook_id: hook.id!,
        webhook_event: JSON.parse(delivery.body) as PayPalWebhookEvent,
      };
      expect(await client.verifyWebhookSignature(request)).toEqual({ verification_status: 'SUCCESS' });
      const tampered = { ...request, webhook_event: { ...request.webhook_event, summary: 'tampered' } };
      expect((await client.verifyWebhookSignature(tampered)).verification_status).toBe('FAILURE');
      await client.deleteWebhook(hook.id!);
    } finally {
      await receiver.close();
    }
  });
});

describe('disputes', () => {
  it('reads a dispute opened by the buyer (control API), typed', async () => {
    const { capture } = await buyAndCapture(emu, client, { currency_code: 'USD', value: '40.00' }, 'INV-DISP-1');
    const opened = (await control(emu, 'POST', '/disputes', {
      capture_id: capture.id,
      reason: 'UNAUTHORISED',
      amount: '40.00',
    })) as { dispute_id: string };
    const dispute = await client.getDispute(opened.dispute_id);
    expect(dispute.reason).toBe('UNAUTHORISED');
    expect(dispute.status).toBe('WAITING_FOR_SELLER_RESPONSE');
    expect(dispute.dispute_amount).toEqual({ currency_code: 'USD', value: '40.00' });
    expect(dispute.disputed_transactions?.[0]?.seller_transaction_id).toBe(capture.id);
    const found = await client.listDisputes({ disputed_transaction_id: capture.id! });
    expect(found.items?.map((d) => d.dispute_id)).toEqual([opened.dispute_id]);
  });
});

describe('payouts', () => {
  it('creates a payout batch and reads it back, typed', async () => {
    const batch = await client.createPayout({
      sender_batch_header: { sender_batch_id: 'BATCH-ADAPTER-1', email_subject: 'You have a payout' },
      items: [
        {
          recipient_type: 'EMAIL',
          receiver: 'vendor@example.com',
          amount: { currency: 'USD', value: '15.00' },
          sender_item_id: 'BILL-1',
        },
      ],
    });
    const id = batch.batch_header?.payout_batch_id;
    expect(id).toMatch(/\w+/);
    const read = await client.getPayoutBatch(id!);
    expect(read.batch_header?.sender_batch_header?.sender_batch_id).toBe('BATCH-ADAPTER-1');
    expect(read.items?.[0]?.payout_item?.amount).toEqual({ currency: 'USD', value: '15.00' });
    const item = await client.getPayoutItem(read.items![0]!.payout_item_id);
    expect(item.payout_item?.sender_item_id).toBe('BILL-1');
    expect(item.payout_batch_id).toBe(id);
  });
});

describe('headers on the wire', () => {
  it("every POST carries a PayPal-Request-Id (the caller's for money, generated otherwise) and Prefer: return=representation", async () => {
    const paypal = await recorder((path) =>
      path.startsWith('/v1/oauth2/token')
        ? { status: 200, body: { access_token: 'A21', expires_in: 32400 } }
        : { status: 201, body: { id: 'X' } },
    );
    try {
      const c = clientFor({ url: paypal.url } as Emulator).client;
      await c.refundCapture('CAP1', { amount: { currency_code: 'USD', value: '1.00' } }, 'credit-memo-42');
      await c.createWebhook('https://a.example/hook', ['*']);
      await c.createWebhook('https://b.example/hook', ['*']);
      await c.createPayout({
        sender_batch_header: { sender_batch_id: 'BATCH-7' },
        items: [{ receiver: 'v@example.com', amount: { currency: 'USD', value: '1.00' } }],
      });
      const posts = paypal.received.filter((r) => r.method === 'POST' && !r.url.startsWith('/v1/oauth2'));
      expect(posts.map((r) => r.headers['paypal-request-id'])).toEqual([
        'credit-memo-42',
        expect.stringMatching(/^[0-9a-f-]{36}$/),
        expect.stringMatching(/^[0-9a-f-]{36}$/),
        'BATCH-7',
      ]);
      expect(posts[1]!.headers['paypal-request-id']).not.toBe(posts[2]!.headers['paypal-request-id']);
      expect(posts.every((r) => r.headers.prefer === 'return=representation')).toBe(true);
      expect(JSON.parse(posts[0]!.body)).toEqual({ amount: { currency_code: 'USD', value: '1.00' } });
      expect(paypal.received.filter((r) => r.url.startsWith('/v1/oauth2/token'))).toHaveLength(1);
    } finally {
      await paypal.close();
    }
  });
});

describe('idempotent retries', () => {
  it('retries 409 PREVIOUS_REQUEST_IN_PROGRESS with the same PayPal-Request-Id', async () => {
    let refundCalls = 0;
    const paypal = await recorder((path) => {
      if (path.startsWith('/v1/oauth2/token')) return { status: 200, body: { access_token: 'A21', expires_in: 32400 } };
      refundCalls++;
      return refundCalls === 1
        ? {
            status: 409,
            body: {
              name: 'RESOURCE_CONFLICT',
              message: 'conflict',
              debug_id: 'd1',
              details: [{ issue: 'PREVIOUS_REQUEST_IN_PROGRESS' }],
            },
          }
        : { status: 201, body: { id: 'REFUND-1', status: 'COMPLETED' } };
    });
    try {
      const { client: c, sleeps } = clientFor({ url: paypal.url } as Emulator);
      const refund = await c.refundCapture('CAP1', {}, 'credit-memo-409');
      expect(refund.id).toBe('REFUND-1');
      expect(sleeps).toHaveLength(1);
      const ids = paypal.received.filter((r) => r.url.includes('/refund')).map((r) => r.headers['paypal-request-id']);
      expect(ids).toEqual(['credit-memo-409', 'credit-memo-409']);
    } finally {
      await paypal.close();
    }
  });

  it('a 409 for another reason is not retried', async () => {
    const paypal = await recorder((path) =>
      path.startsWith('/v1/oauth2/token')
        ? { status: 200, body: { access_token: 'A21', expires_in: 32400 } }
        : {
            status: 409,
            body: { name: 'RESOURCE_CONFLICT', message: 'conflict', details: [{ issue: 'DUPLICATE_REQUEST_ID' }] },
          },
    );
    try {
      const { client: c, sleeps } = clientFor({ url: paypal.url } as Emulator);
      const err = (await c.refundCapture('CAP1', {}, 'credit-memo-409b').catch((e: unknown) => e)) as AppError;
      expect(err.code).toBe('paypal_RESOURCE_CONFLICT');
      expect(err.retryable).toBe(false);
      expect(sleeps).toHaveLength(0);
    } finally {
      await paypal.close();
    }
  });
});

describe('transaction search', () => {
  it('calls /v1/reporting/transactions on the host (not the spec server path) with the query, typed answer', async () => {
    const paypal = await recorder((path) =>
      path.startsWith('/v1/oauth2/token')
        ? { status: 200, body: { access_token: 'A21', token_type: 'Bearer', expires_in: 32400 } }
        : {
            status: 200,
            body: {
              transaction_details: [
                { transaction_info: { transaction_id: '5TY05013RG002845M', transaction_event_code: 'T0006' } },
              ],
              total_items: 1,
              total_pages: 1,
              page: 1,
            },
          },
    );
    try {
      const search = await clientFor({ url: paypal.url } as Emulator).client.searchTransactions({
        start_date: '2026-11-01T00:00:00Z',
        end_date: '2026-11-27T23:59:59Z',
        fields: 'all',
        page_size: 500,
      });
      expect(search.transaction_details?.[0]?.transaction_info?.transaction_event_code).toBe('T0006');
      const call = paypal.received.find((r) => r.url.startsWith('/v1/reporting'))!;
      const url = new URL(call.url, paypal.url);
      expect(url.pathname).toBe('/v1/reporting/transactions');
      expect(Object.fromEntries(url.searchParams)).toEqual({
        start_date: '2026-11-01T00:00:00Z',
        end_date: '2026-11-27T23:59:59Z',
        fields: 'all',
        page_size: '500',
      });
      expect(call.headers.authorization).toBe('Bearer A21');
    } finally {
      await paypal.close();
    }
  });

  it('a token endpoint failing with 503 is retried; invalid credentials are paypal_invalid_client', async () => {
    const { client: bad } = clientFor(emu, { clientSecret: 'wrong' });
    const err = (await bad.getOrder('X').catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('paypal_invalid_client');
    expect(payPalErrorDetails(err)?.name).toBe('invalid_client');

    const fresh = await startEmulator({ seed: 'proxy-paypal-token-503' });
    try {
      await control(fresh, 'POST', '/faults', { route: 'POST /v1/oauth2/token', status: 503, times: 1 });
      const { client: c, sleeps } = clientFor(fresh);
      expect(await c.listWebhooks()).toEqual([]);
      expect(sleeps).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });
});
