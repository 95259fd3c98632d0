// `npm run bench -- payouts [--items N]`: one mass payout batch through the whole local stack, from the Payout
// Approver's approval to every item terminal (batch Completed in Dataverse), with PayPal's webhooks (signed,
// verified, re-read from PayPal) and, in a second run, with every webhook lost (the poll alone). Reported per
// phase: build time (Pending approval → items written), approval → all terminal, Dataverse requests and
// operations per item (build included; the build's requests also on their own), PayPal calls by kind, throttled
// answers. Baseline in the same run: the naive Dataverse
// client (every operation its own request) on a tenth of the items, compared per item.
//
// Outcomes come from the PayPal emulator's control API (next-item-outcomes): 96 % SUCCESS, 2 % FAILED,
// 1 % BLOCKED, 1 % UNCLAIMED (those stay unclaimed: the batch stays open until PayPal returns them 30 days
// later, which the bench then asks of the emulator clock).
import { performance } from 'node:perf_hooks';
import { startLocalStack, type LocalStack } from '@ppc/stack';
import { PayoutBatchStatus, ReceiverType } from '@ppc/solution';
import { naiveDataverse } from './naive-dataverse.ts';
import { table } from './report.ts';

type Row = Record<string, unknown>;

interface Result {
  mode: string;
  items: number;
  buildS: number;
  buildRequests: number;
  approvalToTerminalS: number;
  dvRequests: number;
  dvOperations: number;
  requestsPerItem: number;
  operationsPerItem: number;
  paypalCalls: number;
  paypalByKind: string;
  /** PAYMENT.PAYOUTS* webhooks stored once PayPal delivered them all (most arrive after the batch ended) */
  webhooks: number;
  /** what those late webhooks cost after the batch had ended (they find their items booked) */
  lateDvRequests: number;
  latePayPalCalls: number;
  throttled: number;
}

const PAYPAL_CALLS = ['createPayout', 'getPayoutBatch', 'getPayoutItem', 'cancelPayoutItem'] as const;

function tallyPayPal(stack: LocalStack): Record<string, number> {
  const tally: Record<string, number> = {};
  const paypal = stack.proxy.paypal as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  for (const name of PAYPAL_CALLS) {
    const call = paypal[name]!.bind(paypal);
    paypal[name] = async (...a: unknown[]) => {
      tally[name] = (tally[name] ?? 0) + 1;
      return call(...a);
    };
  }
  return tally;
}

