// `npm run dlq -- list | show <id> | replay <id|--all>`: the proxy's dead-letter CLI on the sandbox's store
// (the STORE / STORE_DATA_DIR `npm start` uses, resolved from the repository root whatever the current folder).
// The embedded store has a single owner: while `npm start` runs, use its /admin/dead-letters instead.
import { runDlq } from '@ppc/proxy-service/dlq';
import { sandboxSettings } from '@ppc/stack';

const settings = sandboxSettings();
const env = process.env.DATABASE_URL
  ? process.env
  : { ...process.env, PGLITE_DATA_DIR: '', STORE: settings.store.kind, STORE_DATA_DIR: settings.store.dataDir };
if (!process.env.DATABASE_URL) {
  const running = await fetch(`${settings.urls.proxy}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (running) {
    console.error(
      `the sandbox is running (${settings.urls.proxy}) and owns its embedded store ${settings.store.dataDir}:\n` +
        `  curl -H 'authorization: Bearer <admin token from npm start>' ${settings.urls.proxy}/admin/dead-letters\n` +
        `or stop npm start and run this again.`,
    );
    process.exit(1);
  }
}
process.exitCode = await runDlq(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`), env);
