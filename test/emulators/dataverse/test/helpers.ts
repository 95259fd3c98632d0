// Shared test helpers: an emulator on port 0 with the fixture solution, and a raw fetch client.
import { randomUUID } from 'node:crypto';
import { afterAll } from '@jest/globals';
import { createServer } from '../src/index.ts';
import type { DataverseEmulator, DataverseEmulatorConfig } from '../src/index.ts';

export const FIXTURE_SOLUTION = new URL('./fixtures/solution/', import.meta.url);

// Every emulator a test file starts is closed after the file, also one whose start outlived its hook's timeout
// (the file's own afterAll then found nothing to close): a server left listening keeps jest from exiting.
const starts = new Set<Promise<DataverseEmulator>>();
afterAll(async () => {
  for (const start of starts) await (await start.catch(() => undefined))?.close();
});

export function startEmulator(config: Partial<DataverseEmulatorConfig> = {}): Promise<DataverseEmulator> {
  const start = createServer({ solutionDir: FIXTURE_SOLUTION, ...config });
  starts.add(start);
  return start;
}

export function unique(prefix = 'x'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface Raw {
  status: number;
  headers: Headers;
  text: string;
  json: () => Record<string, unknown>;
}

export async function api(
  em: DataverseEmulator,
  method: string,
  path: string,
  opts: { body?: unknown; headers?: Record<string, string>; user?: string; token?: string } = {},
): Promise<Raw> {
  const token = opts.token ?? (await em.tokenFor(opts.user ?? 'integration'));
  const res = await fetch(`${em.apiUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      'OData-MaxVersion': '4.0',
      'OData-Version': '4.0',
      ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(opts.headers ?? {}),
    },
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

/** Polls until fn returns a truthy value (no sleeping tests). */
export async function eventually<T>(fn: () => T | Promise<T>, timeoutMs = 5000): Promise<NonNullable<T>> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}
