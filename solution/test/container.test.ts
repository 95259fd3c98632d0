// proxy-service/Dockerfile: the runtime stage's COPY lines are all the proxy needs. The image's tree is assembled
// in a temporary folder from exactly those lines (node_modules linked from this checkout, as `npm ci` lays it out:
// workspace packages as relative links into the copied folders), the proxy is started from it with the image's
// CMD and environment, and the probes the Dockerfile and README name answer. No Docker daemon is needed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SOLUTION_DIR } from './helpers.ts';

const ROOT = join(SOLUTION_DIR, '..');

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** The runtime stage: COPY lines after the last FROM (except --from=deps), ENV and CMD. */
function runtimeStage(dockerfile: string): { copies: string[]; env: Record<string, string>; cmd: string[] } {
  const joined = dockerfile.replace(/\\\n\s*/g, ' ');
  const stage = joined.slice(joined.lastIndexOf('\nFROM '));
  const copies = [...stage.matchAll(/^COPY (?!--from)(\S+) (\S+)$/gm)].map((m) => m[1]!);
  const env: Record<string, string> = {};
  for (const m of stage.matchAll(/^ENV (.+)$/gm))
    for (const kv of m[1]!.trim().split(/\s+/)) {
      const [k, v] = kv.split('=');
      env[k!] = v!;
    }
  const cmd = JSON.parse(/^CMD (\[.+\])$/m.exec(stage)![1]!) as string[];
  return { copies, env, cmd };
}

describe('proxy container image (proxy-service/Dockerfile)', () => {
  let dir: string;
  let proc: ChildProcess;
  let port: number;
  let output = '';
  let stage: ReturnType<typeof runtimeStage>;

  beforeAll(async () => {
    stage = runtimeStage(await readFile(join(ROOT, 'proxy-service', 'Dockerfile'), 'utf8'));
    dir = await mkdtemp(join(tmpdir(), 'ppc-image-'));
    for (const path of stage.copies) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await cp(join(ROOT, path), join(dir, path), { recursive: true });
    }
    await mkdir(join(dir, 'node_modules', '@ppc'), { recursive: true });
    for (const e of await readdir(join(ROOT, 'node_modules')))
      if (e !== '@ppc' && e !== '.bin') await symlink(join(ROOT, 'node_modules', e), join(dir, 'node_modules', e));
    // what the deps stage installs per workspace (nested versions), as the COPY --from=deps lines bring it
    for (const ws of ['proxy-service', 'solution'])
      await symlink(join(ROOT, ws, 'node_modules'), join(dir, ws, 'node_modules'));
    await symlink('../../proxy-service', join(dir, 'node_modules', '@ppc', 'proxy-service'));
    await symlink('../../solution', join(dir, 'node_modules', '@ppc', 'solution'));
    port = await freePort();
    const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
    Object.assign(env, stage.env, {
      HOST: '127.0.0.1',
      PORT: String(port),
      STORE: 'pglite',
      STORE_DATA_DIR: 'memory://',
    });
    proc = spawn(process.execPath, stage.cmd.slice(1), { cwd: dir, env });
    proc.stdout?.on('data', (b: Buffer) => (output += b.toString()));
    proc.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  }, 60_000);

  afterAll(async () => {
    if (proc && proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('copies only the proxy, the solution model and manifests; runs the proxy on 0.0.0.0:8080 in production', () => {
    expect(stage.copies).toEqual([
      'package.json',
      'proxy-service/package.json',
      'proxy-service/src',
      'solution/package.json',
      'solution/packer',
    ]);
    expect(stage.env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '8080' });
    expect(stage.cmd).toEqual(['node', 'proxy-service/src/main.ts']);
  });

  it('started from those files alone, it answers /healthz (liveness) and /readyz (readiness), and drains on SIGTERM', async () => {
    const deadline = Date.now() + 45_000;
    let health: Response | undefined;
    while (Date.now() < deadline && proc.exitCode === null) {
      health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      if (health?.ok) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect({ exit: proc.exitCode, status: health?.status, output: health?.ok ? '' : output }).toEqual({
      exit: null,
      status: 200,
      output: '',
    });
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', queue: 'ok' } });
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
