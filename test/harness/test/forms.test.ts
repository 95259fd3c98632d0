// Browser tests: the built controls in the harness against a live Dataverse
// emulator, as different users. Screenshots of every control go to test/harness/test-results/.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from '@ppc/dataverse-emulator';
import type { DataverseEmulator } from '@ppc/dataverse-emulator';
import { prerequisitesMet } from '@ppc/test-support';
import type { BrowserContext, Page } from 'playwright-core';
import { createHarness, repairRoleAssignments, seedDemo } from '../src/index.ts';
import type { DemoRecords, Harness } from '../src/index.ts';
import { hasChromium, launch, CHROMIUM } from './browser.ts';

const results = join(import.meta.dirname, '..', 'test-results');
const controlsBuilt = existsSync(
  join(import.meta.dirname, '..', '..', '..', 'pcf-controls', 'out', 'controls', 'RefundButton', 'bundle.js'),
);
const run = prerequisitesMet('harness browser tests', [
  !hasChromium && `${CHROMIUM} not found (apt-get install chromium)`,
  !controlsBuilt && 'pcf-controls are not built (npm run build)',
]);

/** A Finance user who is also a Payout Approver: creates the batch, so four-eyes must stop them. */
const FIN_APPROVER = {
  key: 'finapprover',
  systemuserid: '5f0c7a6e-0000-4000-8000-0000000000f1',
  azureObjectId: '5f0c7a6e-0000-4000-8000-0000000000f2',
  fullname: 'Frankie Four-Eyes',
  email: 'fourEyes@emulator.local',
  roles: ['Salesperson', 'PayPal Finance', 'Payout Approver'],
};

const CREDIT_MEMO_REFUND_REQUESTED = 416500021;
const CREDIT_MEMO_REFUNDED = 2;

