// Throttling: a Dataverse 429 storm during a burst of 500 captures. Nothing lost, nothing
// duplicated, everything completes once the storm is over. All real HTTP.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_LIMITS } from '@ppc/dataverse-emulator';
import { waitFor } from '@ppc/test-support';
import { buyerPays, startLocalStack, type LocalStack } from '@ppc/stack';

const CAPTURES = Number(process.env.STORM_CAPTURES ?? 500);
let stack: LocalStack;
let starting: Promise<LocalStack> | undefined;

beforeAll(async () => {
  // Service protection as configured for a busy org; the storm below is injected on top of it.
  starting = startLocalStack({
    dataverse: { limits: { ...DEFAULT_LIMITS, requests: 100_000, executionTimeMs: 100_000_000 } },
    proxyEnv: { WORKER_CONCURRENCY: '8', RETRY_BASE_MS: '100', RETRY_MAX_MS: '1000' },
  });
  stack = await starting;
}, 120_000);
afterAll(async () => {
  // A start that outlived its hook's timeout is awaited and closed here too: it would keep jest alive.
  await (await starting?.catch(() => undefined))?.close();
});

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** 50 customers, PayPal-shaped payer ids (13 characters of [2-9A-HJ-NP-Z]). */
const payerId = (i: number) => `STRMBUYER${ALPHABET[Math.floor(i / 32) % 32]}${ALPHABET[i % 32]}22`;
const SKUS = ['SKU-MUG', 'SKU-TEE', 'SKU-CAP'];
const stock = async () =>
  Object.fromEntries(
    (
      await stack.admin.list<{ productnumber: string; quantityonhand: number }>(
        'products',
        '$select=productnumber,quantityonhand',
      )
    ).map((p) => [p.productnumber, Number(p.quantityonhand)]),
  );

describe('a 429 storm during a burst of captures', () => {
  it(`records all ${CAPTURES} captures exactly once`, async () => {
    const token = await stack.paypalToken();
    // Enough stock for the burst: Dataverse keeps Quantity On Hand at 0 or more (a sale beyond it is flagged as
    // oversold), and this test counts every sale in the stock.
    for (const p of await stack.admin.list<{ productid: string; productnumber: string }>(
      'products',
      '$select=productid,productnumber',
    ))
      if (SKUS.includes(p.productnumber))
        await stack.admin.patch(`products(${p.productid})`, { quantityonhand: CAPTURES });
    const before = await stock();
    // 429 with Retry-After for the next 300 Web API calls: the proxy's gate pauses every job, the queue retries.
    const storm = await fetch(new URL('/_emulator/faults', stack.dataverse.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 429, count: 300 }),
    });
    expect(storm.status).toBeLessThan(300);

    const captureIds: string[] = [];
    for (let i = 0; i < CAPTURES; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, CAPTURES - i) }, (_, j) =>
          buyerPays(stack.paypal.url, token, {
            currency: 'USD',
            items: [
              { sku: SKUS[(i + j) % 3], name: 'Storm item', quantity: 1, unitValue: `${((i + j) % 40) + 10}.00` },
            ],
            payer: { payer_id: payerId((i + j) % 50), email: `storm${(i + j) % 50}@example.com` },
          }),
        ),
      );
      captureIds.push(...batch.map((p) => p.captureId));
    }
    expect(new Set(captureIds).size).toBe(CAPTURES);

    await waitFor(
      async () =>
        (
          await stack.admin.list(
            'ppc_paypaltransactions',
            `$select=ppc_paypalid&$filter=startswith(ppc_payerid,'STRMBUYER') and statuscode eq 416500010`,
          )
        ).length === CAPTURES,
      240_000,
      `all ${CAPTURES} captures recorded`,
      1000,
    );
    const throttled = stack.proxy.dataverse!.stats().throttled;
    expect(Object.values(throttled).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    // Exactly once: one order, one invoice, three ledger lines per capture; stock moved once per capture.
    const txns = await stack.admin.list<{ ppc_paypalid: string; _ppc_invoiceid_value: string }>(
      'ppc_paypaltransactions',
      `$select=ppc_paypalid,_ppc_invoiceid_value&$filter=startswith(ppc_payerid,'STRMBUYER')`,
    );
    expect(txns).toHaveLength(CAPTURES);
    expect(new Set(txns.map((t) => t._ppc_invoiceid_value)).size).toBe(CAPTURES);
    const orders = await stack.admin.list<{ ppc_paypalcaptureid: string }>(
      'salesorders',
      `$select=ppc_paypalcaptureid&$filter=ppc_paymentstatus eq 416500292`,
    );
    const mine = new Set(captureIds);
    expect(
      orders
        .filter((o) => mine.has(o.ppc_paypalcaptureid))
        .map((o) => o.ppc_paypalcaptureid)
        .sort(),
    ).toEqual([...captureIds].sort());
    const lines = await stack.admin.list<{ ppc_sourceid: string }>(
      'ppc_ledgerentries',
      `$select=ppc_sourceid&$filter=_ppc_transactionid_value ne null`,
    );
    expect(lines.filter((l) => mine.has(l.ppc_sourceid))).toHaveLength(3 * CAPTURES);
    const after = await stock();
    expect(SKUS.reduce((n, sku) => n + before[sku]! - after[sku]!, 0)).toBe(CAPTURES);
    const contacts = await stack.admin.list<{ ppc_paymentcount: number }>(
      'contacts',
      "$select=ppc_paymentcount&$filter=startswith(ppc_paypalpayerid,'STRMBUYER')",
    );
    expect(contacts).toHaveLength(50);
    expect(contacts.reduce((n, c) => n + c.ppc_paymentcount, 0)).toBe(CAPTURES);
    // Nothing dead-lettered.
    const metrics = await (await fetch(`${stack.proxyUrl}/metrics`)).text();
    expect(metrics).toMatch(/ppc_dead_letters_open 0/);
  }, 360_000);
});
