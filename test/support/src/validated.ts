// Suites validated against the real services (as LocalStack marks tests validated against AWS and keeps
// their snapshots, and Azurite runs its tests against a live account): the same test runs against the local
// emulator (default) or, with PPC_TARGET=real and credentials, against PayPal's sandbox and a Dataverse
// environment. A run against the real service records each response, normalised (ids, times, debug ids,
// emails and hosts masked), as a snapshot in a committed folder; a run against the emulator compares its
// response's shape (keys and value types) with that snapshot when one exists.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shapeDiff } from './shape.ts';

export type TargetKind = 'emulator' | 'real';

/** PPC_TARGET: `emulator` (default) or `real`; anything else is a mistake worth stopping for. */
export function targetKind(env: NodeJS.ProcessEnv = process.env): TargetKind {
  const v = env.PPC_TARGET ?? 'emulator';
  if (v !== 'emulator' && v !== 'real') throw new Error(`PPC_TARGET must be "emulator" or "real", not "${v}"`);
  return v;
}

/** The named variables, or an error naming every missing one (a real run never skips silently). */
export function requireEnv<K extends string>(
  names: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): Record<K, string> {
  const missing = names.filter((n) => !env[n]);
  if (missing.length)
    throw new Error(
      `PPC_TARGET=real needs ${missing.join(', ')} in the environment (see README "Validated against the real services")`,
    );
  return Object.fromEntries(names.map((n) => [n, env[n]!])) as Record<K, string>;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;
const ID_KEY = /(^id$|_id$|^debug_id$|^etag$|^@odata\.etag$|^access_token$|^nonce$|^app_id$)/i;

/** Masks what differs between runs or identifies an account, keeping keys, types and the rest of the values. */
export function normalise(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, key));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, normalise(v, k)]));
  if (typeof value !== 'string') return value;
  if (ID_KEY.test(key)) return '<id>';
  if (ISO_TIME.test(value)) return '<time>';
  if (EMAIL.test(value)) return '<email>';
  if (/^https?:\/\//.test(value))
    return value.replace(/^https?:\/\/[^/]+/, '<base>').replace(/\/[A-Z0-9][A-Z0-9-]{9,}(?=\/|\?|$)/g, '/<id>');
  if (/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.test(value))
    return value.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<guid>');
  return value;
}

export interface Snapshots {
  readonly kind: TargetKind;
  /**
   * Real target: writes the normalised response as `<name>.json`. Emulator target: the shape differences from
   * that snapshot (empty when equal), or `undefined` when no real response was recorded yet.
   */
  check(name: string, response: { status: number; body: unknown }): string[] | undefined;
  /** Names checked against the emulator that have no recorded snapshot yet. */
  readonly unvalidated: string[];
}

export function snapshots(dir: string, kind: TargetKind = targetKind()): Snapshots {
  const unvalidated: string[] = [];
  return {
    kind,
    unvalidated,
    check(name, response) {
      if (!/^[a-z0-9][a-z0-9.-]*$/.test(name)) throw new Error(`snapshot name "${name}": use [a-z0-9.-]`);
      const file = join(dir, `${name}.json`);
      if (kind === 'real') {
        mkdirSync(dir, { recursive: true });
        const recorded = { status: response.status, body: normalise(response.body) };
        writeFileSync(file, `${JSON.stringify(recorded, null, 2)}\n`);
        return [];
      }
      if (!existsSync(file)) {
        unvalidated.push(name);
        return undefined;
      }
      const real = JSON.parse(readFileSync(file, 'utf8')) as { status: number; body: unknown };
      const diff = shapeDiff(real.body, response.body);
      return real.status === response.status ? diff : [`status ${real.status} → ${response.status}`, ...diff];
    },
  };
}

/** Snapshot names recorded in a folder (for the runner's summary). */
export function recordedSnapshots(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -5))
    : [];
}
