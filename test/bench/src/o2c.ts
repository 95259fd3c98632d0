// `npm run bench -- o2c`: PayPal capture → invoice paid in Dataverse, through the whole local stack with the
// Dataverse emulator's default service protection limits (one application user). Reports p50/p95
// capture-to-paid latency at 10 captures/s, whether a higher rate is sustained without a growing backlog,
// Dataverse requests and operations per capture — next to a naive one-request-per-operation mode — and the
// proxy's PayPal reads per capture (the order, and the capture itself before it is booked) with their time.
import { buyerPays, startLocalStack, type LocalStack } from '@ppc/stack';
import { naiveDataverse } from './naive-dataverse.ts';
import { table } from './report.ts';

interface PhaseResult {
  mode: string;
  rate: number;
  captures: number;
  recorded: number;
  p50: number;
  p95: number;
  max: number;
  backlogAtEnd: number;
  requestsPerCapture: number;
  operationsPerCapture: number;
  /** the proxy's PayPal reads (GET order, GET capture) per capture, and the p50 of one read */
  paypalReadsPerCapture: number;
  paypalReadP50: number;
}

const PAYPAL_READS = ['getOrder', 'getCapture'] as const;
const paypalReadTimes: number[] = [];

/** Times the proxy's PayPal reads (the flows call them on this object): token and inline retries included. */
function timePayPalReads(stack: LocalStack) {
  const paypal = stack.proxy.paypal!;
  for (const name of PAYPAL_READS) {
    const read = paypal[name].bind(paypal) as (id: string) => Promise<never>;
    (paypal as unknown as Record<string, (id: string) => Promise<unknown>>)[name] = async (id: string) => {
      const t = performance.now();
      try {
        return await read(id);
      } finally {
        paypalReadTimes.push(performance.now() - t);
      }
    };
  }
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

async function phase(
  stack: LocalStack,
  mode: string,
  rate: number,
  seconds: number,
  tag: string,
): Promise<PhaseResult> {
  const token = await stack.paypalToken();
  const dv = stack.proxy.dataverse!;
  const before = dv.stats();
  const readsBefore = paypalReadTimes.length;
  const started = new Map<string, number>();
  const done = new Map<string, number>();
  const total = Math.round(rate * seconds);
  const t0 = performance.now();
  let stopPolling = false;
  // Completion = the capture's transaction is Completed in Dataverse (invoice paid in the same change set).
  const poll = (async () => {
    while (!stopPolling) {
      const rows = await stack.admin.list<{ ppc_paypalid: string }>(
        'ppc_paypaltransactions',
        `$select=ppc_paypalid&$filter=ppc_payerid eq '${tag}' and statuscode eq 416500010`,
      );
      const now = performance.now();
      for (const r of rows) if (!done.has(r.ppc_paypalid)) done.set(r.ppc_paypalid, now);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      buyerPays(stack.paypal.url, token, {
        currency: 'USD',
        items: [{ sku: ['SKU-MUG', 'SKU-TEE', 'SKU-CAP'][i % 3], name: 'Bench item', quantity: 1, unitValue: '20.00' }],
        payer: { payer_id: tag, email: `${tag.toLowerCase()}@example.com` },
      }).then((p) => {
        started.set(p.captureId, performance.now());
      }),
    );
  }
  await Promise.all(inflight);
  const sendEnd = performance.now();
  // Let the backlog drain (bounded), then measure.
  const backlogAtEnd = total - done.size;
  const deadline = sendEnd + 60_000;
  while (done.size < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  stopPolling = true;
  await poll;
  const latencies = [...started].flatMap(([id, t]) => (done.has(id) ? [done.get(id)! - t] : []));
  const after = dv.stats();
  const reads = paypalReadTimes.slice(readsBefore);
  return {
    mode,
    rate,
    captures: total,
    recorded: done.size,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    max: Math.max(...latencies),
    backlogAtEnd,
    requestsPerCapture: (after.requests - before.requests) / total,
    operationsPerCapture: (after.operations - before.operations) / total,
    paypalReadsPerCapture: reads.length / total,
    paypalReadP50: quantile(reads, 0.5),
  };
}

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const tagOf = (n: number) => `BENCHPAYER${ALPHABET[n % 32]}${ALPHABET[(n >> 5) % 32]}2`;

export async function run(args: { seconds: number }) {
  const seconds = args.seconds;
  const rows: PhaseResult[] = [];
  let n = 0;
  for (const [mode, wrap] of [
    ['batched (product)', undefined],
    ['naive: one request per operation', naiveDataverse],
  ] as const) {
    const stack = await startLocalStack(wrap ? { wrapDataverse: wrap } : {});
    timePayPalReads(stack);
    try {
      // Warm-up: reference data cached, token fetched.
      await phase(stack, mode, 2, 2, tagOf(n++));
      rows.push(await phase(stack, mode, 10, seconds, tagOf(n++)));
      if (!wrap) rows.push(await phase(stack, mode, 15, seconds, tagOf(n++)));
    } finally {
      await stack.close();
    }
  }
  const base = rows[0]!;
  process.stdout.write(
    `\no2c: capture → invoice paid, Dataverse emulator default limits (6000 req/300 s per user), ${seconds}s per phase\n`,
  );
  process.stdout.write(
    table(
      rows.map((r) => ({
        mode: r.mode,
        'rate/s': r.rate,
        captures: r.captures,
        recorded: r.recorded,
        'backlog at end': r.backlogAtEnd,
        'p50 ms': r.p50.toFixed(0),
        'p95 ms': r.p95.toFixed(0),
        'p95 vs batched@10': (r.p95 / base.p95).toFixed(2),
        'requests/capture': r.requestsPerCapture.toFixed(2),
        'operations/capture': r.operationsPerCapture.toFixed(2),
        'requests vs batched': (r.requestsPerCapture / base.requestsPerCapture).toFixed(1),
        'PayPal reads/capture': r.paypalReadsPerCapture.toFixed(2),
        'PayPal read p50 ms': r.paypalReadP50.toFixed(1),
      })),
    ),
  );
  return rows;
}
