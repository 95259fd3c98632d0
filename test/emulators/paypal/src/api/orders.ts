// Orders v2 (checkout_orders_v2.json): create, get, capture. Buyer approval is a control-API call.
import type { Emulator } from '../emulator.ts';
import type { Route } from '../core/router.ts';
import type { Order } from '../core/state.ts';
import { errors } from '../core/errors.ts';
import { parseAmount } from '../core/money.ts';
import { captureOrderUnit, renderCapture } from './captures.ts';

const ORDER_RETENTION_MS = 6 * 3_600_000; // "The server stores keys for 6 hours" (Orders v2 spec)

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function amountOf(field: string, v: unknown, currency?: string): { minor: number; currency: string } {
  const a = obj(v);
  if (!a) throw errors.missingField(field);
  const cur = typeof a.currency_code === 'string' ? a.currency_code : undefined;
  if (!cur || !/^[A-Z]{3}$/.test(cur)) throw errors.invalidField(`${field}/currency_code`, a.currency_code);
  if (currency && cur !== currency)
    throw errors.unprocessable(
      'CURRENCY_MISMATCH',
      'Currency code should be the same for all amounts in a purchase unit.',
      `${field}/currency_code`,
      cur,
    );
  const minor = parseAmount(a.value, cur);
  if (minor === null)
    throw errors.unprocessable(
      'DECIMAL_PRECISION',
      'The value of the field should not have more decimal places than the currency allows.',
      `${field}/value`,
      String(a.value),
    );
  return { minor, currency: cur };
}

/** Checks amount = item_total + tax + shipping + handling + insurance − shipping_discount − discount. */
function validateUnit(pu: Json, i: number): { minor: number; currency: string } {
  const base = `/purchase_units/@reference_id=='${(pu.reference_id as string) ?? 'default'}'`;
  const amount = amountOf(`${base}/amount`, pu.amount);
  const breakdown = obj(obj(pu.amount)?.breakdown);
  const items = Array.isArray(pu.items) ? (pu.items as Json[]) : [];
  if (items.length && !breakdown?.item_total)
    throw errors.unprocessable(
      'ITEM_TOTAL_REQUIRED',
      'If item details are specified (items.unit_amount and items.quantity) corresponding amount.breakdown.item_total is required.',
      `${base}/amount/breakdown/item_total`,
    );
  let itemSum = 0;
  items.forEach((item, j) => {
    if (typeof item.name !== 'string' || !item.name) throw errors.missingField(`/purchase_units/${i}/items/${j}/name`);
    const q = typeof item.quantity === 'string' && /^\d{1,10}$/.test(item.quantity) ? Number(item.quantity) : NaN;
    if (!Number.isInteger(q) || q < 1)
      throw errors.invalidField(`/purchase_units/${i}/items/${j}/quantity`, item.quantity);
    itemSum += amountOf(`/purchase_units/${i}/items/${j}/unit_amount`, item.unit_amount, amount.currency).minor * q;
  });
  if (breakdown) {
    const part = (k: string) =>
      breakdown[k] ? amountOf(`${base}/amount/breakdown/${k}`, breakdown[k], amount.currency).minor : 0;
    const itemTotal = part('item_total');
    if (items.length && itemTotal !== itemSum)
      throw errors.unprocessable(
        'ITEM_TOTAL_MISMATCH',
        'Should equal sum of (unit_amount * quantity) across all items for a given purchase_unit.',
        `${base}/amount/breakdown/item_total/value`,
        String(itemTotal),
      );
    const total =
      itemTotal +
      part('tax_total') +
      part('shipping') +
      part('handling') +
      part('insurance') -
      part('shipping_discount') -
      part('discount');
    if (total !== amount.minor)
      throw errors.unprocessable(
        'AMOUNT_MISMATCH',
        'Should equal item_total + tax_total + shipping + handling + insurance - shipping_discount - discount.',
        `${base}/amount/value`,
        String(obj(pu.amount)?.value),
      );
  }
  if (amount.minor <= 0)
    throw errors.unprocessable('CANNOT_BE_ZERO_OR_NEGATIVE', 'Must be greater than zero.', `${base}/amount/value`);
  for (const k of ['invoice_id', 'custom_id'] as const) {
    if (pu[k] !== undefined && (typeof pu[k] !== 'string' || (pu[k] as string).length > 127))
      throw errors.invalidField(
        `/purchase_units/${i}/${k}`,
        pu[k],
        'body',
        'INVALID_STRING_LENGTH',
        'The value of a field is either too short or too long.',
      );
  }
  return amount;
}

export function renderOrder(emu: Emulator, o: Order): Json {
  const self = emu.link(`/v2/checkout/orders/${o.id}`);
  const links: Json[] = [{ href: self, rel: 'self', method: 'GET' }];
  if (o.status === 'CREATED')
    links.push({ href: emu.link(`/checkoutnow?token=${o.id}`), rel: 'approve', method: 'GET' });
  if (o.status !== 'COMPLETED') links.push({ href: self, rel: 'update', method: 'PATCH' });
  if (o.status === 'APPROVED') links.push({ href: `${self}/capture`, rel: 'capture', method: 'POST' });
  const payer = o.payer;
  return {
    id: o.id,
    intent: o.intent,
    status: o.status,
    ...(payer
      ? {
          payment_source: {
            paypal: {
              email_address: payer.email,
              account_id: payer.payerId,
              account_status: 'VERIFIED',
              name: { given_name: payer.givenName, surname: payer.surname },
              address: { country_code: payer.countryCode },
            },
          },
        }
      : {}),
    purchase_units: o.purchaseUnits.map((pu) => {
      const captures = o.captureIds
        .map((id) => emu.state.captures[id])
        .filter((c) => c && c.referenceId === (pu.reference_id ?? 'default'));
      return {
        ...pu,
        reference_id: pu.reference_id ?? 'default',
        amount: pu.amount,
        payee: { email_address: emu.config.merchant.email, merchant_id: emu.config.merchant.accountId },
        ...(payer?.address
          ? { shipping: { name: { full_name: `${payer.givenName} ${payer.surname}` }, address: payer.address } }
          : {}),
        ...(captures.length ? { payments: { captures: captures.map((c) => renderCapture(emu, c!, false)) } } : {}),
      };
    }),
    ...(payer
      ? {
          payer: {
            name: { given_name: payer.givenName, surname: payer.surname },
            email_address: payer.email,
            payer_id: payer.payerId,
            address: { country_code: payer.countryCode },
          },
        }
      : {}),
    create_time: o.createTime,
    ...(o.updateTime !== o.createTime ? { update_time: o.updateTime } : {}),
    links,
  };
}