(run ? describe : describe.skip)('PCF controls in the form harness (chromium)', () => {
  let dataverse: DataverseEmulator;
  let harness: Harness;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let demo: DemoRecords;

  beforeAll(async () => {
    await mkdir(results, { recursive: true });
    dataverse = await createServer({ port: 0, users: [FIN_APPROVER] });
    await repairRoleAssignments(dataverse.url);
    demo = await seedDemo(dataverse.url, { payoutCreator: FIN_APPROVER.key });
    harness = await createHarness({ dataverseUrl: dataverse.url });
    browser = await launch();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await dataverse?.close();
  });

  async function open(control: string, entity: string, id: string, user: string): Promise<Page> {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${harness.url}/form?control=${control}&entity=${entity}&id=${id}&user=${user}`);
    await page.locator('#control').locator('*').first().waitFor();
    expect(errors).toEqual([]);
    return page;
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(results, `${name}.png`), fullPage: true });
  }

  async function row(set: string, id: string, select: string): Promise<Record<string, unknown>> {
    const token = await dataverse.tokenFor('admin');
    const response = await fetch(`${dataverse.apiUrl}${set}(${id})?$select=${select}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return (await response.json()) as Record<string, unknown>;
  }

  it('PaymentStatus shows the capture amounts in transaction and base currency, timeline, dispute and fraud band', async () => {
    const page = await open('PaymentStatus', 'salesorder', demo.salesOrderId, 'financeuser');
    const amounts = page.getByRole('region', { name: 'Transaction currency' });
    await amounts.waitFor();
    expect(await amounts.innerText()).toMatch(/Gross\s*100\.00 EUR[\s\S]*Fee\s*3\.49 EUR[\s\S]*Net\s*96\.51 EUR/);
    expect(await page.getByRole('region', { name: 'Base currency' }).innerText()).toMatch(/Gross\s*108\.70 USD/);
    expect(await page.getByLabel('Payment status').innerText()).toBe('Partially refunded');
    expect(await page.getByLabel('Fraud risk').innerText()).toBe('High risk (82)');
    expect(await page.getByRole('region', { name: 'Timeline' }).getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringMatching(/^Captured · 100\.00 EUR/),
      expect.stringMatching(/^Refunded · 25\.00 EUR/),
    ]);
    await shot(page, 'PaymentStatus-salesorder-financeuser');
    await page.close();
  });

  it('CustomerSpend shows the customer totals and the 12-month chart, also to a sales user', async () => {
    const page = await open('CustomerSpend', 'account', demo.accountId, 'salesuser');
    const region = page.getByRole('region', { name: 'PayPal spend' });
    await region.waitFor();
    const text = await region.innerText();
    expect(text).toMatch(/Total spend\s*1,234\.50 USD/);
    expect(text).toMatch(/Payments\s*3/);
    expect(text).toMatch(/Refund ratio\s*2\.2 %/);
    expect(
      await page.getByRole('list', { name: 'Spend per month, last 12 months' }).getByRole('listitem').count(),
    ).toBe(12);
    await shot(page, 'CustomerSpend-account-salesuser');
    await page.close();
  });

  it('RefundButton as a Refund Agent moves the credit memo to Refund requested', async () => {
    const page = await open('RefundButton', 'ppc_creditmemo', demo.creditMemoId, 'refundagent');
    await page.getByRole('radio', { name: 'Partial refund' }).check();
    await page.getByRole('textbox', { name: 'Amount (EUR)' }).fill('10.005');
    await page.getByText('EUR amounts have at most 2 decimal places.').waitFor();
    expect(await page.getByRole('button', { name: 'Request refund' }).isDisabled()).toBe(true);
    await page.getByRole('textbox', { name: 'Amount (EUR)' }).fill('10.00');
    await page.getByRole('button', { name: 'Request refund' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Refund' }).click();
    await page.getByText('Refund of 10.00 EUR requested, waiting for PayPal…').waitFor();
    expect(await row('ppc_creditmemos', demo.creditMemoId, 'statuscode,ppc_amount')).toMatchObject({
      statuscode: CREDIT_MEMO_REFUND_REQUESTED,
      ppc_amount: 10,
    });
    expect(JSON.parse((await page.getByTestId('outputs').textContent()) ?? '')).toEqual({ requestedAmount: 10 });
    await shot(page, 'RefundButton-creditmemo-refundagent');

    // No proxy runs in this harness, so the test plays the proxy's final write (the whole path through the
    // proxy is test/e2e/test/refund-button.test.ts): the control keeps polling and shows the outcome.
    const integration = await dataverse.tokenFor('integration');
    const done = await fetch(`${dataverse.apiUrl}ppc_creditmemos(${demo.creditMemoId})`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${integration}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ statecode: 1, statuscode: CREDIT_MEMO_REFUNDED }),
    });
    expect(done.status).toBe(204);
    await page.getByText('Refunded 10.00 EUR.').waitFor({ timeout: 15_000 });
    await shot(page, 'RefundButton-creditmemo-refunded');
    await page.close();
  });

  it('shows German strings and number format for a German user (lang=1031)', async () => {
    const page = await browser.context.newPage();
    await page.goto(
      `${harness.url}/form?control=PaymentStatus&entity=invoice&id=${demo.invoiceId}&user=financeuser&lang=1031`,
    );
    const amounts = page.getByRole('region', { name: 'Transaktionswährung' });
    await amounts.waitFor();
    expect(await amounts.innerText()).toMatch(/Brutto\s*100,00 EUR[\s\S]*Gebühr\s*3,49 EUR/);
    await shot(page, 'PaymentStatus-invoice-de');
    await page.close();
  });

  it('RefundButton works with the keyboard alone (full refund)', async () => {
    const fresh = await seedDemo(dataverse.url, { payoutCreator: FIN_APPROVER.key });
    const page = await open('RefundButton', 'ppc_creditmemo', fresh.creditMemoId, 'refundagent');
    await page.getByRole('button', { name: 'Request refund' }).waitFor();
    // evaluated in the page (this project's TypeScript has no DOM lib)
    const focusedName = async () => String(await page.evaluate('document.activeElement?.textContent?.trim() ?? ""'));
    for (let i = 0; i < 20 && (await focusedName()) !== 'Request refund'; i++) await page.keyboard.press('Tab');
    expect(await focusedName()).toBe('Request refund');
    await page.keyboard.press('Enter');
    // the alertdialog element itself has no box of its own (Fluent Modal), so wait for its content
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Refund 75.00 EUR to the customer through PayPal. This cannot be undone.').waitFor();
    const trail: string[] = [];
    for (let i = 0; i < 6 && (await focusedName()) !== 'Refund'; i++) {
      trail.push(await focusedName());
      await page.keyboard.press('Tab');
    }
    expect({ focused: await focusedName(), trail }).toEqual({ focused: 'Refund', trail: expect.any(Array) });
    await page.keyboard.press('Enter');
    await page.getByText('Refund of 75.00 EUR requested, waiting for PayPal…').waitFor();
    expect(await row('ppc_creditmemos', fresh.creditMemoId, 'statuscode,ppc_amount')).toMatchObject({
      statuscode: CREDIT_MEMO_REFUND_REQUESTED,
      ppc_amount: 75,
    });
    await page.close();
  });

  it('RefundButton is disabled with an explanation for a sales user', async () => {
    const fresh = await seedDemo(dataverse.url, { payoutCreator: FIN_APPROVER.key });
    const page = await open('RefundButton', 'ppc_creditmemo', fresh.creditMemoId, 'salesuser');
    await page.getByText('You cannot request refunds: this needs the Refund Agent role.').waitFor();
    expect(await page.getByRole('button', { name: 'Request refund' }).isDisabled()).toBe(true);
    await shot(page, 'RefundButton-creditmemo-salesuser');
    await page.close();
  });

  it('PayoutApproval refuses approval by the batch creator and lets another approver approve', async () => {
    const own = await open('PayoutApproval', 'ppc_payoutbatch', demo.payoutBatchId, FIN_APPROVER.key);
    await own.getByText('You created this batch: another Payout Approver must approve it.').waitFor();
    expect(await own.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true);
    expect(await own.getByRole('list', { name: 'Warnings' }).getByRole('listitem').allInnerTexts()).toEqual([
      'big@example.com gets 25,000.00 USD, above the item limit.',
      'Receiver vendor-a@example.com appears 2 times.',
    ]);
    await shot(own, 'PayoutApproval-payoutbatch-creator');
    await own.close();

    const other = await open('PayoutApproval', 'ppc_payoutbatch', demo.payoutBatchId, 'payoutapprover');
    await other.getByRole('textbox', { name: 'Approval comment' }).fill('checked against vendor bills');
    await other.getByRole('button', { name: 'Approve' }).click();
    await other.getByLabel('Batch status').filter({ hasText: 'Approved' }).waitFor();
    expect(await row('ppc_payoutbatches', demo.payoutBatchId, 'statuscode,ppc_approvalcomment')).toMatchObject({
      statuscode: 416500101,
      ppc_approvalcomment: 'checked against vendor bills',
    });
    await shot(other, 'PayoutApproval-payoutbatch-approver');
    await other.close();
  });

  it('FraudScore shows the gauge, band and reasons of a transaction', async () => {
    const page = await open('FraudScore', 'ppc_paypaltransaction', demo.captureId, 'financeuser');
    const meter = page.getByRole('meter', { name: 'Fraud score' });
    await meter.waitFor();
    expect(await meter.getAttribute('aria-valuetext')).toBe('High risk (82)');
    expect(await page.getByRole('region', { name: 'Reasons' }).getByRole('listitem').allInnerTexts()).toEqual([
      'Billing and shipping country differ',
      'First purchase above 50 EUR',
    ]);
    expect(await page.getByRole('button', { name: 'Confirm fraud' }).isEnabled()).toBe(true);
    await shot(page, 'FraudScore-transaction-financeuser');
    await page.close();
  });
});
