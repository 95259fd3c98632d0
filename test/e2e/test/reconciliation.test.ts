// Reconciliation end to end over real HTTP. One day in the PayPal emulator: captures in USD and EUR, a refund,
// a chargeback (reversal), a conversion EUR→USD, a withdrawal to the bank, a payout with its fee. One capture's
// webhook is never delivered (held in the emulator), and one booked amount is changed afterwards in Dataverse.
// The day's settlement report is written to the emulator's report folder, served by a real SFTP server
// (ssh2) as /ppreports/outgoing; the proxy fetches it over SFTP (ssh2-sftp-client) and runs the reconciliation:
// exactly two breaks (the missed payment, the changed amount); catch-up records the missed payment through
// order-to-cash and its break closes itself; the balances tie per currency; the FX loss of the conversion is posted.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSftpServer, waitFor, type SftpServer } from '@ppc/test-support';
import { buyerPays, dataverseAdmin, startLocalStack, type LocalStack } from '@ppc/stack';
import { ReconciliationRunStatus, ReconciliationSource } from '@ppc/solution';
import { dataverseEventsDone, emulatorControl } from './support.ts';

const ADMIN_TOKEN = 'recon-e2e-admin-token-0123456789';
let stack: LocalStack;
let starting: Promise<LocalStack> | undefined;
let sftp: SftpServer;
let dir: string;
let token: string;

