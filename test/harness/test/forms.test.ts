// Browser tests: the built controls in the harness against a live Dataverse emulator, as the five users
// (sales, finance, refund agent, payout approver, no roles), in every payment state the demo data holds, in
// en-US and de-DE, with the keyboard and at 400 px. Each test is named "<control> · <user> · <state> · <locale>";
// screenshots of every one go to test/harness/test-results/ (git-ignored).
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
const CREDIT_MEMO_APPROVED = 416500024;
const CREDIT_MEMO_REFUNDED = 2;
const RAW_PRIVILEGE_ERROR = /Principal user|prvRead|OTC=/;

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
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await dataverse?.close();
  });

  interface Opened {
    page: Page;
    /** requests that left the harness (a CDN, PayPal…): none may */
    external: string[];
    fonts: number[];
  }

  async function open(
    control: string,
    entity: string,
    id: string,
    user: string,
    options: { lang?: 1031; width?: number } = {},
  ): Promise<Opened> {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    if (options.width) await page.setViewportSize({ width: options.width, height: 900 });
    const errors: string[] = [];
    const external: string[] = [];
    const fonts: number[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith(harness.url)) external.push(r.url());
    });
    page.on('response', (r) => {
      if (r.url().includes('/vendor/fonts/')) fonts.push(r.status());
    });
    await page.goto(
      `${harness.url}/form?control=${control}&entity=${entity}&id=${id}&user=${user}${options.lang ? `&lang=${options.lang}` : ''}`,
    );
    await page.locator('#control').locator('*').first().waitFor();
    expect(errors).toEqual([]);
    return { page, external, fonts };
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

  /** The proxy's final write on a credit memo (no proxy runs here; test/e2e covers the whole path). */
  async function proxyWrites(memoId: string, body: Record<string, unknown>): Promise<void> {
    const integration = await dataverse.tokenFor('integration');
    const done = await fetch(`${dataverse.apiUrl}ppc_creditmemos(${memoId})`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${integration}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(done.status).toBe(204);
  }

  const focusedName = async (page: Page) =>
    String(await page.evaluate('document.activeElement?.textContent?.trim() ?? ""'));

  async function tabTo(page: Page, name: string, max = 25): Promise<void> {
    for (let i = 0; i < max && (await focusedName(page)) !== name; i++) await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe(name);
  }

  // ── PaymentStatus ────────────────────────────────────────────────────────────────────────────────

  it('PaymentStatus · finance · partially refunded, disputed, high risk · en-US', async () => {
    const { page, external } = await open('PaymentStatus', 'salesorder', demo.salesOrderId, 'financeuser');
    const amounts = page.getByRole('region', { name: 'Transaction currency' });
    await amounts.waitFor();
    // fee and net after the 25.00 refund (0.87 of the fee returned), in the user's currency format
    expect(await amounts.innerText()).toMatch(
      /Gross\s*€100\.00[\s\S]*Refunded\s*€25\.00[\s\S]*Fee\s*€2\.62[\s\S]*Net kept\s*€72\.38/,
    );
    expect(await page.getByRole('region', { name: 'Base currency' }).innerText()).toMatch(/Gross\s*\$108\.70/);
    expect(await page.getByLabel('Payment status').innerText()).toBe('Partially refunded');
    expect(await page.getByLabel('Fraud risk').innerText()).toBe('High risk (82)');
    expect(await page.getByLabel('Dispute', { exact: true }).innerText()).toBe(
      'Dispute: waiting for our response €25.00',
    );
    const dispute = await page.getByRole('region', { name: 'Dispute details' }).innerText();
    expect(dispute).toMatch(/Disputed amount\s*€25\.00/);
    expect(dispute).toMatch(/Reason\s*Merchandise|Reason\s*\S+/);
    expect(dispute).toMatch(/Respond by\s*\d+\/\d+\/\d+/);
    expect(await page.getByRole('region', { name: 'Refunds' }).innerText()).toMatch(/€25\.00 · .*REF-/);
    expect(await page.getByText(/buyer-.*@example\.com/).count()).toBe(1);
    expect(await page.getByRole('link', { name: /^Open CAP-.* in PayPal$/ }).getAttribute('href')).toMatch(
      /^https:\/\/www\.sandbox\.paypal\.com\/activity\/payment\/CAP-/,
    );
    // icons come from the harness (node_modules), nothing from a CDN
    expect(external).toEqual([]);
    await shot(page, 'PaymentStatus-finance-partiallyRefunded-en');
    await page.close();
  });

  it('PaymentStatus · finance · partially refunded, disputed · de-DE (invoice)', async () => {
    const { page } = await open('PaymentStatus', 'invoice', demo.invoiceId, 'financeuser', { lang: 1031 });
    const amounts = page.getByRole('region', { name: 'Transaktionswährung' });
    await amounts.waitFor();
    expect(await amounts.innerText()).toMatch(/Brutto\s*100,00\s€[\s\S]*Gebühr\s*2,62\s€/);
    expect(await page.getByLabel('Konflikt', { exact: true }).innerText()).toMatch(
      /^Konflikt: wartet auf unsere Antwort 25,00\s€$/,
    );
    expect(await page.getByText('Konflikt: Open').count()).toBe(0);
    await shot(page, 'PaymentStatus-finance-partiallyRefunded-de');
    await page.close();
  });

  it('PaymentStatus · finance · declined · en-US', async () => {
    const { page, external, fonts } = await open('PaymentStatus', 'salesorder', demo.declinedOrderId, 'financeuser');
    await page.getByLabel('Payment status').filter({ hasText: 'Declined' }).waitFor();
    await page
      .getByText('PayPal declined the payment (the card or account was declined): no money was taken.', {
        exact: false,
      })
      .waitFor();
    const amounts = await page.getByRole('region', { name: 'Transaction currency' }).innerText();
    expect(amounts).toMatch(/Net kept\s*no money moved/);
    expect(amounts).not.toMatch(/Fee/);
    // the message bar's icon comes from Fluent's MDL2 font, served by the harness from node_modules
    await page.evaluate('document.fonts.ready');
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((s) => s === 200 || s === 304)).toBe(true);
    expect(
      await page.evaluate(
        'document.fonts.check("16px FabricMDL2Icons-0") || document.fonts.check("16px FabricMDL2Icons")',
      ),
    ).toBe(true);
    expect(external).toEqual([]);
    await shot(page, 'PaymentStatus-finance-declined-en');
    await page.close();
  });

  it('PaymentStatus · finance · pending (PENDING_REVIEW) · de-DE', async () => {
    const { page } = await open('PaymentStatus', 'salesorder', demo.pendingOrderId, 'financeuser', { lang: 1031 });
    await page.getByLabel('Zahlungsstatus').filter({ hasText: 'Ausstehend' }).waitFor();
    await page
      .getByText('PayPal hat das Geld noch nicht freigegeben: PayPal prüft die Zahlung.', { exact: false })
      .waitFor();
    await shot(page, 'PaymentStatus-finance-pending-de');
    await page.close();
  });

  it.each(['salesuser', 'noroles'])('PaymentStatus · %s · no PayPal Viewer role · en-US', async (user) => {
    const { page } = await open('PaymentStatus', 'salesorder', demo.salesOrderId, user);
    await page
      .getByText('You cannot see PayPal payments: ask your administrator for the PayPal Viewer role.')
      .waitFor();
    expect(await page.locator('#control').innerText()).not.toMatch(RAW_PRIVILEGE_ERROR);
    expect(await page.locator('#control').innerText()).not.toMatch(/100\.00|CAP-/);
    await shot(page, `PaymentStatus-${user}-noAccess-en`);
    await page.close();
  });

  // ── FraudScore ───────────────────────────────────────────────────────────────────────────────────

  it('FraudScore · finance · sales order scored 82 (same payment as PaymentStatus) · en-US, then Mark safe shows in PaymentStatus', async () => {
    const fresh = await seedDemo(dataverse.url, { payoutCreator: FIN_APPROVER.key });
    const { page } = await open('FraudScore', 'salesorder', fresh.salesOrderId, 'financeuser');
    const meter = page.getByRole('meter', { name: 'Fraud score' });
    await meter.waitFor();
    expect(await meter.getAttribute('aria-valuetext')).toBe('High risk (82)');
    expect(await page.getByRole('region', { name: 'Reasons' }).getByRole('listitem').allInnerTexts()).toEqual([
      'Payer, shipping and currency countries do not match',
      'First purchase of this customer, at a high value',
    ]);
    const confirm = page.getByRole('button', { name: 'Confirm fraud' });
    expect(await confirm.getAttribute('class')).not.toMatch(/ms-Button--primary/);
    await page.getByRole('textbox', { name: 'Review notes' }).fill('customer called, known address');
    await page.getByRole('button', { name: 'Mark safe' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('The alert closes and the payment shows as reviewed safe', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Mark safe' }).click();
    await page.getByText('Reviewed by', { exact: true }).waitFor();
    expect(await page.getByRole('region', { name: 'Fraud score' }).innerText()).toMatch(
      /Review outcome\s*Marked safe[\s\S]*Reviewed by\s*Finley Finance[\s\S]*Review notes\s*customer called, known address/,
    );
    await shot(page, 'FraudScore-finance-markedSafe-en');
    await page.close();

    const status = await open('PaymentStatus', 'salesorder', fresh.salesOrderId, 'financeuser');
    await status.page.getByLabel('Fraud risk').filter({ hasText: 'Reviewed: safe (82)' }).waitFor();
    await shot(status.page, 'PaymentStatus-finance-afterMarkSafe-en');
    await status.page.close();
  });

  it('FraudScore · refund agent · scored, no alert access · de-DE', async () => {
    const { page } = await open('FraudScore', 'salesorder', demo.salesOrderId, 'refundagent', { lang: 1031 });
    await page.getByRole('meter').waitFor();
    expect(await page.getByRole('listitem').allInnerTexts()).toContain(
      'Länder von Zahler, Lieferung und Währung passen nicht zusammen',
    );
    expect(await page.locator('#control').innerText()).not.toMatch(RAW_PRIVILEGE_ERROR);
    await shot(page, 'FraudScore-refundagent-scored-de');
    await page.close();
  });

  it('FraudScore · sales · no PayPal Viewer role · en-US', async () => {
    const { page } = await open('FraudScore', 'ppc_paypaltransaction', demo.captureId, 'salesuser');
    await page
      .getByText('You cannot see PayPal payments: ask your administrator for the PayPal Viewer role.')
      .waitFor();
    await shot(page, 'FraudScore-salesuser-noAccess-en');
    await page.close();
  });

  // ── RefundButton ─────────────────────────────────────────────────────────────────────────────────

  it("RefundButton · refund agent · draft 40 EUR memo on 75 EUR refundable · en-US: requests the memo's amount, never rewrites it", async () => {
    const { page } = await open('RefundButton', 'ppc_creditmemo', demo.creditMemoId, 'refundagent');
    const region = page.getByRole('region', { name: 'PayPal refund' });
    await region.waitFor();
    expect(await region.innerText()).toMatch(/Credit memo amount\s*€40\.00[\s\S]*Refundable\s*€75\.00/);
    await page.getByText('This payment has an open PayPal dispute', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Request refund of €40.00' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText("Refund €40.00, the credit memo's amount", { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Refund' }).click();
    await page.getByText('Refund of €40.00 requested, waiting for PayPal…').waitFor();
    expect(await row('ppc_creditmemos', demo.creditMemoId, 'statuscode,ppc_amount')).toMatchObject({
      statuscode: CREDIT_MEMO_REFUND_REQUESTED,
      ppc_amount: 40,
    });
    expect(JSON.parse((await page.getByTestId('outputs').textContent()) ?? '')).toEqual({ requestedAmount: 40 });
    await shot(page, 'RefundButton-refundagent-requested-en');
    await proxyWrites(demo.creditMemoId, { statecode: 1, statuscode: CREDIT_MEMO_REFUNDED });
    await page.getByText('Refunded €40.00.').waitFor({ timeout: 15_000 });
    await shot(page, 'RefundButton-refundagent-refunded-en');
    await page.close();
  });

  it('RefundButton · refund agent · draft · en-US · keyboard only', async () => {
    const fresh = await seedDemo(dataverse.url, { payoutCreator: FIN_APPROVER.key });
    const { page } = await open('RefundButton', 'ppc_creditmemo', fresh.creditMemoId, 'refundagent');
    await page.getByRole('button', { name: 'Request refund of €40.00' }).waitFor();
    await tabTo(page, 'Request refund of €40.00');
    await page.keyboard.press('Enter');
    await page
      .getByRole('alertdialog')
      .getByText("Refund €40.00, the credit memo's amount", { exact: false })
      .waitFor();
    await tabTo(page, 'Refund', 6);
    await page.keyboard.press('Enter');
    await page.getByText('Refund of €40.00 requested, waiting for PayPal…').waitFor();
    expect(await row('ppc_creditmemos', fresh.creditMemoId, 'statuscode,ppc_amount')).toMatchObject({
      statuscode: CREDIT_MEMO_REFUND_REQUESTED,
      ppc_amount: 40,
    });
    await page.close();
  });

  it('RefundButton · refund agent · declined capture · en-US: nothing offered, says why', async () => {
    const { page } = await open('RefundButton', 'ppc_creditmemo', demo.declinedMemoId, 'refundagent');
    await page
      .getByText('No refund possible: PayPal declined this payment, so no money was taken.', { exact: false })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Request refund of $24.00' }).isDisabled()).toBe(true);
    await shot(page, 'RefundButton-refundagent-declined-en');
    await page.close();
  });

  it('RefundButton · finance (not the requester) · pending approval · en-US: Approve and Reject', async () => {
    const { page } = await open('RefundButton', 'ppc_creditmemo', demo.approvalMemoId, 'financeuser');
    await page.getByText('Waiting for approval: the refund of €60.00', { exact: false }).waitFor();
    expect(await page.getByText('Requested by Riley Refunds', { exact: false }).count()).toBe(1);
    await page.getByRole('button', { name: 'Reject' }).click();
    await page.getByText('Enter a comment to reject the refund.').waitFor();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Approved by', { exact: false }).waitFor();
    expect(await row('ppc_creditmemos', demo.approvalMemoId, 'statuscode,ppc_amount')).toMatchObject({
      statuscode: CREDIT_MEMO_APPROVED,
      ppc_amount: 60,
    });
    await shot(page, 'RefundButton-finance-approved-en');
    await page.close();
  });

  it('RefundButton · refund agent (the requester) · pending approval · de-DE: waits, no approval', async () => {
    const fresh = await seedDemo(dataverse.url, { payoutCreator: FIN_APPROVER.key });
    const { page } = await open('RefundButton', 'ppc_creditmemo', fresh.approvalMemoId, 'refundagent', { lang: 1031 });
    await page.getByText('Wartet auf Freigabe', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Freigeben' }).count()).toBe(0);
    await shot(page, 'RefundButton-refundagent-pendingApproval-de');
    await page.close();
  });

  it("RefundButton · refund agent · PayPal refused · de-DE at 400 px: PayPal's refusal in words", async () => {
    const { page } = await open('RefundButton', 'ppc_creditmemo', demo.failedMemoId, 'refundagent', {
      lang: 1031,
      width: 400,
    });
    await page.getByText('PayPal hat abgelehnt: Diese Zahlung kann nicht erstattet werden', { exact: false }).waitFor();
    expect(await page.locator('#control').innerText()).not.toMatch(/answered 422|POST \/v2/);
    // nothing wider than the viewport, in the control or on the page
    expect(Number(await page.evaluate('document.getElementById("control").scrollWidth'))).toBeLessThanOrEqual(
      Number(await page.evaluate('document.getElementById("control").clientWidth')),
    );
    const wide = await page.evaluate(
      '[...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > 401).map((e) => e.tagName + "." + e.className).slice(0, 5)',
    );
    expect(wide).toEqual([]);
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(400);
    await shot(page, 'RefundButton-refundagent-failed-de-400px');
    await page.close();
  });

  it.each(['salesuser', 'noroles'])('RefundButton · %s · no access · en-US', async (user) => {
    const { page } = await open('RefundButton', 'ppc_creditmemo', demo.creditMemoId, user);
    await page.getByText('You cannot see credit memos: ask your administrator for the PayPal Viewer role.').waitFor();
    expect(await page.locator('#control').innerText()).not.toMatch(RAW_PRIVILEGE_ERROR);
    await shot(page, `RefundButton-${user}-noAccess-en`);
    await page.close();
  });

  // ── CustomerSpend ────────────────────────────────────────────────────────────────────────────────

  it('CustomerSpend · sales · customer with payments and a refund · en-US', async () => {
    const { page } = await open('CustomerSpend', 'account', demo.accountId, 'salesuser');
    const region = page.getByRole('region', { name: 'PayPal spend' });
    await region.waitFor();
    const text = await region.innerText();
    expect(text).toMatch(/Paid \(gross\)\s*\$1,261\.68/);
    expect(text).toMatch(/Net spend \(after refunds\)\s*\$1,234\.50/);
    expect(text).toMatch(/Refund ratio\s*2\.2%/);
    const months = page.getByRole('list', { name: 'Spend per month, last 12 months' }).getByRole('listitem');
    expect(await months.count()).toBe(12);
    // month with year and its value as visible text
    expect(await months.last().innerText()).toMatch(/^[A-Z][a-z]+ \d{4}\s+\$100\.00$/);
    await shot(page, 'CustomerSpend-salesuser-account-en');
    await page.close();
  });

  it('CustomerSpend · finance · customer · de-DE', async () => {
    const { page } = await open('CustomerSpend', 'contact', demo.contactId, 'financeuser', { lang: 1031 });
    const region = page.getByRole('region', { name: 'PayPal-Umsatz' });
    await region.waitFor();
    expect(await region.innerText()).toMatch(/2,2\s%/);
    expect(await region.innerText()).toMatch(/1\.234,50\s\$/);
    await shot(page, 'CustomerSpend-finance-contact-de');
    await page.close();
  });

  // ── PayoutApproval ───────────────────────────────────────────────────────────────────────────────

  it('PayoutApproval · creator (finance + approver) · pending · en-US: refused, warnings and items listed', async () => {
    const { page } = await open('PayoutApproval', 'ppc_payoutbatch', demo.payoutBatchId, FIN_APPROVER.key);
    await page.getByText('You created this batch: another Payout Approver must approve it.').waitFor();
    expect(await page.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true);
    expect(await page.getByRole('list', { name: 'Warnings' }).getByRole('listitem').allInnerTexts()).toEqual([
      'big@example.com gets $25,000.00, above the item limit.',
      'Receiver vendor-a@example.com appears 2 times.',
    ]);
    expect(await page.getByRole('region', { name: 'Items' }).getByRole('listitem').count()).toBe(3);
    await shot(page, 'PayoutApproval-creator-pending-en');
    await page.close();
  });

  it('PayoutApproval · payout approver · pending with warnings · en-US: confirmation names each warning', async () => {
    const { page } = await open('PayoutApproval', 'ppc_payoutbatch', demo.payoutBatchId, 'payoutapprover');
    await page.getByRole('textbox', { name: 'Approval comment' }).fill('checked against vendor bills');
    await page.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('big@example.com gets $25,000.00, above the item limit.').waitFor();
    await dialog.getByText('Receiver vendor-a@example.com appears 2 times.').waitFor();
    await shot(page, 'PayoutApproval-payoutapprover-confirm-en');
    await dialog.getByRole('button', { name: 'Approve anyway' }).click();
    await page.getByLabel('Batch status').filter({ hasText: 'Approved' }).waitFor();
    expect(await row('ppc_payoutbatches', demo.payoutBatchId, 'statuscode,ppc_approvalcomment')).toMatchObject({
      statuscode: 416500101,
      ppc_approvalcomment: 'checked against vendor bills',
    });
    await page.close();
  });

  it('PayoutApproval · payout approver · empty batch · de-DE: cannot be approved', async () => {
    const { page } = await open('PayoutApproval', 'ppc_payoutbatch', demo.emptyBatchId, 'payoutapprover', {
      lang: 1031,
    });
    await page.getByText('Dieser Stapel hat keine Positionen: Es gibt nichts freizugeben.').waitFor();
    expect(await page.getByRole('button', { name: 'Freigeben' }).isDisabled()).toBe(true);
    await shot(page, 'PayoutApproval-payoutapprover-empty-de');
    await page.close();
  });

  it('PayoutApproval · payout approver · pending with warnings · en-US at 400 px · keyboard only', async () => {
    const fresh = await seedDemo(dataverse.url, { payoutCreator: FIN_APPROVER.key });
    const { page } = await open('PayoutApproval', 'ppc_payoutbatch', fresh.payoutBatchId, 'payoutapprover', {
      width: 400,
    });
    await page.getByRole('button', { name: 'Approve' }).waitFor();
    await tabTo(page, 'Approve');
    await page.keyboard.press('Enter');
    await page.getByRole('alertdialog').getByText('Receiver vendor-a@example.com appears 2 times.').waitFor();
    await tabTo(page, 'Approve anyway', 8);
    await page.keyboard.press('Enter');
    await page.getByLabel('Batch status').filter({ hasText: 'Approved' }).waitFor();
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(400);
    await shot(page, 'PayoutApproval-payoutapprover-approved-en-400px');
    await page.close();
  });
});
