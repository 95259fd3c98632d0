// Throughput of the emulator, which runs in its own process (as it does next to the proxy):
// single creates per second (sequential and 8 concurrent), 100-operation $batch change sets, reads.
// Server CPU ms per operation is reported too: on a shared machine the wall clock mostly measures
// the other tenants' load. Run: npm run -w @ppc/dataverse-emulator bench
// (BENCH_DATABASE_URL=postgres://… for PostgreSQL, BENCH_N for the operation count)
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
const server = spawn(
  process.execPath,
  [
    ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROFILE] : []),
    fileURLToPath(new URL('./server.ts', import.meta.url)),
  ],
  { stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
);
const url = await new Promise<string>((resolve, reject) => {
  server.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  createInterface({ input: server.stdout }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
});
const api = `${url}/api/data/v9.2/`;
const { access_token: token } =
  (await // standard tables only (no solution, so no solution roles): the platform's System Administrator
  (await fetch(`${url}/_emulator/token`, { method: 'POST', body: JSON.stringify({ user: 'admin' }) })).json()) as {
    access_token: string;
  };
const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' };

async function serverCpuMs(): Promise<number> {
  const c = (await (await fetch(`${url}/_emulator/counters`)).json()) as {
    process: { cpuUsage: { user: number; system: number } };
  };
  return (c.process.cpuUsage.user + c.process.cpuUsage.system) / 1000;
}

async function create(i: number): Promise<void> {
  const r = await fetch(`${api}accounts`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: `bench ${i}`, creditlimit: i }),
  });
  if (r.status !== 204) throw new Error(`create failed: ${r.status} ${await r.text()}`);
  await r.arrayBuffer();
}

const results: Record<string, number> = {};
async function timed(key: string, label: string, ops: number, fn: () => Promise<void>): Promise<void> {
  const cpu0 = await serverCpuMs();
  const t0 = performance.now();
  await fn();
  const s = (performance.now() - t0) / 1000;
  const cpu = (await serverCpuMs()) - cpu0;
  results[key] = Math.round(ops / s);
  console.log(
    `${label.padEnd(44)} ${ops} ops in ${s.toFixed(2)} s = ${(ops / s).toFixed(0)} ops/s (emulator CPU ${(cpu / ops).toFixed(2)} ms/op)`,
  );
}

function batchBody(n: number, offset: number): { body: string; contentType: string } {
  const b = `batch_${offset}`;
  const lines = [`--${b}`, 'Content-Type: multipart/mixed; boundary=changeset_1', ''];
  for (let i = 0; i < n; i++) {
    lines.push(
      '--changeset_1',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      `Content-ID: ${i + 1}`,
      '',
      'POST accounts HTTP/1.1',
      'Content-Type: application/json',
      '',
      JSON.stringify({ name: `batch ${offset + i}` }),
    );
  }
  lines.push('--changeset_1--', `--${b}--`, '');
  return { body: lines.join('\r\n'), contentType: `multipart/mixed; boundary=${b}` };
}

console.log(
  `database: ${databaseUrl ? 'PostgreSQL' : 'PGlite (in-memory)'}; emulator in its own process; load average: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const N = Number(process.env.BENCH_N ?? 1000);
try {
  for (let i = 0; i < 100; i++) await create(i); // warm-up
  await timed('sequentialCreatesPerSec', 'single creates, sequential', N, async () => {
    for (let i = 0; i < N; i++) await create(i);
  });
  await timed('concurrentCreatesPerSec', 'single creates, 8 concurrent', N, async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < N) await create(next++);
      }),
    );
  });
  const batches = Math.max(5, Math.floor(N / 100));
  await timed('batchOpsPerSec', `$batch change sets of 100 creates (x${batches})`, batches * 100, async () => {
    for (let k = 0; k < batches; k++) {
      const { body, contentType } = batchBody(100, k * 100);
      const r = await fetch(`${api}$batch`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': contentType },
        body,
      });
      if (r.status !== 200) throw new Error(`batch failed: ${r.status} ${(await r.text()).slice(0, 300)}`);
      await r.arrayBuffer();
    }
  });
  const list = (await (await fetch(`${api}accounts?$select=accountid&$top=50`, { headers })).json()) as {
    value: { accountid: string }[];
  };
  await timed('readsPerSec', 'single reads by id ($select), sequential', N, async () => {
    for (let i = 0; i < N; i++) {
      const r = await fetch(`${api}accounts(${list.value[i % list.value.length]?.accountid})?$select=name`, {
        headers,
      });
      await r.arrayBuffer();
    }
  });
  console.log(JSON.stringify(results));
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  if (databaseUrl) {
    const pg = (await import('pg')).default;
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query('DROP SCHEMA IF EXISTS "dataverse_bench" CASCADE');
    await c.end();
  }
}
