/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON in tests is untyped on purpose; its shape is checked by assertions and by the OpenAPI contract validator */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertContract } from './helpers/contract.ts';
import { captureOrder, startEmulator, startReceiver, waitFor, type Api } from './helpers/client.ts';
import { verifyDelivery } from './helpers/verify.ts';
import type { PayPalEmulator } from '../src/index.ts';

/** PayPal's real signed deliveries: one copy in the repository, with the proxy's tests that verify them. */
const PAYPAL_WEBHOOKS = join(import.meta.dirname, '../../../../proxy-service/test/fixtures/paypal-webhooks');

const PAYMENT_EVENTS = [{ name: 'PAYMENT.CAPTURE.COMPLETED' }, { name: 'PAYMENT.CAPTURE.REFUNDED' }];
let emu: PayPalEmulator;
let api: Api;
let control: Api;
const toClose: Array<() => Promise<void>> = [];

beforeAll(async () => {
  ({ emu, api, control } = await startEmulator({ seed: 'webhooks', webhookRetryScheduleMs: [20, 40, 80] }));
});
afterAll(async () => {
  for (const c of toClose) await c();
  await emu.close();
  assertContract(emu.responses);
});

async function receiverWithWebhook(eventTypes: string[], respond?: Parameters<typeof startReceiver>[0]) {
  const receiver = await startReceiver(respond);
  toClose.push(receiver.close);
  const created = await api('POST', '/v1/notifications/webhooks', {
    url: receiver.url,
    event_types: eventTypes.map((name) => ({ name })),
  });
  expect(created.status).toBe(201);
  return { receiver, webhookId: created.body.id as string };
}

