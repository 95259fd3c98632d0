// Runs the real proxy (src/main.ts) as a child process, as `npm start` would, for crash tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll } from '@jest/globals';
import { proxyRoot } from './paths.ts';

export interface SpawnedProxy {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

// A proxy a failed test did not stop would keep jest (which holds its pipes) from exiting: whatever still runs
// after the file is killed.
const running = new Set<ChildProcess>();
afterAll(async () => {
  await Promise.all(
    [...running].map((child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      return exited;
    }),
  );
});

export async function spawnProxy(env: Record<string, string>): Promise<SpawnedProxy> {
  const child = spawn(process.execPath, [join(proxyRoot, 'src/main.ts')], {
    cwd: proxyRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`proxy did not start:\n${out}`));
    }, 45_000);
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`proxy exited with ${code} before listening:\n${out}`));
    });
  });
  return { child, url, output: () => out, exited };
}
