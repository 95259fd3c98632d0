// The sandbox's ADMIN_TOKEN for the proxy's /admin/* endpoints. One random token per data directory, kept
// in it (mode 0600): it guards that directory's dead letters, stays the same across restarts (a curl line
// from yesterday still works) and goes away with the data (`rm -rf .data`). ADMIN_TOKEN in the environment
// wins. The start script prints it once; the proxy's logger never sees it (pino redacts `*.adminToken`).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The proxy accepts admin tokens of at least 16 characters (proxy-service config, ADMIN_TOKEN). */
const MIN_LENGTH = 16;

export function adminTokenFor(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.ADMIN_TOKEN) return env.ADMIN_TOKEN;
  const file = join(dataDir, 'admin-token');
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= MIN_LENGTH) return kept;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = randomBytes(24).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
