// Several application users behind one port. Dataverse's service protection limits (6,000 requests, 20 minutes
// of execution time, 52 concurrent requests per 5-minute sliding window) are counted per user
// (https://learn.microsoft.com/power-apps/developer/data-platform/api-limits#how-service-protection-api-limits-are-enforced),
// and Microsoft names more application users as the way to raise an integration's throughput
// (api-limits#how-to-maximize-throughput). Each user here has its own token, gate (Retry-After pause and
// concurrency cap) and counters; a request goes to the least-loaded open gate, and a request one user is
// throttled on (429) is sent again through another user's gate at once.
import { AppError } from '../../errors.ts';
import { decideRetry } from '../../retry/retry-policy.ts';
import type { DataverseClient } from './client.ts';
import { fromThrown } from './dataverse-errors.ts';
import type { BatchItem, BatchOp, DataverseStats, GateLoad } from './types.ts';

export interface UserPool extends DataverseClient {
  readonly size: number;
  /** counters per application user, in the order given */
  statsByUser(): DataverseStats[];
}

/** Open gates first, then the fewest requests pending; a paused gate ranks by how soon it opens. */
function rank(a: GateLoad, b: GateLoad): number {
  if (a.pausedMs > 0 !== b.pausedMs > 0) return a.pausedMs > 0 ? 1 : -1;
  if (a.pausedMs > 0) return a.pausedMs - b.pausedMs;
  return a.pending / a.cap - b.pending / b.cap;
}

/**
 * `users`: one client per application user, made with `handOffThrottled: true` so a 429 comes back here
 * (after closing that user's gate) instead of being waited out on the same user.
 */
export function createUserPool(
  users: DataverseClient[],
  options: { random?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): UserPool {
  if (users.length === 0) throw new RangeError('a pool needs at least one application user');
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let rotor = 0;

  function pick(exclude: Set<DataverseClient>): DataverseClient {
    // round-robin start so equal loads spread instead of all landing on the first user
    const start = rotor++ % users.length;
    const order = [...users.slice(start), ...users.slice(0, start)];
    const candidates = order.filter((u) => !exclude.has(u));
    const pool = candidates.length ? candidates : order;
    let best = pool[0]!;
    let bestLoad = best.load();
    for (const u of pool.slice(1)) {
      const l = u.load();
      if (rank(l, bestLoad) < 0) {
        best = u;
        bestLoad = l;
      }
    }
    return best;
  }

  async function run<T>(fn: (user: DataverseClient) => Promise<T>): Promise<T> {
    const tried = new Set<DataverseClient>();
    for (let attempt = 1; ; attempt++) {
      const user = pick(tried);
      try {
        return await fn(user);
      } catch (e) {
        const err = fromThrown(e);
        if (err.httpStatus !== 429) throw err;
        tried.add(user);
        // another user is open: move there now; when every user has been throttled, the retry table decides
        // (the least-paused gate then holds the request until its Retry-After has passed)
        if (tried.size < users.length) continue;
        const decision = decideRetry(err, 'dataverse', attempt - users.length + 1, {
          ...(options.random ? { random: options.random } : {}),
        });
        if (!decision.retry) throw err;
        tried.clear();
        if (decision.delayMs > 0 && !(err instanceof AppError && err.retryAfterMs)) await sleep(decision.delayMs);
      }
    }
  }

  const sum = (xs: DataverseStats[]): DataverseStats => {
    const throttled: Record<string, number> = {};
    for (const s of xs) for (const [k, v] of Object.entries(s.throttled)) throttled[k] = (throttled[k] ?? 0) + v;
    return {
      requests: xs.reduce((n, s) => n + s.requests, 0),
      operations: xs.reduce((n, s) => n + s.operations, 0),
      throttled,
    };
  };

  return {
    size: users.length,
    get: (path, select) => run((u) => u.get(path, select)),
    query: (set, q, max) => run((u) => u.query(set, q, max)),
    changeSet: (ops: BatchOp[]) => run((u) => u.changeSet(ops)),
    readBatch: (paths: string[]) => run((u) => u.readBatch(paths)),
    update: (path, body, ifMatch) => run((u) => u.update(path, body, ifMatch)),
    batch: (items: BatchItem[]) => run((u) => u.batch(items)),
    load() {
      const loads = users.map((u) => u.load());
      return {
        pending: loads.reduce((n, l) => n + l.pending, 0),
        pausedMs: Math.min(...loads.map((l) => l.pausedMs)),
        cap: loads.reduce((n, l) => n + l.cap, 0),
      };
    },
    stats: () => sum(users.map((u) => u.stats())),
    statsByUser: () => users.map((u) => u.stats()),
  };
}
