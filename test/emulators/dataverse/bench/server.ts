// The emulator as its own process for the benchmark (limits raised so they do not cap the measurement).
import { createServer } from '../src/index.ts';

const em = await createServer({
  solutionDir: null,
  databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
  schema: 'dataverse_bench',
  limits: {
    requests: 1e9,
    executionTimeMs: 1e12,
    concurrent: 1000,
    windowSeconds: 300,
    costMs: { read: 5, write: 20 },
  },
});
console.log(JSON.stringify({ url: em.url }));
process.on('SIGTERM', () => {
  void em.close().then(() => process.exit(0));
});
