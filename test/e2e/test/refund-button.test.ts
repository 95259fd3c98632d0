// Refund from D365 in a real browser: in the PCF harness a Refund Agent refunds part of an invoice with the
// RefundButton → the Dataverse webhook → the proxy → the PayPal emulator records the refund → the Dataverse
// emulator holds the refund transaction, ledger lines and a Refunded credit memo → the control shows Refunded.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHarness, type Harness } from '@ppc/harness';
import { prerequisitesMet, waitFor } from '@ppc/test-support';
import { chromium, type BrowserContext } from 'playwright-core';
import { buyerPays, startLocalStack, type LocalStack } from '@ppc/stack';

const CHROMIUM = '/usr/bin/chromium';
const built = existsSync(
  join(import.meta.dirname, '..', '..', '..', 'pcf-controls', 'out', 'controls', 'RefundButton', 'bundle.js'),
);
const run = prerequisitesMet('refund browser e2e', [
  !existsSync(CHROMIUM) && `${CHROMIUM} not found (apt-get install chromium)`,
  !built && 'pcf-controls are not built (npm run build)',
]);

type Row = Record<string, unknown>;

(run ? describe : describe.skip)('RefundButton → proxy → PayPal → Dataverse (chromium)', () => {
  let stack: LocalStack;
  let starting: Promise<LocalStack> | undefined;
  let harness: Harness;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    starting = startLocalStack();
    stack = await starting;
    harness = await createHarness({ dataverseUrl: stack.dataverse.url });
    profile = await mkdtemp(join(tmpdir(), 'ppc-e2e-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      viewport: { width: 1100, height: 800 },
    });
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    await harness?.close();
    // A start that outlived its hook's timeout is awaited and closed here too: it would keep jest alive.
    await (await starting?.catch(() => undefined))?.close();
  });

  it('a Refund Agent refunds a 10.00 credit memo of a 40.00 USD invoice (its own amount) and sees Refunded', async () => {
    const token = await stack.paypalToken();
    const purchase = await buyerPays(stack.paypal.url, token, {
      currency: 'USD',
      items: [{ sku: 'SKU-MUG', name: 'Coffee mug', quantity: 1, unitValue: '40.00' }],
      payer: { payer_id: 'BRWSERBUYER23', email: 'browser.buyer@example.com' },
    });
    const txn = await waitFor(
      async () => {
        const [t] = await stack.admin.list<Row>(
          'ppc_paypaltransactions',
          `$filter=ppc_paypalid eq '${purchase.captureId}' and statuscode eq 416500010`,
        );
        return t;
      },
      30_000,
      'capture in Dataverse',
    );
    const [usd] = await stack.admin.list<Row>('transactioncurrencies', "$filter=isocurrencycode eq 'USD'");
    const agent = await stack.dataverse.tokenFor('refundagent');
    const res = await fetch(`${stack.dataverse.apiUrl}ppc_creditmemos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        ppc_name: 'CM browser',
        // a partial credit memo: the control refunds the memo's own amount
        ppc_amount: 10,
        ppc_origin: 416500030,
        'transactioncurrencyid@odata.bind': `/transactioncurrencies(${String(usd!.transactioncurrencyid)})`,
        'ppc_invoiceid@odata.bind': `/invoices(${String(txn._ppc_invoiceid_value)})`,
        'ppc_transactionid@odata.bind': `/ppc_paypaltransactions(${String(txn.ppc_paypaltransactionid)})`,
      }),
    });
    expect(res.status).toBe(204);
    const memoId = /\(([0-9a-f-]{36})\)/.exec(res.headers.get('odata-entityid') ?? '')![1]!;

    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${harness.url}/form?control=RefundButton&entity=ppc_creditmemo&id=${memoId}&user=refundagent`);
    await page.getByRole('button', { name: 'Request refund of $10.00' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Refund' }).click();
    await page.getByText('Refunded $10.00.').waitFor({ timeout: 30_000 });
    await page.close();

    const memo = await stack.admin.get<Row>(`ppc_creditmemos(${memoId})`);
    expect(memo).toMatchObject({ statecode: 1, statuscode: 2 });
    expect(Number(memo.ppc_amount)).toBe(10);
    const refundId = String(memo.ppc_paypalrefundid);
    const refund = (await (
      await fetch(`${stack.paypal.url}/v2/payments/refunds/${refundId}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as Row;
    expect(refund).toMatchObject({ status: 'COMPLETED', amount: { currency_code: 'USD', value: '10.00' } });
    const [rt] = await stack.admin.list<Row>('ppc_paypaltransactions', `$filter=ppc_paypalid eq '${refundId}'`);
    expect(rt).toMatchObject({ ppc_kind: 416500002, _ppc_parenttransactionid_value: txn.ppc_paypaltransactionid });
    const lines = await stack.admin.list<Row>('ppc_ledgerentries', `$filter=ppc_sourceid eq '${refundId}'`);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const sum = lines.reduce(
      (s, l) => s + (l.ppc_side === 416500260 ? 1 : -1) * Math.round(Number(l.ppc_amount) * 100),
      0,
    );
    expect(sum).toBe(0);
  }, 120_000);
});
