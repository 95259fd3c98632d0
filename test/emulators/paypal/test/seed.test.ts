/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON in tests is untyped on purpose; its shape is checked by assertions and by the OpenAPI contract validator */
import { describe, expect, it } from '@jest/globals';
import { captureOrder, startEmulator, startReceiver, waitFor } from './helpers/client.ts';

/** A scripted run: webhook, two captures (one cross-currency), a partial refund, a reversal. */
async function run(seed: string) {
  // A fixed public URL: links are inside the signed bodies, and ports differ between runs.
  const { emu, api, control } = await startEmulator({ seed, publicUrl: 'http://paypal-emulator.test' });
  const receiver = await startReceiver();
  await api('POST', '/v1/notifications/webhooks', { url: receiver.url, event_types: [{ name: '*' }] });
  const a = await captureOrder(api, control, { unit: '12.34', quantity: 3, invoiceId: 'INV-S1' });
  const b = await captureOrder(api, control, { currency: 'JPY', unit: '700', quantity: 2, invoiceId: 'INV-S2' });
  const captureA = a.body.purchase_units[0].payments.captures[0];
  const refund = await api(
    'POST',
    `/v2/payments/captures/${captureA.id}/refund`,
    { amount: { currency_code: 'USD', value: '5.00' } },
    { prefer: 'return=representation' },
  );
  await control('POST', `/_emulator/captures/${b.body.purchase_units[0].payments.captures[0].id}/reverse`);
  await waitFor(() => receiver.received.length === 8); // 2 × CHECKOUT.ORDER.APPROVED|COMPLETED + 4 payment events
  const out = {
    orders: [a.body, b.body],
    refund: refund.body,
    events: emu.state.events,
    transmissions: receiver.received.map((r) => ({
      id: r.headers['paypal-transmission-id'],
      sig: r.headers['paypal-transmission-sig'],
      body: r.raw.toString(),
    })),
  };
  await receiver.close();
  await emu.close();
  // Ports differ between runs; ids, amounts, times and signatures must not.
  return JSON.parse(JSON.stringify(out).replace(/http:\/\/127\.0\.0\.1:\d+/g, 'URL'));
}

describe('seeded runs', () => {
  it('the same seed gives identical ids, amounts, events and signed deliveries; another seed does not', async () => {
    const first = await run('same-seed');
    const second = await run('same-seed');
    // Deliveries may complete in any order: compare them as a set, events in emission order.
    const sortT = (x: any) => ({
      ...x,
      transmissions: [...x.transmissions].sort((p: any, q: any) => p.id.localeCompare(q.id)),
    });
    expect(sortT(second)).toEqual(sortT(first));
    expect(first.events.map((e: any) => e.event_type).filter((t: string) => t.startsWith('PAYMENT.'))).toEqual([
      'PAYMENT.CAPTURE.COMPLETED',
      'PAYMENT.CAPTURE.COMPLETED',
      'PAYMENT.CAPTURE.REFUNDED',
      'PAYMENT.CAPTURE.REVERSED',
    ]);
    const other = await run('other-seed');
    expect(other.orders[0].id).not.toBe(first.orders[0].id);
  });
});
