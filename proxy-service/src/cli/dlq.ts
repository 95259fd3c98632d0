// Dead-letter CLI: `npm run -w proxy-service dlq -- list [--all] | show <id> | replay <id|--all>`.
// Talks to the configured store directly (DATABASE_URL or PGLITE_DATA_DIR), like the admin endpoints do.
import { parseArgs } from 'node:util';
import { openStore } from '../adapters/store/open-store.ts';
import { loadConfig } from '../config.ts';
import { getDeadLetter, listDeadLetters, replayAllDeadLetters, replayDeadLetter } from '../queue/dead-letters.ts';
import { startBoss } from '../queue/job-queue.ts';

const USAGE = 'usage: dlq list [--all] | dlq show <id> | dlq replay <id> | dlq replay --all';

export async function runDlq(argv: string[], out: (line: string) => void, env = process.env): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { all: { type: 'boolean', default: false } },
  });
  const [command, id] = positionals;
  if (
    !command ||
    !['list', 'show', 'replay'].includes(command) ||
    (command === 'show' && !id) ||
    (command === 'replay' && !id && !values.all)
  ) {
    out(USAGE);
    return 2;
  }
  const store = await openStore(loadConfig(env));
  try {
    if (command === 'list') {
      const rows = await listDeadLetters(store, { includeReplayed: values.all, limit: 1000 });
      for (const d of rows)
        out(
          `${d.id}\t${d.created_at}\t${d.queue}\tattempts=${d.attempts}\t${d.error_code}\t${d.last_error}${d.replayed_at ? `\treplayed ${d.replayed_at}` : ''}`,
        );
      out(`${rows.length} dead letter(s)`);
      return 0;
    }
    if (command === 'show') {
      const d = await getDeadLetter(store, id!);
      if (!d) {
        out(`dead letter ${id} not found`);
        return 1;
      }
      out(JSON.stringify(d, null, 2));
      return 0;
    }
    const boss = await startBoss(store, { workers: false });
    try {
      const results = values.all ? await replayAllDeadLetters(store, boss) : [await replayDeadLetter(store, boss, id!)];
      for (const r of results)
        out(r.replayed ? `${r.id}\treplayed as job ${r.jobId}` : `${r.id}\tnot replayed: ${r.reason}`);
      return results.every((r) => r.replayed) ? 0 : 1;
    } finally {
      await boss.stop({ graceful: false, close: true });
    }
  } finally {
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runDlq(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
}
