// One gate per client (= per application user): Dataverse's service protection limits are counted per
// user, so when any request is answered 429 every request of this user waits until Retry-After has
// passed (https://learn.microsoft.com/power-apps/developer/data-platform/api-limits#retry-operations),
// and a cap keeps the in-flight count well under the 52 concurrent requests allowed per user.
// The pause is a promise made from the injected sleep, so tests with an instant sleep never spin.

export class ThrottleGate {
  private readonly maxConcurrency: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private inFlight = 0;
  private readonly queue: (() => void)[] = [];
  private pause: Promise<void> | null = null;
  private pauseUntil = 0;

  constructor(maxConcurrency: number, sleep: (ms: number) => Promise<void>, now: () => number) {
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) throw new RangeError(`maxConcurrency must be a positive integer, got ${maxConcurrency}`);
    this.maxConcurrency = maxConcurrency;
    this.sleep = sleep;
    this.now = now;
  }

  /** Runs fn once the gate is open and a concurrency slot is free. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      await this.waitOpen();
      return await fn();
    } finally {
      this.release();
    }
  }

  /** Closes the gate for everyone for ms (a later, longer Retry-After extends it; a shorter one does not shorten it). */
  close(ms: number): void {
    const until = this.now() + ms;
    if (this.pause && until <= this.pauseUntil) return;
    this.pauseUntil = until;
    const p: Promise<void> = this.sleep(ms).then(() => {
      if (this.pause === p) this.pause = null;
    });
    this.pause = p;
  }

  get closed(): boolean {
    return this.pause !== null;
  }

  get active(): number {
    return this.inFlight;
  }

  private async waitOpen(): Promise<void> {
    while (this.pause) await this.pause;
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.maxConcurrency) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    // hand the slot straight to the next waiter: inFlight stays the same
    if (next) next();
    else this.inFlight--;
  }
}
