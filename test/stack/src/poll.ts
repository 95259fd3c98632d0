// Waits by polling, never by a fixed sleep: the sandbox waits for the demo purchase to land in Dataverse.
// (Tests have the same helper in @ppc/test-support; the sandbox must not import a test-only workspace.)
import { setTimeout as delay } from 'node:timers/promises';

/** Calls check until it returns a truthy value (returned), or throws after timeoutMs. */
export async function pollUntil<T>(
  check: () => Promise<T | undefined> | T | undefined,
  { timeoutMs, intervalMs = 100, what }: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await delay(intervalMs);
  }
}
