// In-process locks by key. Captures of the same customer or product would otherwise race on the same
// ETag (If-Match) and fail each other's change sets; inside one replica they take turns instead. Across
// replicas If-Match still guards correctness and the loser re-reads and retries.
export class KeyedLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs fn holding every key; keys are taken in sorted order so two callers cannot deadlock. */
  async run<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const releases: (() => void)[] = [];
    try {
      for (const key of sorted) releases.push(await this.acquire(key));
      return await fn();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  private async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }

  get size(): number {
    return this.tails.size;
  }
}

/** The lock key of one PayPal payment: order-to-cash, refunds and reversals of it take turns. */
export const paymentLockKey = (paypalId: string) => `payment:${paypalId}`;

/** Runs fn holding the lock of one PayPal payment (capture or sale), shared with order-to-cash: two refunds
 * of one capture never interleave (read refundable → call PayPal → book) inside this process. */
export function paymentLock(locks: KeyedLocks = new KeyedLocks()) {
  return function run<T>(paypalId: string, fn: () => Promise<T>): Promise<T> {
    return locks.run([paymentLockKey(paypalId)], fn);
  };
}
export type PaymentLock = ReturnType<typeof paymentLock>;
