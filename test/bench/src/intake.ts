// `npm run bench -- intake`: verified webhook intake (verify + durable insert + enqueue + 2xx) on the
// default store (the embedded PostgreSQL server) with the job workers running, on PGlite and on an external
// PostgreSQL, next to a baseline express route that only parses JSON, all in the same run.
// Budget (ARCHITECTURE §8): ≥ 1,000 events/s sustained, p99 < 50 ms, default store, workers running.
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { makeCa, makeLeaf, signDelivery } from '@ppc/test-support';
import { closedLoop, openLoop, type LoadResult, type Req } from './load.ts';
import { postgresReachable, table } from './report.ts';

const WEBHOOK_ID = 'WH-BENCH-0001';
const CERT_URL = 'https://api.sandbox.paypal.com/v1/notifications/certs/CERT-bench';

const SERVER_THREAD = 'bench-server';
const TICKS_PER_SECOND = 100; // USER_HZ (getconf CLK_TCK) on Linux

/** utime + stime of one /proc stat line (fields after the parenthesised command name), and its ppid. */
function parseStat(text: string): { ppid: number; cpu: number; childCpu: number } {
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    ppid: Number(f[1]),
    cpu: (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND,
    childCpu: (Number(f[13]) + Number(f[14])) / TICKS_PER_SECOND,
  };
}

/** CPU seconds of this process's thread with the given name (Linux /proc; NaN elsewhere). */
function threadCpuSeconds(name: string): number {
  try {
    for (const tid of readdirSync('/proc/self/task'))
      if (readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() === name)
        return parseStat(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')).cpu;
  } catch {
    /* no /proc */
  }
  return NaN;
}

/**
 * CPU seconds of a PostgreSQL server: the postmaster, its live children (backends, WAL writer, checkpointer…)
 * and the children that ended (counted into the postmaster's child time).
 */
function postgresCpuSeconds(postmaster: number): number {
  try {
    const pm = parseStat(readFileSync(`/proc/${postmaster}/stat`, 'utf8'));
    let total = pm.cpu + pm.childCpu;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const st = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        if (st.ppid === postmaster) total += st.cpu;
      } catch {
        /* ended meanwhile */
      }
    }
    return total;
  } catch {
    return NaN;
  }
}

async function startServer(
  kind: 'baseline' | 'proxy',
  env: Record<string, string>,
  pki: { caPem: string; leafPem: string },
) {
  const worker = new Worker(new URL('./intake-server.ts', import.meta.url), {
    workerData: { kind, env, ...pki, certUrl: CERT_URL },
    name: SERVER_THREAD,
  });
  const { url, postmaster } = await new Promise<{ url: string; postmaster?: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    url,
    /** CPU seconds so far of the server's thread and of its embedded PostgreSQL server (0 when it has none). */
    cpu: () => ({ thread: threadCpuSeconds(SERVER_THREAD), postgres: postmaster ? postgresCpuSeconds(postmaster) : 0 }),
    backlog: () =>
      new Promise<number>((resolve) => {
        const on = (m: { backlog?: number }) => {
          if (m.backlog === undefined) return;
          worker.off('message', on);
          resolve(m.backlog);
        };
        worker.on('message', on);
        worker.postMessage('backlog');
      }),
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
      const cpu0 = server.cpu();
      const warm = await closedLoop(server.url, slice(2000), { concurrency: 16, seconds: 2 });
      const closed = await closedLoop(server.url, slice(Math.ceil(need / 2)), {
        concurrency: 32,
        seconds: args.seconds,
      });
      const open = await openLoop(server.url, slice(Math.ceil(args.rate * args.seconds)), {
        rate: args.rate,
        seconds: args.seconds,
      });
      // The workers' backlog when the open loop ends, and how long they take to run it down: every event the
      // intake stored has reached an outcome before the CPU it cost is read.
      const left = await server.backlog();
      const drainStart = performance.now();
      const workers = s.env.PROXY_ROLE !== 'intake'; // an intake-only proxy leaves its backlog to other replicas
      while (workers && (await server.backlog()) > 0 && performance.now() - drainStart < 300_000)
        await new Promise((r) => setTimeout(r, 100));
      const drained = (performance.now() - drainStart) / 1000;
      const cpu1 = server.cpu();
      const events = warm.ok + closed.ok + open.ok;
      const perEvent = (a: number, b: number) => (((b - a) * 1000) / events).toFixed(2);
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
        'backlog at end': left,
        'drain s': workers ? drained.toFixed(1) : '-',
        'server thread CPU ms/event': perEvent(cpu0.thread, cpu1.thread),
        'PostgreSQL CPU ms/event': s.kind === 'proxy' && cpu1.postgres ? perEvent(cpu0.postgres, cpu1.postgres) : '-',
      });
    } finally {
      await server.stop();
    }
  }
  process.stdout.write(
    `\nintake: ${args.seconds}s closed loop (32 in flight) for the highest rate; ${args.seconds}s open loop at ${args.rate}/s for latency;\n` +
      'then the workers run their backlog down; CPU per stored event over the whole scenario (intake and workers),\n' +
      'of the server thread and of the embedded PostgreSQL server, is what a busy machine changes least\n',
  );
  process.stdout.write(table(rows));
  return rows;
}
