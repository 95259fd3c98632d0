// Control API under /_emulator/ (never mixed with PayPal's paths): reset, clock, buyer approval,
// capture outcomes, reversals, faults, deliveries, events, recorded responses.
import type { Emulator } from '../emulator.ts';
import type { Route } from '../core/router.ts';
import type { Payer } from '../core/state.ts';
import { z } from 'zod';
import { createRefund, getCapture, settlePending } from './captures.ts';

type Json = Record<string, unknown>;

const bad = (message: string, status = 400) => ({ status, body: { error: message } });

// The buyer's approval carries what PayPal learns at approval, in Orders v2's own shapes: `payer`
// (checkout_orders_v2.json, components.schemas.payer: name, email_address, payer_id, address) and
// `shipping` (shipping_detail: address). Unknown keys are refused, so a misspelt field is not silently ignored.
const addressSchema = z
  .object({
    address_line_1: z.string().max(300).optional(),
    address_line_2: z.string().max(300).optional(),
    admin_area_2: z.string().max(120).optional(),
    admin_area_1: z.string().max(300).optional(),
    postal_code: z.string().max(60).optional(),
    country_code: z.string().regex(/^[A-Z]{2}$/),
  })
  .strict();
const approvalSchema = z
  .object({
    payer: z
      .object({
        name: z
          .object({ given_name: z.string().max(140), surname: z.string().max(140) })
          .strict()
          .optional(),
        email_address: z.string().email().max(254).optional(),
        // PayPal payer ids: 13 characters of [2-9A-HJ-NP-Z] (checkout_orders_v2.json, account_id).
        payer_id: z
          .string()
          .regex(/^[2-9A-HJ-NP-Z]{13}$/, 'payer_id must be 13 characters of [2-9A-HJ-NP-Z], as PayPal payer ids are')
          .optional(),
        address: z
          .object({ country_code: z.string().regex(/^[A-Z]{2}$/) })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    shipping: z.object({ address: addressSchema }).strict().optional(),
  })
  .strict();

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
        const parsed = approvalSchema.safeParse(body ?? {});
        if (!parsed.success) return bad(`approval body: ${z.prettifyError(parsed.error)}`);
        const { payer: p = {}, shipping } = parsed.data;
        const payer: Payer = {
          payerId: p.payer_id ?? emu.random.accountId(),
          givenName: p.name?.given_name ?? 'John',
          surname: p.name?.surname ?? 'Doe',
          email: p.email_address ?? 'buyer@example.com',
          countryCode: p.address?.country_code ?? shipping?.address?.country_code ?? 'US',
          ...(shipping?.address ? { address: shipping.address as Record<string, string> } : {}),
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
