// Test support: a PayPal emulator on port 0, its control API, and a buyer purchase through it.
import {
  createServer,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  type PayPalEmulatorConfig,
} from '@ppc/paypal-emulator';
import {
  createPayPalClient,
  type PayPalClient,
  type PayPalClientOptions,
  type PayPalCapture,
  type PayPalOrder,
} from '../../../src/adapters/paypal/index.ts';

export type Emulator = Awaited<ReturnType<typeof createServer>>;

export async function startEmulator(config: Partial<PayPalEmulatorConfig> = {}): Promise<Emulator> {
  return createServer({ seed: 'proxy-paypal-adapter', ...config });
}

/** A client on the emulator whose sleeps are recorded instead of waited. */
export function clientFor(
  emu: Emulator,
  overrides: Partial<PayPalClientOptions> = {},
): { client: PayPalClient; sleeps: number[] } {
  const sleeps: number[] = [];
  const client = createPayPalClient({
    baseUrl: emu.url,
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: DEFAULT_CLIENT_SECRET,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return { client, sleeps };
}

export async function control(emu: Emulator, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${emu.url}/_emulator${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`control ${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Create an order, approve it as the buyer (control API), capture it: the capture and the order. */
export async function buyAndCapture(
  emu: Emulator,
  client: PayPalClient,
  amount: { currency_code: string; value: string },
  invoiceId: string,
): Promise<{ order: PayPalOrder; capture: PayPalCapture }> {
  const created = await client.createOrder({ intent: 'CAPTURE', purchase_units: [{ amount, invoice_id: invoiceId }] });
  await control(emu, 'POST', `/orders/${created.id}/approve`, {
    payer: { email_address: `${invoiceId.toLowerCase()}@example.com` },
  });
  const order = await client.captureOrder(created.id!, `capture-${invoiceId}`);
  const captureId = order.purchase_units?.[0]?.payments?.captures?.[0]?.id;
  if (!captureId) throw new Error(`no capture in ${JSON.stringify(order)}`);
  return { order, capture: await client.getCapture(captureId) };
}

/** Vendor-API calls the emulator answered for this path (it records every response). */
export const answered = (emu: Emulator, method: string, pathPrefix: string): Emulator['responses'] =>
  emu.responses.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
