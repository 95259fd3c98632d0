// Control API under /_emulator/: seed, counters, fault injection, webhook log, reset.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataverseEmulator } from '../src/index.ts';
import { api, startEmulator, unique } from './helpers.ts';

let em: DataverseEmulator;
beforeAll(async () => {
  em = await startEmulator();
});
afterAll(async () => {
  await em.close();
});

async function control(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${em.url}/_emulator/${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(r.status).toBe(200);
  return (await r.json()) as Record<string, unknown>;
}

describe('/_emulator control routes', () => {
  it('seeds currencies and products with prices', async () => {
    const sku = unique('SKU');
    const seeded = await control('POST', 'seed', {
      currencies: [
        {
          isocurrencycode: 'CHF',
          currencyname: 'Swiss Franc',
          currencysymbol: 'CHF',
          currencyprecision: 2,
          exchangerate: '0.88',
        },
      ],
      products: [{ productnumber: sku, name: 'Widget', price: 19.99, quantityonhand: 10 }],
    });
    const productId = (seeded.products as Record<string, string>)[sku];
    const product = (
      await api(em, 'GET', `products(${productId})?$select=name,productnumber,quantityonhand,price`)
    ).json();
    expect(product).toMatchObject({ name: 'Widget', productnumber: sku, quantityonhand: 10, price: 19.99 });
    const chf = (
      await api(em, 'GET', "transactioncurrencies?$filter=isocurrencycode eq 'CHF'&$select=exchangerate")
    ).json();
    expect((chf.value as { exchangerate: number }[])[0]?.exchangerate).toBe(0.88);
  });

  it('injects faults (429 / 503) for the next requests and counts requests', async () => {
    const before = (await control('GET', 'counters')).requests as number;
    await control('POST', 'faults', { status: 503, count: 1 });
    await control('POST', 'faults', { status: 429, count: 1 });
    expect((await api(em, 'GET', 'accounts?$top=1')).status).toBe(503);
    const throttled = await api(em, 'GET', 'accounts?$top=1');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect((await api(em, 'GET', 'accounts?$top=1')).status).toBe(200);
    expect((await control('GET', 'counters')).requests as number).toBeGreaterThan(before);
  });

  it('configures webhook endpoints as an admin would after import (URL + HttpHeader secret)', async () => {
    const r = await api(em, 'POST', 'serviceendpoints', {
      user: 'admin',
      body: { name: 'proxy', contract: 8, url: 'https://set-after-import.invalid/x' },
    });
    expect(r.status).toBe(204);
    expect(
      await em.configureWebhookEndpoints({
        name: 'proxy',
        url: 'http://127.0.0.1:9/webhooks/dataverse',
        headers: { 'x-ppc-webhook-secret': 's' },
      }),
    ).toBe(1);
    const ep = (
      await api(em, 'GET', "serviceendpoints?$filter=name eq 'proxy'&$select=url,authtype", { user: 'admin' })
    ).json().value as { url: string; authtype: number }[];
    expect(ep[0]).toMatchObject({ url: 'http://127.0.0.1:9/webhooks/dataverse', authtype: 5 });
  });

  it('resets to the seeded baseline', async () => {
    const name = unique('gone');
    await api(em, 'POST', 'accounts', { body: { name } });
    await control('POST', 'reset');
    expect((await api(em, 'GET', `accounts?$filter=name eq '${name}'`)).json().value).toEqual([]);
    expect((await api(em, 'GET', "transactioncurrencies?$filter=isocurrencycode eq 'USD'")).json().value).toHaveLength(
      1,
    );
    expect(await control('GET', 'webhooks')).toEqual([]);
  });
});
