// `npm run smoke:start` (CI): runs the README's `npm start` from the repository root on private ports and a
// throwaway data directory, waits until it is ready (/readyz and the printed ready line), makes a demo
// purchase with `npm run demo:purchase`, checks that Dataverse recorded it (dated today: the emulators run on
// the real clock) and that the printed admin token opens /admin, then sends SIGINT to the sandbox's node
// process and expects it to stop by itself: npm start exits with code 0 and leaves no process behind.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pollUntil, READY_LINE, REPO_ROOT, sandboxSettings } from '@ppc/stack';

const READY_TIMEOUT_MS = 180_000;
const LANDED_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 30_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The node process running scripts/start.ts under npm (npm → sh → node). The signal goes to it alone: on
 * Ctrl+C a terminal signals npm too, and npm then dies by the signal itself (exit status 130) whatever its
 * script does, which would hide the sandbox's own exit code.
 */
function sandboxProcess(root: number): number | undefined {
  const children = (pid: number) =>
    readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  const pending = [root];
  while (pending.length) {
    const pid = pending.shift()!;
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv[0]?.endsWith('node') && argv.includes('scripts/start.ts')) return pid;
      pending.push(...children(pid));
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

const dataDir = mkdtempSync(join(tmpdir(), 'ppc-smoke-'));
chmodSync(dataDir, 0o755); // run as root, the embedded PostgreSQL runs as the postgres OS user, which must reach it
const env = {
  ...process.env,
  PAYPAL_EMULATOR_PORT: String(await freePort()),
  DATAVERSE_EMULATOR_PORT: String(await freePort()),
  PORT: String(await freePort()),
  HARNESS_PORT: String(await freePort()),
  SANDBOX_DATA_DIR: dataDir,
  PGLITE_DATA_DIR: '',
  STORE: '',
  STORE_DATA_DIR: '',
  ADMIN_TOKEN: '',
  DATAVERSE_URL: '',
  DATABASE_URL: '',
};
const { urls } = sandboxSettings(env);
const timings: [string, number][] = [];
let mark = Date.now();
const lap = (what: string) => {
  timings.push([what, Date.now() - mark]);
  mark = Date.now();
};

// Its own process group: whatever is left of it at the end is killed, and its absence checked.
const child = spawn('npm', ['start'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
let exitCode: number | null | undefined;
void exited.then((code) => (exitCode = code));

function fail(message: string): never {
  throw new Error(`${message}\n--- npm start output ---\n${output.slice(-6000)}`);
}

try {
  await pollUntil(
    async () => {
      if (exitCode !== undefined) fail(`npm start exited early with code ${exitCode}`);
      if (!output.includes(READY_LINE)) return false;
      return (await fetch(`${urls.proxy}/readyz`)).ok;
    },
    { timeoutMs: READY_TIMEOUT_MS, intervalMs: 250, what: 'npm start to be ready' },
  ).catch((err: unknown) => fail(String(err)));
  lap('npm start → ready');

  const adminToken = /^ +admin token +(\S+)/m.exec(output)?.[1] ?? fail('no admin token printed');
  if (output.split(adminToken).length - 1 !== 2)
    // the banner line and the dead-letters curl line
    fail('the admin token was printed somewhere else than the banner');
  const admin = await fetch(`${urls.proxy}/admin/dead-letters`, { headers: { authorization: `Bearer ${adminToken}` } });
  if (!admin.ok) fail(`/admin/dead-letters with the printed token answered ${admin.status}`);
  // The printed console URL, signed in with the printed token, shows the console.
  const consoleUrl = /^ +admin console +(\S+)/m.exec(output)?.[1] ?? fail('no admin console URL printed');
  const signIn = await fetch(`${consoleUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: adminToken }),
    redirect: 'manual',
  });
  const session = signIn.headers.get('set-cookie')?.split(';')[0];
  if (signIn.status !== 303 || !session) fail(`admin console sign-in answered ${signIn.status}`);
  const consolePage = await fetch(consoleUrl, { headers: { cookie: session! }, redirect: 'manual' });
  if (consolePage.status !== 200 || !(await consolePage.text()).includes('id="dead-letters"'))
    fail(`the admin console answered ${consolePage.status} after sign-in`);

  const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'demo:purchase'], { cwd: REPO_ROOT, env });
  const captureId = /captured: (\S+) \(COMPLETED\)/.exec(stdout)?.[1] ?? fail(`demo:purchase printed: ${stdout}`);
  lap('demo:purchase');

  const token = (await (
    await fetch(`${urls.dataverse}/_emulator/token`, { method: 'POST', body: JSON.stringify({ user: 'admin' }) })
  ).json()) as { access_token: string };
  const filter = encodeURIComponent(`ppc_paypalid eq '${captureId}'`);
  const txn = await pollUntil(
    async () => {
      const res = await fetch(
        `${urls.dataverse}/api/data/v9.2/ppc_paypaltransactions?$select=ppc_transactiondate&$filter=${filter}`,
        { headers: { authorization: `Bearer ${token.access_token}` } },
      );
      return ((await res.json()) as { value: { ppc_transactiondate: string }[] }).value[0];
    },
    { timeoutMs: LANDED_TIMEOUT_MS, intervalMs: 200, what: `capture ${captureId} in Dataverse` },
  ).catch((err: unknown) => fail(String(err)));
  lap(`capture ${captureId} → Dataverse`);
  if (Math.abs(Date.parse(txn.ppc_transactiondate) - Date.now()) > 3_600_000)
    fail(`the transaction is dated ${txn.ppc_transactiondate}, not now: the emulators must run on the real clock`);

  const sandbox = sandboxProcess(child.pid!) ?? fail('no node process running scripts/start.ts under npm start');
  process.kill(sandbox, 'SIGINT');
  const code = await Promise.race([
    exited,
    new Promise<'timeout'>((r) => setTimeout(r, EXIT_TIMEOUT_MS, 'timeout').unref()),
  ]);
  if (code === 'timeout') fail(`npm start did not exit within ${EXIT_TIMEOUT_MS} ms of SIGINT`);
  if (code !== 0) fail(`npm start exited with code ${code} after SIGINT`);
  if (groupAlive(child.pid!)) fail('npm start exited but left processes behind');
  lap('SIGINT → exit 0');
  console.log(timings.map(([what, ms]) => `${what}: ${(ms / 1000).toFixed(1)} s`).join('\n'));
  console.log('npm start smoke: ok');
} finally {
  if (groupAlive(child.pid!)) process.kill(-child.pid!, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}
