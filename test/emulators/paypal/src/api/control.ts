// Control API under /_emulator/ (never mixed with PayPal's paths): reset, clock, buyer approval,
// capture outcomes, reversals, faults, deliveries, events, recorded responses.
import type { Emulator } from '../emulator.ts';
import type { Route } from '../core/router.ts';
import type { Payer } from '../core/state.ts';
import { createRefund, getCapture, settlePending } from './captures.ts';

type Json = Record<string, unknown>;

const bad = (message: string, status = 400) => ({ status, body: { error: message } });

export function controlRoutes(emu: Emulator): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/_emulator/reset',
      handler: () => {
        emu.reset();
        return { status: 200, body: { ok: true } };
      },
    },
    {
      method: 'GET',
      pattern: '/_emulator/clock',
      handler: () => ({ status: 200, body: { now: emu.clock.now().toISOString(), offset_ms: emu.clock.offset } }),
    },
    {
      method: 'POST',
      pattern: '/_emulator/clock/advance',
      handler: ({ body }) => {
        const b = (body ?? {}) as Json;
        const ms =
          Number(b.ms ?? 0) +
          Number(b.seconds ?? 0) * 1000 +
          Number(b.hours ?? 0) * 3_600_000 +
          Number(b.days ?? 0) * 86_400_000;
        if (!Number.isFinite(ms) || ms < 0) return bad('ms/seconds/hours/days must be non-negative numbers');
        emu.clock.advance(ms);
        return { status: 200, body: { now: emu.clock.now().toISOString(), offset_ms: emu.clock.offset } };
      },
    },
    {
      method: 'GET',
      pattern: '/_emulator/ca.pem',
      handler: () => ({ status: 200, text: { contentType: 'application/x-pem-file', data: emu.signing.caPem } }),
    },
    {
      method: 'POST',
      pattern: '/_emulator/orders/:id/approve',
      handler: ({ params, body }) => {
        const order = emu.state.orders[params.id!];
        if (!order) return bad('unknown order', 404);
        if (order.status !== 'CREATED') return bad(`order is ${order.status}`, 409);
        const b = (body ?? {}) as Json;
        if (b.payer_id !== undefined && (typeof b.payer_id !== 'string' || !/^[2-9A-HJ-NP-Z]{13}$/.test(b.payer_id)))
          return bad('payer_id must be 13 characters of [2-9A-HJ-NP-Z], as PayPal payer ids are');
        const payer: Payer = {
          payerId: typeof b.payer_id === 'string' ? b.payer_id : emu.random.accountId(),
          givenName: typeof b.given_name === 'string' ? b.given_name : 'John',
          surname: typeof b.surname === 'string' ? b.surname : 'Doe',
          email: typeof b.email === 'string' ? b.email : 'buyer@example.com',
          countryCode: typeof b.country_code === 'string' ? b.country_code : 'US',
          ...(b.address && typeof b.address === 'object' ? { address: b.address as Record<string, string> } : {}),
        };
        order.payer = payer;
        order.status = 'APPROVED';
        order.updateTime = emu.nowIso();
        const rendered = emu.renderers.get('order')!(order.id) as Record<string, unknown>;
        emu.emit('CHECKOUT.ORDER.APPROVED', 'checkout-order', '2.0', `An order has been approved by buyer.`, rendered);
        return { status: 200, body: rendered };
      },
    },
    {
      method: 'POST',
      pattern: '/_emulator/captures/next-outcome',
      handler: ({ body }) => {
        const b = (body ?? {}) as Json;
        const status = b.status;
        if (status !== 'COMPLETED' && status !== 'PENDING' && status !== 'DECLINED' && status !== 'INSTRUMENT_DECLINED')
          return bad('status must be COMPLETED, PENDING, DECLINED or INSTRUMENT_DECLINED');
        const times = Number(b.times ?? 1);
        for (let i = 0; i < times; i++)
          emu.state.nextCaptureOutcomes.push({ status, ...(typeof b.reason === 'string' ? { reason: b.reason } : {}) });
        return { status: 200, body: { queued: emu.state.nextCaptureOutcomes } };
      },
    },
    {
      method: 'POST',
      pattern: '/_emulator/captures/:id/complete',
      handler: ({ params }) => {
        settlePending(emu, getCapture(emu, params.id!), 'COMPLETED');
        return { status: 200, body: { ok: true } };
      },
    },
    {
      method: 'POST',
      pattern: '/_emulator/captures/:id/deny',
      handler: ({ params }) => {
        settlePending(emu, getCapture(emu, params.id!), 'DECLINED');
        return { status: 200, body: { ok: true } };
      },
    },
    {
      method: 'POST',
      pattern: '/_emulator/captures/:id/reverse',
      handler: ({ params }) => {
        const c = getCapture(emu, params.id!);
        const r = createRefund(emu, c, c.grossMinor - c.refundedMinor, { reversal: true });
        return { status: 200, body: emu.renderers.get('refund')!(r.id) };
      },
    },
    {
      method: 'POST',
      pattern: '/_emulator/faults',
      handler: ({ body }) => {
        const b = (body ?? {}) as Json;
        const num = (k: string) => (typeof b[k] === 'number' ? { [k]: b[k] as number } : {});
        const fault = emu.faults.add({
          ...(typeof b.route === 'string' ? { route: b.route } : {}),
          ...num('status'),
          ...num('retryAfterSeconds'),
          ...num('latencyMs'),
          ...num('times'),
          ...num('probability'),
        });
        return { status: 201, body: fault };
      },
    },
    {
      method: 'GET',
      pattern: '/_emulator/faults',
      handler: () => ({ status: 200, body: { faults: emu.faults.all() } }),
    },
    {
      method: 'DELETE',
      pattern: '/_emulator/faults',
      handler: () => {
        emu.faults.clear();
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: '/_emulator/deliveries',
      handler: async ({ query }) => {
        if (query.get('wait') !== null) await emu.dispatcher.idle();
        const type = query.get('event_type');
        const webhookId = query.get('webhook_id');
        const list = emu.state.deliveries.filter(
          (d) => (!type || d.eventType === type) && (!webhookId || d.webhookId === webhookId),
        );
        return { status: 200, body: { deliveries: list } };
      },
    },
    {
      method: 'POST',
      pattern: '/_emulator/deliveries/inject',
      handler: ({ body }) => {
        const b = (body ?? {}) as Json;
        emu.dispatcher.duplicateNext += Number(b.duplicate ?? 0);
        emu.dispatcher.holdNext += Number(b.hold ?? 0);
        return { status: 200, body: { duplicate: emu.dispatcher.duplicateNext, hold: emu.dispatcher.holdNext } };
      },
    },
    {
      method: 'POST',
      pattern: '/_emulator/deliveries/release',
      handler: () => ({ status: 200, body: { released: emu.dispatcher.releaseHeld() } }),
    },
    {
      method: 'GET',
      pattern: '/_emulator/events',
      handler: () => ({ status: 200, body: { events: emu.state.events } }),
    },
    {
      method: 'GET',
      pattern: '/_emulator/responses',
      handler: () => ({ status: 200, body: { responses: emu.responses } }),
    },
  ];
}
