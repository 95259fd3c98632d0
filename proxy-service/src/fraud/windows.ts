// Velocity windows: per key (payer, e-mail, shipping address, card) the payments and declines of the last 24 hours
// in hourly buckets, plus the key's last amounts (the customer's own history for the robust z-score).
//
// A "last hour" count is the sliding-window counter approximation: the current bucket plus the previous one
// weighted by the part of it still inside the window (the rate limiter technique of
// blog.cloudflare.com/counting-things-a-lot-of-different-things; error bounded by the previous bucket's count).
// Pure: the proxy keeps a WindowState per key in its database (store.ts), the evaluation and the benchmark in
// memory (MemoryWindows) — the same functions either way.

export const BUCKETS = 24;
export const HISTORY = 16;
const HOUR_MS = 3_600_000;

export interface WindowState {
  /** epoch hour of the newest bucket (index hourBase % BUCKETS) */
  hourBase: number;
  counts: number[];
  declines: number[];
  /** the key's last amounts (minor units, one currency per key), oldest first */
  amounts: number[];
}

export interface WindowCounts {
  lastHour: number;
  last24h: number;
  declinesLastHour: number;
  /** amounts seen before this payment */
  history: number[];
}

export const emptyWindow = (hour: number): WindowState => ({
  hourBase: hour,
  counts: new Array<number>(BUCKETS).fill(0),
  declines: new Array<number>(BUCKETS).fill(0),
  amounts: [],
});

/** The state moved forward to `hour`: buckets that left the window are cleared. */
export function advance(s: WindowState, hour: number): WindowState {
  if (hour <= s.hourBase) return s;
  const counts = [...s.counts];
  const declines = [...s.declines];
  const gap = Math.min(hour - s.hourBase, BUCKETS);
  for (let h = s.hourBase + 1; h <= s.hourBase + gap; h++) {
    counts[h % BUCKETS] = 0;
    declines[h % BUCKETS] = 0;
  }
  return { hourBase: hour, counts, declines, amounts: s.amounts };
}

/** What the window says before this payment, at time `atMs`. */
export function countsAt(state: WindowState | undefined, atMs: number): WindowCounts {
  if (!state) return { lastHour: 0, last24h: 0, declinesLastHour: 0, history: [] };
  const hour = Math.floor(atMs / HOUR_MS);
  const s = advance(state, hour);
  const elapsed = (atMs - hour * HOUR_MS) / HOUR_MS;
  const cur = hour % BUCKETS;
  const prev = (hour - 1 + BUCKETS) % BUCKETS;
  // A payment older than the state's newest bucket (out of order) is counted against the newest window.
  const weight = hour < state.hourBase ? 0 : 1 - elapsed;
  return {
    lastHour: s.counts[cur]! + s.counts[prev]! * weight,
    last24h: s.counts.reduce((a, b) => a + b, 0),
    declinesLastHour: s.declines[cur]! + s.declines[prev]! * weight,
    history: s.amounts,
  };
}

/** The state after recording one payment (declined or not) of `amountMinor` at `atMs`. */
export function record(
  state: WindowState | undefined,
  atMs: number,
  amountMinor: number,
  declined: boolean,
  keepAmount: boolean,
): WindowState {
  const hour = Math.floor(atMs / HOUR_MS);
  const s = advance(state ?? emptyWindow(hour), hour);
  const counts = s === state ? [...s.counts] : s.counts;
  const declines = s === state ? [...s.declines] : s.declines;
  // A late payment counts in its own hour while that hour is still inside the window.
  if (hour > s.hourBase - BUCKETS) {
    const idx = hour % BUCKETS;
    counts[idx] = counts[idx]! + 1;
    if (declined) declines[idx] = declines[idx]! + 1;
  }
  const amounts = keepAmount && !declined ? [...s.amounts, amountMinor].slice(-HISTORY) : s.amounts;
  return { hourBase: s.hourBase, counts, declines, amounts };
}

/** Where window states live: the proxy's database, or memory (evaluation, benchmark). */
export interface WindowStore {
  /** The states of `keys` (absent keys are missing from the map). */
  load(keys: string[]): Promise<Map<string, WindowState>>;
  save(states: Map<string, WindowState>): Promise<void>;
}

const SLOTS = 2 + 2 * BUCKETS + HISTORY;
const SLAB_KEYS = 65_536;

/**
 * In memory, compact: per key 66 int32 slots (hour, 24 counts, 24 declines, amount count, 16 amounts) in slabs of
 * 65,536 keys, and a Map from key to slot: about 264 bytes per key plus the Map entry and the key string. Used by
 * the evaluation and the benchmark.
 */
export class MemoryWindows implements WindowStore {
  private readonly index = new Map<string, number>();
  private readonly slabs: Int32Array[] = [];
  get size(): number {
    return this.index.size;
  }
  private slot(i: number): Int32Array {
    const slab = this.slabs[Math.floor(i / SLAB_KEYS)]!;
    const at = (i % SLAB_KEYS) * SLOTS;
    return slab.subarray(at, at + SLOTS);
  }
  loadSync(key: string): WindowState | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    const a = this.slot(i);
    const n = a[1 + 2 * BUCKETS]!;
    return {
      hourBase: a[0]!,
      counts: Array.from(a.subarray(1, 1 + BUCKETS)),
      declines: Array.from(a.subarray(1 + BUCKETS, 1 + 2 * BUCKETS)),
      amounts: Array.from(a.subarray(2 + 2 * BUCKETS, 2 + 2 * BUCKETS + n)),
    };
  }
  saveSync(key: string, s: WindowState): void {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.index.size;
      if (i % SLAB_KEYS === 0) this.slabs.push(new Int32Array(SLAB_KEYS * SLOTS));
      this.index.set(key, i);
    }
    const a = this.slot(i);
    a[0] = s.hourBase;
    a.set(s.counts, 1);
    a.set(s.declines, 1 + BUCKETS);
    a[1 + 2 * BUCKETS] = s.amounts.length;
    // amounts above 2^31-1 minor units are clamped: the z-score only needs their order of magnitude
    for (let k = 0; k < s.amounts.length; k++) a[2 + 2 * BUCKETS + k] = Math.min(s.amounts[k]!, 2 ** 31 - 1);
  }
  load(keys: string[]): Promise<Map<string, WindowState>> {
    const out = new Map<string, WindowState>();
    for (const k of keys) {
      const s = this.loadSync(k);
      if (s) out.set(k, s);
    }
    return Promise.resolve(out);
  }
  save(states: Map<string, WindowState>): Promise<void> {
    for (const [k, s] of states) this.saveSync(k, s);
    return Promise.resolve();
  }
}
