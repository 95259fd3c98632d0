// `npm run bench -- intake`: verified webhook intake (verify + durable insert + enqueue + 2xx) on the
// default store (the embedded PostgreSQL server) with the job workers running, on PGlite and on an external
// PostgreSQL, next to a baseline express route that only parses JSON, all in the same run.
// Budget (ARCHITECTURE §8): ≥ 1,000 events/s sustained, p99 < 50 ms, default store, workers running.
import { randomBytes, randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { makeCa, makeLeaf, signDelivery } from '@ppc/test-support';
import { closedLoop, openLoop, type LoadResult, type Req } from './load.ts';
import { postgresReachable, table } from './report.ts';

const WEBHOOK_ID = 'WH-BENCH-0001';
const CERT_URL = 'https://api.sandbox.paypal.com/v1/notifications/certs/CERT-bench';

async function startServer(
  kind: 'baseline' | 'proxy',
  env: Record<string, string>,
  pki: { caPem: string; leafPem: string },
) {
  const worker = new Worker(new URL('./intake-server.ts', import.meta.url), {
    workerData: { kind, env, ...pki, certUrl: CERT_URL },
  });
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    url,
    stop: async () => {
      await new Promise((r) => {
        worker.once('message', r);
        worker.postMessage('stop');
      });
      await worker.terminate();
    },
  };
}

export async function run(args: { seconds: number; rate: number }) {
  const ca = await makeCa();
  const leaf = await makeLeaf(ca);
  const pki = { caPem: ca.pem, leafPem: leaf.pem };
  const capture = (i: number) =>
    JSON.stringify({
      id: `WH-${randomUUID()}`,
      event_version: '1.0',
      create_time: new Date().toISOString(),
      resource_type: 'capture',
      resource_version: '2.0',
      event_type: 'PAYMENT.CAPTURE.COMPLETED',
      summary: 'Payment completed for $ 30.0 USD',
      resource: {
        id: `${randomBytes(8).toString('hex').toUpperCase()}`,
        amount: { currency_code: 'USD', value: `${(i % 500) + 1}.00` },
        seller_receivable_breakdown: {
          gross_amount: { currency_code: 'USD', value: '30.00' },
          paypal_fee: { currency_code: 'USD', value: '1.54' },
        },
        status: 'COMPLETED',
      },
    });
  const need = Math.ceil(args.rate * args.seconds * 1.1) + 20_000;
  process.stdout.write(`signing ${need} deliveries…\n`);
  const reqs: Req[] = Array.from({ length: need }, (_, i) => {
    const body = capture(i);
    return {
      path: '/webhooks/paypal',
      body,
      headers: signDelivery(Buffer.from(body), { webhookId: WEBHOOK_ID, certUrl: CERT_URL, key: leaf.privateKey }),
    };
  });

  const WH = { PAYPAL_WEBHOOK_ID: WEBHOOK_ID };
  const scenarios: { name: string; kind: 'baseline' | 'proxy'; env: Record<string, string> }[] = [
    { name: 'baseline (express.json only)', kind: 'baseline', env: {} },
    { name: 'proxy, embedded PostgreSQL (default), 4 workers', kind: 'proxy', env: WH },
    {
      name: 'proxy, embedded PostgreSQL, intake only',
      kind: 'proxy',
      env: { ...WH, PROXY_ROLE: 'intake' },
    },
    { name: 'proxy, PGlite, 4 workers', kind: 'proxy', env: { ...WH, STORE: 'pglite' } },
  ];
  // INTAKE_SCENARIOS=<regular expression> runs only the matching scenarios (the baseline always runs).
  const only = process.env.INTAKE_SCENARIOS ? new RegExp(process.env.INTAKE_SCENARIOS) : undefined;
  if (await postgresReachable()) {
    scenarios.push({
      name: 'proxy, external PostgreSQL, 4 workers',
      kind: 'proxy',
      env: {
        ...WH,
        DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
        DATABASE_SCHEMA: `bench_${randomBytes(4).toString('hex')}`,
      },
    });
  } else process.stdout.write('PostgreSQL not reachable: its scenario is skipped\n');

  if (only)
    scenarios.splice(0, scenarios.length, ...scenarios.filter((s) => s.kind === 'baseline' || only.test(s.name)));
  const rows: Record<string, string | number>[] = [];
  let baseline: { closed: LoadResult; open: LoadResult } | undefined;
  let offset = 0;
  const slice = (n: number) => {
    const s = reqs.slice(offset, offset + n);
    offset += n;
    if (offset > reqs.length) offset = 0;
    return s;
  };
  for (const s of scenarios) {
    offset = 0; // every scenario gets fresh ids: each store starts empty
    const server = await startServer(s.kind, s.env, pki);
    try {
      await closedLoop(server.url, slice(2000), { concurrency: 16, seconds: 2 }); // warm-up
      const closed = await closedLoop(server.url, slice(Math.ceil(need / 2)), {
        concurrency: 32,
        seconds: args.seconds,
      });
      const open = await openLoop(server.url, slice(Math.ceil(args.rate * args.seconds)), {
        rate: args.rate,
        seconds: args.seconds,
      });
      baseline ??= { closed, open };
      rows.push({
        scenario: s.name,
        'max events/s': closed.rate.toFixed(0),
        'vs baseline': (closed.rate / baseline.closed.rate).toFixed(2),
        [`p50 ms @${args.rate}/s`]: open.p50.toFixed(1),
        [`p99 ms @${args.rate}/s`]: open.p99.toFixed(1),
        'p99 vs baseline': (open.p99 / baseline.open.p99).toFixed(1),
        'achieved/s': open.rate.toFixed(0),
        errors: closed.failed + open.failed,
      });
    } finally {
      await server.stop();
    }
  }
  process.stdout.write(
    `\nintake: ${args.seconds}s closed loop (32 in flight) for the highest rate; ${args.seconds}s open loop at ${args.rate}/s for latency\n`,
  );
  process.stdout.write(table(rows));
  return rows;
}