describe('the offline verification used in these tests', () => {
  it("verifies PayPal's real saved deliveries (fixtures), so it is the real algorithm", () => {
    const dir = join(PAYPAL_WEBHOOKS, 'signed');
    const files = readdirSync(dir).filter((f) => f.endsWith('.delivery.json'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const d = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      const raw = readFileSync(join(dir, d.event_file));
      const certChainPem = readFileSync(join(dir, d.cert_file), 'utf8');
      // The saved certificates have expired; verify at the transmission time.
      const res = verifyDelivery({
        headers: d.headers,
        raw,
        webhookId: d.webhook_id,
        certChainPem,
        at: new Date(d.headers['paypal-transmission-time']),
      });
      expect({ f, ...res }).toEqual({ f, ok: true });
      const tampered = verifyDelivery({
        headers: d.headers,
        raw: Buffer.concat([raw, Buffer.from(' ')]),
        webhookId: d.webhook_id,
        certChainPem,
        at: new Date(d.headers['paypal-transmission-time']),
      });
      expect(tampered.ok).toBe(false);
    }
  });
});

describe('signed delivery', () => {
  it('delivers a signed PAYMENT.CAPTURE.COMPLETED that verifies offline (chain to the emulator CA) and by postback', async () => {
    const { receiver, webhookId } = await receiverWithWebhook([
      'PAYMENT.CAPTURE.COMPLETED',
      'PAYMENT.CAPTURE.REFUNDED',
    ]);
    const captured = await captureOrder(api, control, { invoiceId: 'INV-WH-1', customId: 'c-1' });
    const captureId = captured.body.purchase_units[0].payments.captures[0].id;
    const got = await waitFor(() => receiver.received.find((r) => r.body.event_type === 'PAYMENT.CAPTURE.COMPLETED'));
    const h = got.headers;
    expect(h['content-type']).toBe('application/json');
    expect(h['paypal-transmission-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(h['paypal-transmission-time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(h['paypal-auth-algo']).toBe('SHA256withRSA');
    expect(h['paypal-auth-version']).toBe('v2');
    expect(h['user-agent']).toMatch(/^PayPal\/AUHD-214\.0-\d+$/);
    expect(h['correlation-id']).toBeTruthy();
    expect(got.raw.toString()).toBe(JSON.stringify(got.body)); // compact JSON

    // Event shaped like PayPal's payloads.
    expect(got.body.id).toMatch(/^WH-[0-9A-Z]{17}-[0-9A-Z]{17}$/);
    expect(got.body).toMatchObject({
      event_version: '1.0',
      resource_type: 'capture',
      resource_version: '2.0',
      event_type: 'PAYMENT.CAPTURE.COMPLETED',
    });
    expect(got.body.resource).toMatchObject({
      id: captureId,
      status: 'COMPLETED',
      invoice_id: 'INV-WH-1',
      custom_id: 'c-1',
      supplementary_data: { related_ids: { order_id: captured.body.id } },
    });
    expect(got.body.resource.seller_receivable_breakdown.net_amount).toBeDefined();
    expect(got.body.links.map((l: any) => l.rel)).toEqual(['self', 'resend']);

    // Offline: fetch the cert chain from paypal-cert-url, check the leaf against the emulator CA.
    const certUrl = String(h['paypal-cert-url']);
    expect(certUrl).toBe(`${emu.url}/v1/notifications/certs/${certUrl.split('/').pop()}`);
    expect(certUrl).toMatch(/\/CERT-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    const chain = await (await fetch(certUrl)).text();
    const ca = await (await fetch(`${emu.url}/_emulator/ca.pem`)).text();
    expect(ca).toBe(emu.caCertificatePem);
    expect(
      verifyDelivery({
        headers: h,
        raw: got.raw,
        webhookId,
        certChainPem: chain,
        trustedCaPem: ca,
        at: emu.clock.now(),
      }),
    ).toEqual({ ok: true });
    expect(
      verifyDelivery({ headers: h, raw: got.raw, webhookId: 'OTHER', certChainPem: chain, trustedCaPem: ca }).ok,
    ).toBe(false);

    // Postback: the emulator's own verify-webhook-signature.
    const postback = (overrides: Record<string, unknown> = {}) =>
      api('POST', '/v1/notifications/verify-webhook-signature', {
        auth_algo: h['paypal-auth-algo'],
        cert_url: certUrl,
        transmission_id: h['paypal-transmission-id'],
        transmission_sig: h['paypal-transmission-sig'],
        transmission_time: h['paypal-transmission-time'],
        webhook_id: webhookId,
        webhook_event: got.body,
        ...overrides,
      });
    expect((await postback()).body).toEqual({ verification_status: 'SUCCESS' });
    expect((await postback({ webhook_event: { ...got.body, summary: 'tampered' } })).body).toEqual({
      verification_status: 'FAILURE',
    });
    expect((await postback({ transmission_time: '2020-01-01T00:00:00Z' })).body).toEqual({
      verification_status: 'FAILURE',
    });
    expect((await postback({ webhook_id: undefined })).status).toBe(400);

    // Refund event: resource is the refund; the capture only in the `up` link (as in the real fixture).
    await api('POST', `/v2/payments/captures/${captureId}/refund`, { amount: { currency_code: 'USD', value: '5.00' } });
    const refunded = await waitFor(() =>
      receiver.received.find((r) => r.body.event_type === 'PAYMENT.CAPTURE.REFUNDED'),
    );
    expect(refunded.body.resource_type).toBe('refund');
    expect(refunded.body.resource.links.find((l: any) => l.rel === 'up').href).toBe(
      `${emu.url}/v2/payments/captures/${captureId}`,
    );
    expect(refunded.body.resource.seller_payable_breakdown.total_refunded_amount).toEqual({
      currency_code: 'USD',
      value: '5.00',
    });
    expect(
      verifyDelivery({
        headers: refunded.headers,
        raw: refunded.raw,
        webhookId,
        certChainPem: chain,
        trustedCaPem: ca,
        at: emu.clock.now(),
      }).ok,
    ).toBe(true);
  });

  it('sends only subscribed event types; "*" subscribes to all', async () => {
    const only = await receiverWithWebhook(['PAYMENT.CAPTURE.REFUNDED']);
    const all = await receiverWithWebhook(['*']);
    await captureOrder(api, control);
    await waitFor(() => all.receiver.received.some((r) => r.body.event_type === 'PAYMENT.CAPTURE.COMPLETED'));
    await emu.deliveriesIdle();
    expect(only.receiver.received.filter((r) => r.body.event_type === 'PAYMENT.CAPTURE.COMPLETED')).toHaveLength(0);
    const checkout = all.receiver.received.filter((r) => r.body.event_type.startsWith('CHECKOUT.ORDER.'));
    expect(checkout.map((r) => r.body.event_type)).toEqual(['CHECKOUT.ORDER.APPROVED', 'CHECKOUT.ORDER.COMPLETED']);
    expect(checkout[1]!.body).toMatchObject({ resource_type: 'checkout-order', resource: { status: 'COMPLETED' } });
  });

  it('retries non-2xx on the backoff schedule and records every attempt', async () => {
    const { receiver, webhookId } = await receiverWithWebhook(['PAYMENT.CAPTURE.COMPLETED'], (n) =>
      n <= 2 ? 503 : 200,
    );
    await captureOrder(api, control);
    await waitFor(() => receiver.received.length >= 3);
    const deliveries = await waitFor(async () => {
      const res = await control('GET', `/_emulator/deliveries?webhook_id=${webhookId}&wait`);
      return res.body.deliveries[0]?.state === 'SUCCESS' ? res.body.deliveries : undefined;
    });
    expect(deliveries[0].attempts.map((a: any) => a.status)).toEqual([503, 503, 200]);
    // Each attempt is freshly signed.
    const ids = new Set(receiver.received.map((r) => r.headers['paypal-transmission-id']));
    expect(ids.size).toBe(3);
  });

  it('gives up after the schedule is exhausted (FAILED), and counts timeouts as failures', async () => {
    const local = await startEmulator({ seed: 'wh-timeout', webhookRetryScheduleMs: [10], webhookTimeoutMs: 50 });
    const receiver = await startReceiver(() => new Promise((r) => setTimeout(() => r(200), 300)));
    await local.api('POST', '/v1/notifications/webhooks', { url: receiver.url, event_types: PAYMENT_EVENTS });
    await captureOrder(local.api, local.control);
    const failed = await waitFor(() => local.emu.state.deliveries.find((d) => d.state === 'FAILED'), 5000);
    expect(failed.attempts).toHaveLength(2);
    expect(failed.attempts[0]!.error).toMatch(/Timeout|abort/i);
    await local.emu.close();
    await receiver.close();
  });

  it('with webhookTimers "clock", retries happen when the emulator clock is advanced', async () => {
    const local = await startEmulator({ seed: 'wh-clock', webhookTimers: 'clock', webhookRetryScheduleMs: [60_000] });
    const receiver = await startReceiver((n) => (n === 1 ? 500 : 200));
    await local.api('POST', '/v1/notifications/webhooks', { url: receiver.url, event_types: PAYMENT_EVENTS });
    await captureOrder(local.api, local.control);
    await waitFor(() => local.emu.state.deliveries[0]?.state === 'RETRYING');
    expect(receiver.received).toHaveLength(1);
    await local.control('POST', '/_emulator/clock/advance', { ms: 59_000 });
    await local.emu.deliveriesIdle();
    expect(receiver.received).toHaveLength(1);
    await local.control('POST', '/_emulator/clock/advance', { ms: 1_000 });
    await waitFor(() => local.emu.state.deliveries[0]?.state === 'SUCCESS');
    expect(receiver.received).toHaveLength(2);
    await local.emu.close();
    await receiver.close();
  });

  it('injects duplicate and out-of-order deliveries', async () => {
    const local = await startEmulator({ seed: 'wh-inject' });
    const receiver = await startReceiver();
    await local.api('POST', '/v1/notifications/webhooks', { url: receiver.url, event_types: PAYMENT_EVENTS });
    await local.control('POST', '/_emulator/deliveries/inject', { duplicate: 1 });
    await captureOrder(local.api, local.control);
    await waitFor(() => receiver.received.length === 2);
    expect(receiver.received[0]!.body.id).toBe(receiver.received[1]!.body.id);

    await local.control('POST', '/_emulator/deliveries/inject', { hold: 2 });
    const captured = await captureOrder(local.api, local.control);
    await local.api(
      'POST',
      `/v2/payments/captures/${captured.body.purchase_units[0].payments.captures[0].id}/refund`,
      {},
    );
    expect(receiver.received).toHaveLength(2);
    expect((await local.control('POST', '/_emulator/deliveries/release')).body.released).toBe(2);
    await waitFor(() => receiver.received.length === 4);
    expect(receiver.received.slice(2).map((r) => r.body.event_type)).toEqual([
      'PAYMENT.CAPTURE.REFUNDED',
      'PAYMENT.CAPTURE.COMPLETED',
    ]);
    await local.emu.close();
    assertContract(local.emu.responses);
    await receiver.close();
  });
});

describe('Webhooks management API', () => {
  it('lists, reads, patches and deletes webhooks; validates event types; lists and resends events', async () => {
    const { receiver, webhookId } = await receiverWithWebhook(['PAYMENT.CAPTURE.COMPLETED']);
    const list = await api('GET', '/v1/notifications/webhooks');
    expect(list.body.webhooks.map((w: any) => w.id)).toContain(webhookId);
    expect((await api('GET', `/v1/notifications/webhooks/${webhookId}`)).body.url).toBe(receiver.url);
    const patched = await api('PATCH', `/v1/notifications/webhooks/${webhookId}`, [
      { op: 'replace', path: '/event_types', value: [{ name: 'PAYMENT.CAPTURE.REFUNDED' }] },
    ]);
    expect(patched.body.event_types.map((e: any) => e.name)).toEqual(['PAYMENT.CAPTURE.REFUNDED']);
    expect((await api('GET', `/v1/notifications/webhooks/${webhookId}/event-types`)).body.event_types).toHaveLength(1);
    const dupUrl = await api('POST', '/v1/notifications/webhooks', { url: receiver.url, event_types: [{ name: '*' }] });
    expect(dupUrl.status).toBe(400);
    expect(dupUrl.body.name).toBe('WEBHOOK_URL_ALREADY_EXISTS');
    const badType = await api('POST', '/v1/notifications/webhooks', {
      url: 'http://127.0.0.1:1/x',
      event_types: [{ name: 'NOPE.NOPE' }],
    });
    expect(badType.status).toBe(400);
    const types = await api('GET', '/v1/notifications/webhooks-event-types');
    expect(types.body.event_types.map((e: any) => e.name)).toContain('CUSTOMER.DISPUTE.RESOLVED');

    const events = await api('GET', '/v1/notifications/webhooks-events?page_size=5');
    expect(events.body.events.length).toBeGreaterThan(0);
    const eventId = events.body.events[0].id;
    expect((await api('GET', `/v1/notifications/webhooks-events/${eventId}`)).body.id).toBe(eventId);
    const before = receiver.received.length;
    await api('POST', `/v1/notifications/webhooks-events/${eventId}/resend`, { webhook_ids: [webhookId] });
    await waitFor(() => receiver.received.length > before);
    expect(receiver.received.at(-1)!.body.id).toBe(eventId);

    expect((await api('DELETE', `/v1/notifications/webhooks/${webhookId}`)).status).toBe(204);
    expect((await api('GET', `/v1/notifications/webhooks/${webhookId}`)).status).toBe(404);
  });

  it('simulate-event sends a sample event signed with the literal webhook id WEBHOOK_ID', async () => {
    const { receiver, webhookId } = await receiverWithWebhook(['CUSTOMER.DISPUTE.CREATED']);
    const sim = await api('POST', '/v1/notifications/simulate-event', {
      webhook_id: webhookId,
      event_type: 'CUSTOMER.DISPUTE.CREATED',
      resource_version: '1.0',
    });
    expect(sim.status).toBe(202);
    const got = await waitFor(() => receiver.received.find((r) => r.body.id === sim.body.id));
    const chain = await (await fetch(String(got.headers['paypal-cert-url']))).text();
    expect(
      verifyDelivery({
        headers: got.headers,
        raw: got.raw,
        webhookId: 'WEBHOOK_ID',
        certChainPem: chain,
        trustedCaPem: emu.caCertificatePem,
        at: emu.clock.now(),
      }).ok,
    ).toBe(true);
  });
});