async function post(url: string, body: unknown, token?: string): Promise<Response> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${await res.text()}`);
  return res;
}

async function waitUntil<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    // a passing failure of a read (a store connection dropped under load) is tried again until the deadline
    const v = await check().catch((err: unknown) => ((last = err), undefined));
    if (v !== undefined) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function outcomes(n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    i % 100 === 7 ? 'UNCLAIMED' : i % 100 === 13 ? 'BLOCKED' : i % 50 === 3 ? 'FAILED' : 'SUCCESS',
  );
}

async function phase(mode: string, items: number, opts: { naive?: boolean; webhooks: boolean }): Promise<Result> {
  const stack = await startLocalStack({
    proxyEnv: { PAYOUT_POLL_SECONDS: opts.webhooks ? '0' : '2', LOG_LEVEL: 'error' },
    ...(opts.naive ? { wrapDataverse: naiveDataverse } : {}),
  });
  try {
    const dvToken = await stack.dataverse.tokenFor('admin');
    const api = stack.dataverse.apiUrl;
    const [usd] = await stack.admin.list<Row>(
      'transactioncurrencies',
      "$filter=isocurrencycode eq 'USD'&$select=transactioncurrencyid",
    );
    const vendors: string[] = [];
    for (let v = 0; v < 50; v++)
      vendors.push(
        await stack.admin.create('accounts', {
          name: `Bench vendor ${v}`,
          ppc_payoutreceivertype: ReceiverType.Email,
          ppc_payoutreceiver: `vendor${v}@bench.example`,
        }),
      );
    // Bills in bulk (setup, not measured): CreateMultiple, 1,000 per request.
    for (let i = 0; i < items; i += 1000) {
      const targets = Array.from({ length: Math.min(1000, items - i) }, (_, k) => {
        const n = i + k;
        return {
          '@odata.type': 'Microsoft.Dynamics.CRM.ppc_vendorbill',
          ppc_name: `BENCH-${String(n).padStart(6, '0')}`,
          ppc_amount: 10 + (n % 500),
          ppc_duedate: '2026-01-01',
          'ppc_vendorid@odata.bind': `/accounts(${vendors[n % vendors.length]})`,
          'transactioncurrencyid@odata.bind': `/transactioncurrencies(${String(usd!.transactioncurrencyid)})`,
        };
      });
      await post(`${api}ppc_vendorbills/Microsoft.Dynamics.CRM.CreateMultiple`, { Targets: targets }, dvToken);
    }
    if (!opts.webhooks) await post(`${stack.paypal.url}/_emulator/deliveries/inject`, { hold: 1_000_000 });
    const tally = tallyPayPal(stack);
    const dv = stack.proxy.dataverse!;
    const s0 = dv.stats();
    const finance = await stack.dataverse.tokenFor('financeuser');
    const approver = await stack.dataverse.tokenFor('payoutapprover');
    const patch = async (token: string, path: string, body: Row) => {
      const res = await fetch(`${api}${path}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`PATCH ${path} answered ${res.status}: ${await res.text()}`);
    };
    const created = await post(
      `${api}ppc_payoutbatches`,
      { ppc_name: mode, ppc_senderbatchid: `bench-${mode}` },
      finance,
    );
    const batchId = /\(([0-9a-f-]{36})\)/.exec(created.headers.get('odata-entityid') ?? '')![1]!;
    const tb = performance.now();
    await patch(finance, `ppc_payoutbatches(${batchId})`, { statuscode: PayoutBatchStatus.PendingApproval });
    await waitUntil(
      async () => {
        const b = await stack.admin.get<Row>(`ppc_payoutbatches(${batchId})`);
        return b._ppc_submittedby_value ? b : undefined;
      },
      600_000,
      'the batch built',
    );
    const buildS = (performance.now() - tb) / 1000;
    const sBuilt = dv.stats();
    await post(`${stack.paypal.url}/_emulator/payouts/next-item-outcomes`, { outcomes: outcomes(items) });
    const ta = performance.now();
    // The approver acknowledges the batch's warnings (50 vendors, each paid several times) as the command bar does.
    const warnings = String((await stack.admin.get<Row>(`ppc_payoutbatches(${batchId})`)).ppc_warnings ?? '');
    await patch(approver, `ppc_payoutbatches(${batchId})`, {
      statuscode: PayoutBatchStatus.Approved,
      ppc_acknowledgedwarnings: warnings
        .split('\n')
        .map((l) => l.split(' ')[0])
        .filter(Boolean)
        .join('\n'),
    });
    // PayPal processes the batch once it exists (the emulator's control API instead of its 60 s timer).
    const paypalBatch = await waitUntil(
      async () => {
        const ids = stack.paypal.state.senderBatchIds as unknown as Record<string, { batchId: string }>;
        return Object.entries(ids).find(([k]) => k.startsWith(batchId))?.[1].batchId;
      },
      600_000,
      'the PayPal batch',
    );
    await post(`${stack.paypal.url}/_emulator/payouts/${paypalBatch}/process`, {});
    // Unclaimed items come back after 30 days: once they are booked as UNCLAIMED, the PayPal clock moves on.
    const unclaimed = outcomes(items).filter((o) => o === 'UNCLAIMED').length;
    await waitUntil(
      async () => {
        const { rows } = await stack.proxy.store.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM payout_items WHERE batch_id = $1::uuid AND status = 'UNCLAIMED'`,
          [batchId],
        );
        return Number(rows[0]!.n) === unclaimed ? true : undefined;
      },
      600_000,
      'unclaimed items booked',
    );
    await post(`${stack.paypal.url}/_emulator/clock/advance`, { days: 31 });
    await waitUntil(
      async () => {
        const b = await stack.admin.get<Row>(`ppc_payoutbatches(${batchId})`);
        return b.statuscode === PayoutBatchStatus.Completed ? b : undefined;
      },
      900_000,
      'every item terminal (batch Completed)',
    );
    const approvalToTerminalS = (performance.now() - ta) / 1000;
    const s1 = dv.stats();
    const paypalAtEnd = Object.values(tally).reduce((a, b) => a + b, 0);
    const byKindAtEnd = { ...tally };
    // The webhooks still on their way: delivered, stored and processed (each finds its item booked).
    if (opts.webhooks) {
      await stack.paypal.deliveriesIdle();
      await waitUntil(
        async () => {
          const { rows } = await stack.proxy.store.query<{ n: string }>(
            `SELECT count(*)::text AS n FROM inbox_events WHERE source = 'paypal' AND status NOT IN ('processed', 'ignored', 'dead')`,
          );
          return rows[0]!.n === '0' ? true : undefined;
        },
        600_000,
        'late webhooks processed',
      );
    }
    const s2 = dv.stats();
    const { rows } = await stack.proxy.store.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM inbox_events WHERE source = 'paypal' AND event_type LIKE 'PAYMENT.PAYOUTS%'`,
    );
    const requests = s1.requests - s0.requests;
    const operations = s1.operations - s0.operations;
    const throttled =
      Object.values(s1.throttled).reduce((a, b) => a + b, 0) - Object.values(s0.throttled).reduce((a, b) => a + b, 0);
    return {
      mode,
      items,
      buildS: Number(buildS.toFixed(1)),
      buildRequests: sBuilt.requests - s0.requests,
      approvalToTerminalS: Number(approvalToTerminalS.toFixed(1)),
      dvRequests: requests,
      dvOperations: operations,
      requestsPerItem: Number((requests / items).toFixed(3)),
      operationsPerItem: Number((operations / items).toFixed(2)),
      paypalCalls: paypalAtEnd,
      paypalByKind: Object.entries(byKindAtEnd)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
      webhooks: Number(rows[0]!.n),
      lateDvRequests: s2.requests - s1.requests,
      latePayPalCalls: Object.values(tally).reduce((a, b) => a + b, 0) - paypalAtEnd,
      throttled,
    };
  } finally {
    await stack.close();
  }
}