function getOrder(emu: Emulator, id: string): Order {
  const o = emu.state.orders[id];
  if (!o) throw errors.notFound('order_id', id);
  return o;
}

export function orderRoutes(emu: Emulator): Route[] {
  emu.renderers.set('order', (id) => renderOrder(emu, getOrder(emu, id)));
  return [
    {
      method: 'POST',
      pattern: '/v2/checkout/orders',
      idempotencyMs: ORDER_RETENTION_MS,
      replayStatus: 200,
      handler: ({ body }) => {
        const b = obj(body);
        if (!b) throw errors.missingField('/intent');
        if (b.intent === undefined) throw errors.missingField('/intent');
        if (b.intent !== 'CAPTURE' && b.intent !== 'AUTHORIZE') throw errors.invalidField('/intent', b.intent);
        const pus = b.purchase_units;
        if (!Array.isArray(pus) || !pus.length) throw errors.missingField('/purchase_units');
        if (pus.length > 10)
          throw errors.invalidField(
            '/purchase_units',
            pus.length,
            'body',
            'INVALID_ARRAY_MAX_ITEMS',
            'The number of items in an array parameter is too large.',
          );
        const refs = new Set<string>();
        const amounts = pus.map((pu, i) => {
          const unit = obj(pu);
          if (!unit) throw errors.missingField(`/purchase_units/${i}`);
          const ref = (unit.reference_id as string) ?? 'default';
          if (refs.has(ref))
            throw errors.unprocessable(
              'DUPLICATE_REFERENCE_ID',
              '`reference_id` must be unique if multiple `purchase_unit` are provided.',
              `/purchase_units/${i}/reference_id`,
              ref,
            );
          refs.add(ref);
          const inv = unit.invoice_id as string | undefined;
          if (inv && Object.values(emu.state.captures).some((c) => c.invoiceId === inv && c.status !== 'DECLINED'))
            throw errors.unprocessable(
              'DUPLICATE_INVOICE_ID',
              'Duplicate Invoice ID detected. To avoid a potential duplicate transaction your account setting requires that Invoice Id be unique for each transaction.',
              `/purchase_units/${i}/invoice_id`,
              inv,
            );
          return validateUnit(unit, i);
        });
        const now = emu.nowIso();
        const order: Order = {
          id: emu.random.paypalId(),
          intent: b.intent,
          status: 'CREATED',
          purchaseUnits: pus as Json[],
          amounts,
          createTime: now,
          updateTime: now,
          captureIds: [],
        };
        emu.state.orders[order.id] = order;
        const full = renderOrder(emu, order);
        return {
          status: 201,
          body: full,
          minimal: { id: order.id, status: order.status, links: full.links },
          resource: { kind: 'order', id: order.id },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/v2/checkout/orders/:id',
      handler: ({ params }) => ({ status: 200, body: renderOrder(emu, getOrder(emu, params.id!)) }),
    },
    {
      method: 'POST',
      pattern: '/v2/checkout/orders/:id/capture',
      idempotencyMs: ORDER_RETENTION_MS,
      replayStatus: 200,
      lockKey: ({ params }) => `order:${params.id}`,
      handler: ({ params }) => {
        const order = getOrder(emu, params.id!);
        if (order.intent !== 'CAPTURE')
          throw errors.unprocessable(
            'ACTION_DOES_NOT_MATCH_INTENT',
            "Order was created with an intent to 'AUTHORIZE'. Please use v2/checkout/orders/order_id/authorize to complete the transaction or alternately, create an order with an intent of 'CAPTURE'.",
          );
        if (order.status === 'COMPLETED')
          throw errors.unprocessable(
            'ORDER_ALREADY_CAPTURED',
            "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.",
          );
        if (order.status !== 'APPROVED')
          throw errors.unprocessable(
            'ORDER_NOT_APPROVED',
            "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid payment_source in the request.",
          );
        const forced = emu.state.nextCaptureOutcomes[0];
        if (forced?.status === 'INSTRUMENT_DECLINED') {
          emu.state.nextCaptureOutcomes.shift();
          throw errors.unprocessable(
            'INSTRUMENT_DECLINED',
            "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",
          );
        }
        order.purchaseUnits.forEach((pu, i) => captureOrderUnit(emu, order, pu, order.amounts[i]!));
        order.status = 'COMPLETED';
        order.updateTime = emu.nowIso();
        const full = renderOrder(emu, order);
        emu.emit('CHECKOUT.ORDER.COMPLETED', 'checkout-order', '2.0', 'Checkout Order Completed', full);
        return {
          status: 201,
          body: full,
          minimal: { id: order.id, status: order.status, links: full.links },
          resource: { kind: 'order', id: order.id },
        };
      },
    },
  ];
}
