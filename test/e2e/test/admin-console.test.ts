// The admin console in chromium (issue #14, Must show 2): sign in with the admin token (a wrong one first), a
// dead letter (a refund PayPal failed with 500) is listed with its error and payload, replayed from the console,
// and gone; the credit memo ends Refunded; a parked event is listed. Screenshots of each step are kept as test
// output in test/e2e/test-results/admin-console/ (gitignored).
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { prerequisitesMet, waitFor } from '@ppc/test-support';
import { chromium, type BrowserContext } from 'playwright-core';
import { buyerPays, dataverseAdmin, startLocalStack, type LocalStack } from '@ppc/stack';
import { CreditMemoStatus } from '@ppc/solution';

const CHROMIUM = '/usr/bin/chromium';
const run = prerequisitesMet('admin console browser e2e', [
  !existsSync(CHROMIUM) && `${CHROMIUM} not found (apt-get install chromium)`,
]);
const SHOTS = join(import.meta.dirname, '..', 'test-results', 'admin-console');
const ADMIN_TOKEN = 'admin-console-test-token-0123456789';

type Row = Record<string, unknown>;

(run ? describe : describe.skip)('admin console (chromium)', () => {
  let stack: LocalStack;
  let starting: Promise<LocalStack> | undefined;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    starting = startLocalStack({ proxyEnv: { ADMIN_TOKEN, JOB_MAX_ATTEMPTS: '2' } });
    stack = await starting;
    profile = await mkdtemp(join(tmpdir(), 'ppc-e2e-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      viewport: { width: 1280, height: 900 },
    });
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    await (await starting?.catch(() => undefined))?.close();
  });

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(path, stack.paypal.url), {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  };

  it('signs in, lists a dead letter with payload, replays it (gone, memo Refunded), lists a parked event', async () => {
    // A dead letter: PayPal answers 500 on the refund a Refund Agent requests.
    const token = await stack.paypalToken();
    const purchase = await buyerPays(stack.paypal.url, token, {
      currency: 'USD',
      items: [{ sku: 'SKU-MUG', name: 'Coffee mug', quantity: 1, unitValue: '25.00' }],
      payer: { payer_id: 'CNSLEBUYER234', email: 'console.buyer@example.com' },
    });
    const txn = await waitFor(
      async () =>
        (
          await stack.admin.list<Row>(
            'ppc_paypaltransactions',
            `$filter=ppc_paypalid eq '${purchase.captureId}' and statuscode eq 416500010`,
          )
        )[0],
      30_000,
      'capture recorded',
    );
    const [usd] = await stack.admin.list<Row>('transactioncurrencies', "$filter=isocurrencycode eq 'USD'");
    const agent = dataverseAdmin(stack.dataverse.apiUrl, () => stack.dataverse.tokenFor('refundagent'));
    const memoId = await agent.create('ppc_creditmemos', {
      ppc_name: 'Console refund',
      ppc_amount: 5,
      ppc_origin: 416500030,
      'transactioncurrencyid@odata.bind': `/transactioncurrencies(${String(usd!.transactioncurrencyid)})`,
      'ppc_invoiceid@odata.bind': `/invoices(${String(txn._ppc_invoiceid_value)})`,
    });
    await control('POST', '/_emulator/faults', { route: 'POST /v2/payments/captures/*/refund', status: 500 });
    await agent.patch(`ppc_creditmemos(${memoId})`, { statuscode: CreditMemoStatus.RefundRequested });
    const { rows: letters } = await waitFor(
      async () => {
        const r = await stack.proxy.store.query<{ id: string }>(
          `SELECT id::text AS id FROM dead_letters WHERE replayed_at IS NULL`,
        );
        return r.rows.length ? r : undefined;
      },
      60_000,
      'a dead letter',
    );
    const letterId = letters[0]!.id;
    await control('DELETE', '/_emulator/faults');

    // A parked event: stored and acknowledged, its action without a flow in this process. Which PayPal types park
    // changes as flows are added, so the row is put in the store as the worker leaves one.
    await stack.proxy.store.query(
      `INSERT INTO inbox_events (source, event_id, event_type, known_type, status, payload, last_error)
       VALUES ('paypal', 'WH-PARKED-CONSOLE-1', 'PAYMENT.PAYOUTSBATCH.SUCCESS', true, 'parked', '{"id":"WH-PARKED-CONSOLE-1"}',
               'no flow registered for payout.batch_changed')`,
    );

    const page = await context.newPage();
    // Not signed in: the console sends the browser to the sign-in page; a wrong token is refused.
    await page.goto(`${stack.proxyUrl}/admin`);
    expect(page.url()).toBe(`${stack.proxyUrl}/admin/login`);
    await page.fill('input[name=token]', 'not-the-admin-token');
    await page.click('button[type=submit]');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('not the admin token');
    await page.screenshot({ path: join(SHOTS, '1-wrong-token.png') });
    await page.fill('input[name=token]', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.locator('#dead-letters').waitFor();
    expect(page.url()).toBe(`${stack.proxyUrl}/admin`);

    // The dead letter: its error and payload.
    const row = page.locator('#dead-letters tbody tr', { hasText: 'paypal_INTERNAL_SERVER_ERROR' });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('Update:ppc_creditmemo');
    await row.locator('summary').click();
    expect(await row.locator('pre').textContent()).toContain(memoId);
    // The parked event, and the integration event the dead letter was mirrored as.
    expect(await page.locator('#parked tbody tr', { hasText: 'WH-PARKED-CONSOLE-1' }).count()).toBe(1);
    expect(await page.locator('#integration-events').textContent()).toContain(
      'The refund of this credit memo was not made',
    );
    await page.screenshot({ path: join(SHOTS, '2-dead-letter-and-parked.png'), fullPage: true });

    // Replay: the letter is gone from the list, the refund is made.
    await row.getByRole('button', { name: `Replay dead letter ${letterId}` }).click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toContain(`Dead letter ${letterId} replayed`);
    expect(await page.locator('#dead-letters tbody tr', { hasText: 'paypal_INTERNAL_SERVER_ERROR' }).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, '3-replayed.png'), fullPage: true });
    await waitFor(
      async () => {
        const m = await agent.get<Row>(`ppc_creditmemos(${memoId})`);
        return m.statuscode === CreditMemoStatus.Refunded ? m : undefined;
      },
      60_000,
      'credit memo Refunded after the replay',
    );
    await page.reload();
    expect(await page.locator('#dead-letters').textContent()).toContain('No open dead letters.');
    expect(await page.locator('#money').textContent()).toContain('done');
    await page.screenshot({ path: join(SHOTS, '4-after-refund.png'), fullPage: true });

    // Signed out: the console is closed again.
    await page.click('header button[type=submit]');
    await page.goto(`${stack.proxyUrl}/admin`);
    expect(page.url()).toBe(`${stack.proxyUrl}/admin/login`);
    await page.close();
  }, 180_000);
});
