// Throughput of the emulator itself (limits raised so they do not cap the measurement):
// single creates per second (sequential and 8 concurrent) and 100-operation $batch change sets.
// Run: npm run -w @ppc/dataverse-emulator bench
import { createServer } from '../src/index.ts';

const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
const em = await createServer({
  solutionDir: null,
  databaseUrl,
  schema: 'dataverse_bench',
  limits: { requests: 1e9, executionTimeMs: 1e12, concurrent: 1000, windowSeconds: 300, costMs: { read: 5, write: 20 } },
});
const token = await em.tokenFor('integration');
const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' };

async function create(i: number): Promise<void> {
  const r = await fetch(`${em.apiUrl}accounts`, { method: 'POST', headers, body: JSON.stringify({ name: `bench ${i}`, creditlimit: i }) });
  if (r.status !== 204) throw new Error(`create failed: ${r.status} ${await r.text()}`);
  await r.arrayBuffer();
}

// client and emulator share this process; CPU ms per operation is reported next to wall-clock rate
// because on a shared machine the wall clock mostly measures the other tenants' load
async function timed(label: string, ops: number, fn: () => Promise<void>): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const rate = ops / s;
  const cpuPerOp = (cpu.user + cpu.system) / 1000 / ops;
  console.log(`${label.padEnd(44)} ${ops} ops in ${s.toFixed(2)} s = ${rate.toFixed(0)} ops/s (CPU ${cpuPerOp.toFixed(2)} ms/op)`);
  return rate;
}
console.log(`database: ${databaseUrl ? 'PostgreSQL' : 'PGlite (in-memory)'}; load average: ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);

function batchBody(n: number, offset: number): { body: string; contentType: string } {
  const b = `batch_${offset}`;
  const lines = [`--${b}`, 'Content-Type: multipart/mixed; boundary=changeset_1', ''];
  for (let i = 0; i < n; i++) {
    lines.push('--changeset_1', 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', `Content-ID: ${i + 1}`, '', 'POST accounts HTTP/1.1', 'Content-Type: application/json', '', JSON.stringify({ name: `batch ${offset + i}` }));
  }
  lines.push('--changeset_1--', `--${b}--`, '');
  return { body: lines.join('\r\n'), contentType: `multipart/mixed; boundary=${b}` };
}

const N = Number(process.env.BENCH_N ?? 1000);
await timed('warm-up', 100, async () => {
  for (let i = 0; i < 100; i++) await create(i);
});
const sequential = await timed('single creates, sequential', N, async () => {
  for (let i = 0; i < N; i++) await create(i);
});
const concurrent = await timed('single creates, 8 concurrent', N, async () => {
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < N) await create(next++);
  }));
});
const batches = Math.max(5, Math.floor(N / 100));
const batched = await timed(`$batch change sets of 100 creates (x${batches})`, batches * 100, async () => {
  for (let k = 0; k < batches; k++) {
    const { body, contentType } = batchBody(100, k * 100);
    const r = await fetch(`${em.apiUrl}$batch`, { method: 'POST', headers: { ...headers, 'Content-Type': contentType }, body });
    if (r.status !== 200) throw new Error(`batch failed: ${r.status} ${(await r.text()).slice(0, 300)}`);
    await r.arrayBuffer();
  }
});
const reads = await timed('single reads by id ($select), sequential', N, async () => {
  const list = (await (await fetch(`${em.apiUrl}accounts?$select=accountid&$top=50`, { headers })).json()) as { value: { accountid: string }[] };
  for (let i = 0; i < N; i++) {
    const id = list.value[i % list.value.length]?.accountid;
    const r = await fetch(`${em.apiUrl}accounts(${id})?$select=name`, { headers });
    await r.arrayBuffer();
  }
});
console.log(JSON.stringify({ sequentialCreatesPerSec: Math.round(sequential), concurrentCreatesPerSec: Math.round(concurrent), batchOpsPerSec: Math.round(batched), readsPerSec: Math.round(reads) }));
await em.close();
if (databaseUrl) {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  await c.query('DROP SCHEMA IF EXISTS "dataverse_bench" CASCADE');
  await c.end();
}