type Row = Record<string, unknown>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ppc-recon-e2e-'));
  const reports = join(dir, 'outgoing');
  sftp = await startSftpServer({ root: reports });
  starting = startLocalStack({
    paypal: {
      reportsDir: reports,
      merchant: {
        accountId: 'MERCHANT23456',
        email: 'merchant@example.com',
        primaryCurrency: 'USD',
        receivingCurrencies: ['USD', 'EUR'],
      },
    },
    proxyEnv: {
      ADMIN_TOKEN,
      RECON_SFTP_HOST: sftp.host,
      RECON_SFTP_PORT: String(sftp.port),
      RECON_SFTP_USER: sftp.username,
      RECON_SFTP_PASSWORD: sftp.password,
      RECON_SFTP_HOST_KEY_SHA256: sftp.hostKeySha256,
      RECON_SPOOL_DIR: join(dir, 'spool'),
      // The emulator's Transaction Search has no availability lag (PayPal's is up to 3 h).
      RECON_SEARCH_LAG_HOURS: '0',
    },
  });
  stack = await starting;
  token = await stack.paypalToken();
}, 120_000);
afterAll(async () => {
  await (await starting?.catch(() => undefined))?.close();
  await sftp?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function paypal(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(new URL(path, stack.paypal.url), {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : {}) as Row;
}
const control = (path: string, body: unknown = {}) => emulatorControl(stack, path, body);
const admin = async (path: string, body?: unknown) => {
  const res = await fetch(`${stack.proxyUrl}/admin/reconciliation${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const json = (await res.json()) as Row;
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
};
const txnOf = (paypalId: string) =>
  stack.admin.list<Row>('ppc_paypaltransactions', `$filter=ppc_paypalid eq '${paypalId}'`).then((r) => r[0]);
const waitForTxn = (paypalId: string) =>
  waitFor(async () => txnOf(paypalId), 30_000, `transaction ${paypalId} in Dataverse`, 150);
const currencyId = async (iso: string) =>
  String(
    (
      await stack.admin.list<Row>(
        'transactioncurrencies',
        `$filter=isocurrencycode eq '${iso}'&$select=transactioncurrencyid`,
      )
    )[0]!.transactioncurrencyid,
  );
let payer = 0;
const pay = (currency: string, value: string) => {
  payer++;
  return buyerPays(stack.paypal.url, token, {
    currency,
    items: [{ sku: 'SKU-MUG', name: 'Coffee mug', quantity: 1, unitValue: value }],
    payer: { payer_id: `RECNBUYERS${'ABCDEFGHJK'[payer]}${'ABC'[payer % 3]}Z`, email: `recon${payer}@example.com` },
  });
};

describe('reconciliation of one PayPal day, end to end', () => {
  it('fetches the day over SFTP, finds exactly the two breaks, catches the missed payment up, ties per currency and posts FX', async () => {
    // --- the day at PayPal ---
    const a = await pay('USD', '100.00'); // booked, later changed in Dataverse
    const eur = await pay('EUR', '50.00');
    const d = await pay('USD', '30.00'); // charged back
    await waitForTxn(a.captureId);
    await waitForTxn(eur.captureId);
    await waitForTxn(d.captureId);
    // The missed payment: its PAYMENT.CAPTURE.COMPLETED is held by the emulator and never released.
    await control('/_emulator/deliveries/inject', { hold: 1 });
    const missed = await pay('USD', '40.00');
    const held = (await (
      await fetch(`${stack.paypal.url}/_emulator/deliveries?event_type=PAYMENT.CAPTURE.COMPLETED`)
    ).json()) as { deliveries: { state: string; body: string }[] };
    expect(held.deliveries.filter((x) => x.state === 'HELD' && x.body.includes(missed.captureId))).toHaveLength(1);

    const refund = await paypal('POST', `/v2/payments/captures/${a.captureId}/refund`, {
      amount: { currency_code: 'USD', value: '10.00' },
    }, { 'paypal-request-id': `recon-refund-${a.captureId}` }); // prettier-ignore
    const reversal = await control(`/_emulator/captures/${d.captureId}/reverse`);
    const conversion = await control('/_emulator/conversions', { from: 'EUR', to: 'USD', amount: '20.00' });
    expect(conversion.received_minor).toBe(2160); // EUR 20.00 × 1.08 (the emulator's rate)
    await control('/_emulator/withdrawals', { currency: 'USD', amount: '50.00', bank_reference_id: 'BANKREF0001' });
    const batch = await paypal('POST', '/v1/payments/payouts', {
      sender_batch_header: { sender_batch_id: 'recon-e2e-batch-1', email_subject: 'Commission' },
      items: [
        { recipient_type: 'EMAIL', amount: { value: '15.00', currency: 'USD' }, receiver: 'partner@example.com' },
      ],
    });
    const batchId = String((batch.batch_header as Row).payout_batch_id);
    await control(`/_emulator/payouts/${batchId}/process`);
    const items = (await paypal('GET', `/v1/payments/payouts/${batchId}`)).items as Row[];
    const item = items[0]!;
    const fee = (item.payout_item_fee as Row).value as string;
    expect(Number(fee)).toBeGreaterThan(0);

    await waitForTxn(String(refund.id));
    await waitForTxn(String(reversal.id));

    // --- what D365 records by other hands ---
    const usd = await currencyId('USD');
    // The payout item, as the payouts flow records it (that flow is not part of this branch), and the
    // bank deposit finance records when the withdrawal reaches the bank.
    const pb = await stack.admin.create('ppc_payoutbatches', {
      ppc_name: 'Commission',
      ppc_senderbatchid: 'recon-e2e-batch-1',
      ppc_paypalbatchid: batchId,
      'transactioncurrencyid@odata.bind': `/transactioncurrencies(${usd})`,
    });
    await stack.admin.create('ppc_payoutitems', {
      ppc_name: 'partner@example.com',
      ppc_receiver: 'partner@example.com',
      ppc_amount: 15,
      ppc_feeamount: Number(fee),
      ppc_paypalitemid: String(item.payout_item_id),
      ppc_paypaltransactionref: String(item.transaction_id),
      'ppc_payoutbatchid@odata.bind': `/ppc_payoutbatches(${pb})`,
      'transactioncurrencyid@odata.bind': `/transactioncurrencies(${usd})`,
    });
    await stack.admin.create('ppc_ledgerentries', {
      ppc_name: 'Bank deposit BANKREF0001',
      ppc_sourceid: 'BANKREF0001',
      ppc_lineno: 1,
      ppc_sourcetype: 416500274, // Withdrawal
      ppc_purpose: 416500249, // Bank
      ppc_side: 416500260, // Debit
      ppc_accountcode: '1000',
      ppc_amount: 50,
      'transactioncurrencyid@odata.bind': `/transactioncurrencies(${usd})`,
    });
    // Someone changes a booked amount afterwards.
    const bookedA = await txnOf(a.captureId);
    await stack.admin.patch(`ppc_paypaltransactions(${String(bookedA!.ppc_paypaltransactionid)})`, {
      ppc_grossamount: 90,
    });

    // --- the day's settlement report, fetched over SFTP, reconciled ---
    const today = new Date().toISOString().slice(0, 10);
    await control('/_emulator/reports', { type: 'STL', date: today });
    const fetched = await admin('/fetch');
    expect(fetched.sftp).toMatchObject({
      listed: 1,
      outcomes: [[expect.stringMatching(/^STL-\d{8}\.01\.009\.CSV$/), 'processed']],
    });

    const [run] = await stack.admin.list<Row>('ppc_reconciliationruns', `$filter=ppc_rundate eq ${today}`);
    expect(run).toMatchObject({ ppc_source: 416500161, statecode: 1, ppc_breakcount: 2, ppc_caughtupcount: 1 });
    const breaks = await stack.admin.list<Row>(
      'ppc_reconciliationbreaks',
      `$filter=_ppc_runid_value eq ${String(run!.ppc_reconciliationrunid)}`,
    );
    const brief = breaks.map((b) => [
      b.ppc_breaktype,
      b.ppc_paypalid,
      Number(b.ppc_paypalamount),
      Number(b.ppc_dataverseamount ?? 0),
    ]);
    expect(brief.sort()).toEqual(
      [
        [416500180, missed.captureId, 40, 0], // Missing In Dynamics
        [416500182, a.captureId, 100, 90], // Amount Mismatch
      ].sort(),
    );
    for (const b of breaks) expect(String(b.ppc_details)).toMatch(/Suggested action: /);

    // balances tie per currency: opening + movements = closing = the report's closing = PayPal's balance
    const totals = JSON.parse(String(run!.ppc_totalsjson)) as { currencies: Row[]; fx: Row[] };
    const balances = (await paypal('GET', '/v1/reporting/balances')).balances as Row[];
    const balanceOf = (c: string) =>
      Math.round(Number((balances.find((b) => b.currency === c)!.available_balance as Row).value) * 100);
    expect(totals.currencies.map((c) => [c.currency, c.ties, c.closingMinor])).toEqual([
      ['EUR', true, balanceOf('EUR')],
      ['USD', true, balanceOf('USD')],
    ]);
    for (const c of totals.currencies) expect(c.reportClosingMinor).toBe(c.closingMinor);

    // FX: EUR 20.00 carried at the booking rate 1.10 (USD 22.00) left for USD 21.60: a 0.40 loss on 7200
    const fx = await stack.admin.list<Row>(
      'ppc_ledgerentries',
      `$filter=ppc_sourcetype eq 416500276&$orderby=ppc_lineno`,
    );
    expect(fx.map((l) => [l.ppc_accountcode, l.ppc_side, Number(l.ppc_amount), Number(l.ppc_baseamount)])).toEqual([
      ['1010-USD', 416500260, 21.6, 21.6],
      ['1010-EUR', 416500261, 20, 22],
      ['7200', 416500260, 0.4, 0.4],
    ]);

    // catch-up recorded the missed payment through order-to-cash; its break closes itself, the other stays
    const caught = await waitForTxn(missed.captureId);
    expect(Number(caught.ppc_grossamount)).toBe(40);
    expect(caught.ppc_lasteventid).toBe(`WH-RECON-${missed.captureId}`);
    const recheck = await admin('/recheck');
    expect(recheck.closed).toEqual([missed.captureId]);
    const after = await stack.admin.list<Row>(
      'ppc_reconciliationbreaks',
      `$filter=_ppc_runid_value eq ${String(run!.ppc_reconciliationrunid)}`,
    );
    expect(after.map((b) => [b.ppc_paypalid, b.statecode, b.statuscode]).sort()).toEqual(
      [
        [missed.captureId, 1, 416500171], // Auto Resolved
        [a.captureId, 0, 1], // still Open
      ].sort(),
    );
    // both breaks surface as integration events in D365 (the mirror writes them soon after); the caught-up one
    // is resolved (Processed), the changed amount stays open (Received) with its suggested action
    await waitFor(
      async () => {
        const events = await stack.admin.list<Row>(
          'ppc_integrationevents',
          `$select=ppc_resourceid,statuscode,ppc_lasterror&$filter=startswith(ppc_eventtype,'reconciliation.break')`,
        );
        const brief = events.map((e) => [e.ppc_resourceid, e.statuscode]).sort();
        const want = [
          [missed.captureId, 2], // Processed
          [a.captureId, 1], // Received: open
        ].sort();
        return JSON.stringify(brief) === JSON.stringify(want) &&
          events.every((e) => /Suggested action: /.test(String(e.ppc_lasterror)))
          ? events
          : undefined;
      },
      30_000,
      'the two breaks as integration events, the caught-up one resolved',
      200,
    );
    // and as a metric the alert rule PayPalReconciliationBreaks reads
    const breakMetric = await stack.proxy.metrics.registry.getSingleMetricAsString('ppc_reconciliation_breaks_total');
    expect(breakMetric).toContain('ppc_reconciliation_breaks_total{event="opened",kind="missing_in_d365"} 1');
    expect(breakMetric).toContain('ppc_reconciliation_breaks_total{event="opened",kind="amount"} 1');
    expect(breakMetric).toContain('ppc_reconciliation_breaks_total{event="closed",kind="any"} 1');

    // the same file again (PayPal re-delivers, or the next poll) is not processed twice
    const again = await admin('/fetch');
    expect(again.sftp).toMatchObject({ listed: 1, skipped: 1, outcomes: [] });
    // ... nor when finance uploads the same file in the admin console
    const name = String(((fetched.sftp as Row).outcomes as string[][])[0]![0]);
    const file = await fetch(`${stack.paypal.url}/_emulator/reports/${name}`);
    const upload = await fetch(`${stack.proxyUrl}/admin/reconciliation/reports?name=${name}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
      body: Buffer.from(await file.arrayBuffer()),
    });
    expect(await upload.json()).toMatchObject({ outcome: 'duplicate' });
    const runs = await stack.admin.list<Row>('ppc_reconciliationruns', `$filter=ppc_rundate eq ${today}`);
    expect(runs).toHaveLength(1);
  }, 180_000);

  it('Transaction Search catch-up on demand records a payment whose webhook never came, through order-to-cash', async () => {
    await control('/_emulator/deliveries/inject', { hold: 1 });
    const lost = await pay('USD', '12.00');
    expect(await txnOf(lost.captureId)).toBeUndefined();
    const from = `${new Date().toISOString().slice(0, 10)}T00:00:00Z`;
    const r = await admin('/catch-up', { from });
    expect(r).toMatchObject({ windows: 1, missing: [lost.captureId], enqueued: [lost.captureId] });
    const caught = await waitForTxn(lost.captureId);
    expect(Number(caught.ppc_grossamount)).toBe(12);
    // a second catch-up finds nothing missing
    await waitFor(
      async () => ((await admin('/catch-up', { from })).missing as string[]).length === 0 || undefined,
      30_000,
      'nothing missing',
    );
  }, 120_000);

  it('Reconcile now in D365: a PayPal Finance user runs the day (USD only) once; the result is on the run; anyone else is refused', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const finance = dataverseAdmin(stack.dataverse.apiUrl, () => stack.dataverse.tokenFor('financeuser'));
    // the command on the grid opens a new On Demand run; finance saves it for today, USD only, and presses Reconcile now
    const runId = await finance.create('ppc_reconciliationruns', {
      ppc_name: `Reconcile ${today} USD`,
      ppc_rundate: today,
      ppc_source: ReconciliationSource.OnDemand,
      ppc_currencyscope: 'USD',
    });
    await finance.patch(`ppc_reconciliationruns(${runId})`, { ppc_runrequested: true });
    // pressed twice (the second before the first is answered)
    await finance.patch(`ppc_reconciliationruns(${runId})`, { ppc_runrequested: true }).catch(() => undefined);
    const done = await waitFor(
      async () => {
        const r = await stack.admin.get<Row>(`ppc_reconciliationruns(${runId})`);
        return r && r.statecode === 1 && r.ppc_runrequested === false ? r : undefined;
      },
      60_000,
      'the run answered',
      200,
    );
    await dataverseEventsDone(stack);
    expect(done).toMatchObject({
      ppc_errormessage: null,
      statuscode: ReconciliationRunStatus.Completed,
      ppc_source: ReconciliationSource.OnDemand,
    });
    // the day's settlement report (received over SFTP above), USD rows only
    const settlement = (
      await stack.admin.list<Row>(
        'ppc_reconciliationruns',
        `$filter=ppc_rundate eq ${today} and ppc_source eq ${ReconciliationSource.SettlementReport}`,
      )
    )[0]!;
    const usdRows = (JSON.parse(String(settlement.ppc_totalsjson)) as { currencies: Row[] }).currencies.find(
      (c) => c.currency === 'USD',
    )!.rows;
    expect(done.ppc_rowsread).toBe(usdRows);
    const totals = JSON.parse(String(done.ppc_totalsjson)) as { currencyScope: string; currencies: Row[] };
    expect(totals.currencyScope).toBe('USD');
    expect(totals.currencies.map((c) => c.currency)).toEqual(['USD']);
    // ran once: one claim, one run
    const { rows } = await stack.proxy.store.query<{ runs: number; status: string; requested_by: string }>(
      `SELECT runs, status, requested_by::text AS requested_by FROM recon_run_requests WHERE run_id = $1::uuid`,
      [runId],
    );
    expect(rows).toEqual([{ runs: 1, status: 'done', requested_by: '5f0c7a6e-0000-4000-8000-000000000006' }]);

    // the attacker's version: a System Administrator (every privilege, not PayPal Finance) presses it
    const completedOn = done.ppc_completedon;
    await stack.admin.patch(`ppc_reconciliationruns(${runId})`, { ppc_runrequested: true });
    const refused = await waitFor(
      async () => {
        const r = await stack.admin.get<Row>(`ppc_reconciliationruns(${runId})`);
        return r && r.ppc_runrequested === false && /refused/.test(String(r.ppc_errormessage ?? '')) ? r : undefined;
      },
      60_000,
      'the request refused',
      200,
    );
    expect(String(refused.ppc_errormessage)).toContain('only a user with the PayPal Finance role');
    expect(refused.ppc_completedon).toBe(completedOn);
    const after = await stack.proxy.store.query<{ runs: number }>(
      `SELECT runs FROM recon_run_requests WHERE run_id = $1::uuid`,
      [runId],
    );
    expect(after.rows).toEqual([{ runs: 1 }]);
  }, 180_000);
});