export async function run(args: { items?: number }): Promise<Result[]> {
  const items = args.items ?? 5000;
  const baselineItems = Math.max(50, Math.round(items / 10));
  const results: Result[] = [];
  const say = (r: Result) => process.stdout.write(`${JSON.stringify(r)}\n`);
  process.stdout.write(`bench payouts: ${items} items (baseline: naive Dataverse client, ${baselineItems} items)\n`);
  results.push(await phase('naive baseline, webhooks', baselineItems, { naive: true, webhooks: true }));
  say(results.at(-1)!);
  results.push(await phase('bulk, webhooks', items, { webhooks: true }));
  say(results.at(-1)!);
  results.push(await phase('bulk, webhooks lost (poll)', items, { webhooks: false }));
  say(results.at(-1)!);
  process.stdout.write(table(results.map((r) => ({ ...r }))));
  const base = results[0]!;
  for (const r of results.slice(1))
    process.stdout.write(
      `${r.mode}: requests/item ${r.requestsPerItem} = ${(r.requestsPerItem / base.requestsPerItem).toFixed(3)}× the naive baseline's; ` +
        `seconds/item ${(r.approvalToTerminalS / r.items / (base.approvalToTerminalS / base.items)).toFixed(2)}× the baseline's\n`,
    );
  return results;
}
