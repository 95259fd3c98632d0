// One gate per client (= per application user): Dataverse's service protection limits are counted per
// user, so when any request is answered 429 every request of this user waits until Retry-After has
// passed (https://learn.microsoft.com/power-apps/developer/data-platform/api-limits#retry-operations),
// and a cap keeps the in-flight count well under the 52 concurrent requests allowed per user.
// The pause is a promise made from the injected sleep, so tests with an instant sleep never spin.
// A concurrency breach (0x80072326) lowers the cap to what the server accepted; successes raise it again
// by one per `cap` successes (additive increase), never above maxConcurrency.

export class ThrottleGate {
  private readonly maxConcurrency: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private cap: number;
  private successes = 0;
  private inFlight = 0;
  private readonly queue: (() => void)[] = [];
  private pause: Promise<void> | null = null;
  private pauseUntil = 0;

  constructor(maxConcurrency: number, sleep: (ms: number) => Promise<void>, now: () => number) {
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1)
      throw new RangeError(`maxConcurrency must be a positive integer, got ${maxConcurrency}`);
    this.maxConcurrency = maxConcurrency;
    this.cap = maxConcurrency;
    this.sleep = sleep;
    this.now = now;
  }

  /** Runs fn once the gate is open and a concurrency slot is free. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      await this.waitOpen();
      const result = await fn();
      this.onSuccess();
      return result;
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

  /** Lowers the concurrency cap (at least 1) after the server refused a request for concurrency. */
  limitTo(n: number): void {
    this.cap = Math.max(1, Math.min(this.cap, n));
    this.successes = 0;
  }

  get concurrency(): number {
    return this.cap;
  }

  get closed(): boolean {
    return this.pause !== null;
  }

  get active(): number {
    return this.inFlight;
  }

  /** requests waiting for a slot */
  get queued(): number {
    return this.queue.length;
  }

  /** ms until the Retry-After pause ends (0 when open) */
  pausedMs(): number {
    return this.pause ? Math.max(0, this.pauseUntil - this.now()) : 0;
  }

  private async waitOpen(): Promise<void> {
    while (this.pause) await this.pause;
  }

  private onSuccess(): void {
    if (this.cap >= this.maxConcurrency) return;
    if (++this.successes >= this.cap) {
      this.cap++;
      this.successes = 0;
      this.pump();
    }
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.cap && this.queue.length === 0) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    this.inFlight--;
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.cap && this.queue.length > 0) {
      this.inFlight++;
      (this.queue.shift() as () => void)();
    }
  }
}
