// `npm run bench -- <name> [--seconds N] [--rate R]`: benchmarks print ratios against a baseline measured in the same run.
import { parseArgs } from 'node:util';

const benches: Record<
  string,
  (args: { seconds: number; rate: number; rows: number; items?: number }) => Promise<unknown>
> = {
  intake: async (a) => (await import('./intake.ts')).run(a),
  o2c: async (a) => (await import('./o2c.ts')).run(a),
  fraud: async () => (await import('./fraud.ts')).run(),
  recon: async (a) => (await import('./recon.ts')).run(a),
  payouts: async (a) => (await import('./payouts.ts')).run(a),
};

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '1000' },
    rows: { type: 'string', default: '1000000' },
    items: { type: 'string' },
  },
});
const names = positionals.length ? positionals : Object.keys(benches);
for (const name of names) {
  const bench = benches[name];
  if (!bench) {
    process.stderr.write(`unknown benchmark "${name}"; known: ${Object.keys(benches).join(', ')}\n`);
    process.exit(2);
  }
  await bench({
    seconds: Number(values.seconds),
    rate: Number(values.rate),
    rows: Number(values.rows),
    ...(values.items ? { items: Number(values.items) } : {}),
  });
}
