/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON in tests is untyped on purpose; its shape is checked by assertions and by the OpenAPI contract validator */
// Test helpers: an emulator with a token, a raw JSON client, and a webhook receiver on loopback.
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from '@jest/globals';
import {
  createServer,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  type PayPalEmulator,
  type PayPalEmulatorConfig,
} from '../../src/index.ts';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export type Api = <T = any>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<ApiResponse<T>>;

// Every emulator and receiver a test file starts is closed after the file, also when a test fails before its own
// close(): a server left listening keeps jest from exiting. Both close() are idempotent.
const opened = new Set<() => Promise<void>>();
afterAll(async () => {
  await Promise.all([...opened].map((close) => close()));
});

export async function token(url: string, id = DEFAULT_CLIENT_ID, secret = DEFAULT_CLIENT_SECRET): Promise<ApiResponse> {
  const res = await fetch(`${url}/v1/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

export function apiFor(url: string, accessToken: string | undefined): Api {
  return async (method, path, body, headers = {}) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* PEM or other text */
    }
    return { status: res.status, body: parsed as any, headers: res.headers };
  };
}

export async function startEmulator(
  config: Partial<PayPalEmulatorConfig> = {},
): Promise<{ emu: PayPalEmulator; api: Api; control: Api; refreshToken: () => Promise<void> }> {
  // Registered before it has started: a start that outlives its hook's timeout is still closed.
  // A pinned, frozen clock: these tests assert dates (reports, renewals, time windows).
  const starting = createServer({ seed: 'test', startTime: '2026-01-01T00:00:00Z', ...config });
  opened.add(async () => (await starting.catch(() => undefined))?.close());
  const emu = await starting;
  let current = apiFor(emu.url, (await token(emu.url)).body.access_token as string);
  // Tests that advance the clock past the token lifetime get a new token, as a real client would.
  const refreshToken = async () => {
    current = apiFor(emu.url, (await token(emu.url)).body.access_token as string);
  };
  const api: Api = (method, path, body, headers) => current(method, path, body, headers);
  return { emu, api, control: apiFor(emu.url, undefined), refreshToken };
}

export interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: any;
}

/** A loopback webhook listener; `respond` decides the status for each call (default 200). */
export async function startReceiver(respond: (n: number, r: Received) => number | Promise<number> = () => 200) {
  const received: Received[] = [];
  let n = 0;
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const r: Received = { headers: req.headers, raw, body: JSON.parse(raw.toString('utf8')) };
      received.push(r);
      const status = await respond(++n, r);
      res.writeHead(status).end();
    });
  });
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }));
  opened.add(close);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close };
}

/** Polls until `check` returns a truthy value (no fixed sleeps). */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** An order body with items, breakdown, invoice and custom ids. */
export function orderBody(
  opts: { currency?: string; unit?: string; quantity?: number; invoiceId?: string; customId?: string } = {},
) {
  const currency = opts.currency ?? 'USD';
  const unit = opts.unit ?? '10.00';
  const quantity = opts.quantity ?? 2;
  const decimals = unit.includes('.') ? unit.split('.')[1]!.length : 0;
  const [w, f = ''] = unit.split('.');
  const minor = Number(w) * 10 ** decimals + Number(f || '0');
  const totalMinor = minor * quantity;
  const total = decimals
    ? `${Math.floor(totalMinor / 10 ** decimals)}.${String(totalMinor % 10 ** decimals).padStart(decimals, '0')}`
    : String(totalMinor);
  return {
    intent: 'CAPTURE',
    purchase_units: [
      {
        reference_id: 'default',
        invoice_id: opts.invoiceId ?? `INV-${Math.random().toString(36).slice(2, 10)}`,
        custom_id: opts.customId ?? 'dataverse-order-1',
        amount: {
          currency_code: currency,
          value: total,
          breakdown: { item_total: { currency_code: currency, value: total } },
        },
        items: [
          {
            name: 'Widget',
            sku: 'SKU-1',
            quantity: String(quantity),
            unit_amount: { currency_code: currency, value: unit },
          },
        ],
      },
    ],
  };
}

/** Create → approve → capture; returns the completed order (representation). */
export async function captureOrder(
  api: Api,
  control: Api,
  opts: Parameters<typeof orderBody>[0] = {},
  payer: Record<string, unknown> = {},
) {
  const created = await api('POST', '/v2/checkout/orders', orderBody(opts), { prefer: 'return=representation' });
  if (created.status !== 201) throw new Error(`create failed ${created.status} ${JSON.stringify(created.body)}`);
  const approved = await control('POST', `/_emulator/orders/${created.body.id}/approve`, {
    payer: {
      payer_id: 'PAYER2345ABCD',
      name: { given_name: 'Ada', surname: 'Lovelace' },
      email_address: 'ada@example.com',
      address: { country_code: 'GB' },
      ...payer,
    },
  });
  if (approved.status !== 200) throw new Error(`approve failed ${approved.status}`);
  const captured = await api('POST', `/v2/checkout/orders/${created.body.id}/capture`, undefined, {
    prefer: 'return=representation',
  });
  return captured;
}
