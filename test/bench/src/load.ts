// Load generation for benchmarks, against servers on loopback only. Two modes:
// - closed loop: `concurrency` requests in flight as fast as they complete → the highest rate;
// - open loop: requests sent on a fixed schedule (rate/s), latency measured from the scheduled time, so a
//   stalled server is charged for the requests it delayed (no coordinated omission).
import { Agent, request } from 'undici';

export interface Req {
  path: string;
  body: string;
  headers: Record<string, string>;
}

export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  seconds: number;
  rate: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
}

function summarise(latencies: number[], statuses: Record<string, number>, seconds: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  const ok = Object.entries(statuses)
    .filter(([s]) => s.startsWith('2'))
    .reduce((n, [, c]) => n + c, 0);
  return {
    sent: latencies.length,
    ok,
    failed: latencies.length - ok,
    seconds,
    rate: ok / seconds,
    p50: q(0.5),
    p99: q(0.99),
    max: sorted.at(-1) ?? NaN,
    statuses,
  };
}

export async function closedLoop(
  base: string,
  reqs: Req[],
  opts: { concurrency: number; seconds: number },
): Promise<LoadResult> {
  const agent = new Agent({ connections: opts.concurrency, pipelining: 1 });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const start = performance.now();
  const end = start + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (performance.now() < end && next < reqs.length) {
        const r = reqs[next++]!;
        const t0 = performance.now();
        const res = await request(base + r.path, {
          method: 'POST',
          body: r.body,
          headers: r.headers,
          dispatcher: agent,
        });
        await res.body.dump();
        latencies.push(performance.now() - t0);
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  await agent.close();
  return summarise(latencies, statuses, seconds);
}

export async function openLoop(
  base: string,
  reqs: Req[],
  opts: { rate: number; seconds: number; maxInFlight?: number },
): Promise<LoadResult> {
  const agent = new Agent({ connections: opts.maxInFlight ?? 256, pipelining: 1 });
  const total = Math.min(reqs.length, Math.floor(opts.rate * opts.seconds));
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const r = reqs[i]!;
    inflight.push(
      request(base + r.path, { method: 'POST', body: r.body, headers: r.headers, dispatcher: agent }).then(
        async (res) => {
          await res.body.dump();
          latencies.push(performance.now() - due);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        },
      ),
    );
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - start) / 1000;
  await agent.close();
  return summarise(latencies, statuses, seconds);
}
