// Where the local sandbox lives: ports and data directory, resolved once, from the repository root (never
// from the current directory), so `npm start`, `npm run demo:purchase` and `npm run dlq` find the same
// services and the same store whichever folder they are run from.
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface SandboxSettings {
  ports: { paypal: number; dataverse: number; proxy: number; harness: number };
  urls: { paypal: string; dataverse: string; proxy: string; harness: string };
  /** the sandbox's own files: the proxy store and the admin token (`SANDBOX_DATA_DIR`, default `.data`) */
  dataDir: string;
  /**
   * the proxy's embedded store: `STORE` (default embedded-postgres, a PostgreSQL server the proxy starts) in
   * `STORE_DATA_DIR` (default `<dataDir>/proxy-postgres`); the earlier `PGLITE_DATA_DIR` selects PGlite there
   */
  store: { kind: 'embedded-postgres' | 'pglite'; dataDir: string };
}

const PORTS = {
  paypal: ['PAYPAL_EMULATOR_PORT', 4010],
  dataverse: ['DATAVERSE_EMULATOR_PORT', 4020],
  proxy: ['PORT', 3000],
  harness: ['HARNESS_PORT', 4040],
} as const;

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535)
    throw new Error(`${name} must be a TCP port (1-65535), got ${JSON.stringify(raw)}`);
  return value;
}

const fromRoot = (path: string) => (isAbsolute(path) ? path : resolve(REPO_ROOT, path));

export function sandboxSettings(env: NodeJS.ProcessEnv = process.env): SandboxSettings {
  const ports = {
    paypal: port(env, ...PORTS.paypal),
    dataverse: port(env, ...PORTS.dataverse),
    proxy: port(env, ...PORTS.proxy),
    harness: port(env, ...PORTS.harness),
  };
  const url = (p: number) => `http://127.0.0.1:${p}`;
  const dataDir = fromRoot(env.SANDBOX_DATA_DIR || '.data');
  return {
    ports,
    urls: {
      paypal: url(ports.paypal),
      dataverse: url(ports.dataverse),
      proxy: url(ports.proxy),
      harness: url(ports.harness),
    },
    dataDir,
    store: storeSettings(env, dataDir),
  };
}

function storeSettings(env: NodeJS.ProcessEnv, dataDir: string): SandboxSettings['store'] {
  if (env.STORE && env.STORE !== 'embedded-postgres' && env.STORE !== 'pglite')
    throw new Error(`STORE must be embedded-postgres or pglite, got ${JSON.stringify(env.STORE)}`);
  const kind: SandboxSettings['store']['kind'] =
    env.STORE === 'pglite' || env.STORE === 'embedded-postgres'
      ? env.STORE
      : env.PGLITE_DATA_DIR
        ? 'pglite'
        : 'embedded-postgres';
  const given = env.STORE_DATA_DIR || env.PGLITE_DATA_DIR;
  return {
    kind,
    dataDir: given ? fromRoot(given) : join(dataDir, kind === 'pglite' ? 'proxy-pglite' : 'proxy-postgres'),
  };
}
