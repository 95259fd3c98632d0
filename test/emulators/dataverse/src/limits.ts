// Service protection limits per user (api-limits.md): requests and combined execution time in a
// sliding window, plus concurrent requests. A $batch is one request but every operation in it is
// charged execution time, so bundling meets the same ceiling a real environment has.
import type { Clock } from './clock.ts';
import { Errors } from './errors.ts';

export interface ServiceProtectionLimits {
  /** requests per window per user (default 6000) */
  requests: number;
  /** window length in seconds (default 300) */
  windowSeconds: number;
  /** combined execution time per window in ms (default 1,200,000) */
  executionTimeMs: number;
  /** concurrent requests per user (default 52) */
  concurrent: number;
  /** execution time charged per operation kind, ms */
  costMs: { read: number; write: number };
  /** per-user overrides by systemuserid */
  perUser?: Record<string, Partial<Omit<ServiceProtectionLimits, 'perUser'>>>;
}

export const DEFAULT_LIMITS: ServiceProtectionLimits = {
  requests: 6000,
  windowSeconds: 300,
  executionTimeMs: 1_200_000,
  concurrent: 52,
  costMs: { read: 5, write: 20 },
};

interface UserWindow {
  requests: number[];
  charges: { at: number; ms: number }[];
  /** running sum of charges[].ms */
  spent: number;
  inFlight: number;
}

export interface LimitCounters {
  requests: number;
  throttled: Record<string, number>;
  /** execution time charged, ms, all users */
  chargedMs: number;
  /** requests admitted and execution time charged, per systemuserid */
  byUser: Record<string, { requests: number; chargedMs: number }>;
}

export class Limiter {
  private readonly users = new Map<string, UserWindow>();
  limits: ServiceProtectionLimits;
  private readonly clock: Clock;
  readonly counters: LimitCounters = { requests: 0, throttled: {}, chargedMs: 0, byUser: {} };
  constructor(limits: ServiceProtectionLimits, clock: Clock) {
    this.limits = limits;
    this.clock = clock;
  }

  private forUser(userId: string): ServiceProtectionLimits {
    return { ...this.limits, ...(this.limits.perUser?.[userId] ?? {}) };
  }

  private window(userId: string): UserWindow {
    let w = this.users.get(userId);
    if (!w) {
      w = { requests: [], charges: [], spent: 0, inFlight: 0 };
      this.users.set(userId, w);
    }
    return w;
  }

  /** Admits a request or throws the documented 429; call release() when it ends. */
  admit(userId: string): { release: (chargeMs: number) => void } {
    const l = this.forUser(userId);
    const w = this.window(userId);
    const now = this.clock.now();
    const windowMs = l.windowSeconds * 1000;
    while (w.requests.length && (w.requests[0] as number) <= now - windowMs) w.requests.shift();
    while (w.charges.length && (w.charges[0] as { at: number }).at <= now - windowMs)
      w.spent -= (w.charges.shift() as { ms: number }).ms;
    const throttle = (code: string, e: Error): never => {
      this.counters.throttled[code] = (this.counters.throttled[code] ?? 0) + 1;
      throw e;
    };
    if (w.inFlight >= l.concurrent) throttle('0x80072326', Errors.concurrency(l.concurrent));
    if (w.requests.length >= l.requests) {
      const retry = Math.max(1, Math.ceil(((w.requests[0] as number) + windowMs - now) / 1000));
      throttle('0x80072322', Errors.tooManyRequests(l.requests, l.windowSeconds, retry));
    }
    const spent = w.spent;
    if (spent >= l.executionTimeMs) {
      // retry when enough charge has left the window to get under the limit again
      let excess = spent - l.executionTimeMs;
      let until = now;
      for (const c of w.charges) {
        excess -= c.ms;
        until = c.at + windowMs;
        if (excess < 0) break;
      }
      throttle(
        '0x80072321',
        Errors.executionTime(l.executionTimeMs, l.windowSeconds, Math.max(1, Math.ceil((until - now) / 1000))),
      );
    }
    w.requests.push(now);
    w.inFlight++;
    this.counters.requests++;
    const mine = (this.counters.byUser[userId] ??= { requests: 0, chargedMs: 0 });
    mine.requests++;
    let released = false;
    return {
      release: (chargeMs: number) => {
        if (released) return;
        released = true;
        w.inFlight--;
        if (chargeMs > 0) {
          w.charges.push({ at: this.clock.now(), ms: chargeMs });
          w.spent += chargeMs;
          this.counters.chargedMs += chargeMs;
          mine.chargedMs += chargeMs;
        }
      },
    };
  }

  /** Debug headers Dataverse returns (api-limits.md). */
  remaining(userId: string): Record<string, string> {
    const l = this.forUser(userId);
    const w = this.window(userId);
    const spent = w.spent;
    return {
      'x-ms-ratelimit-burst-remaining-xrm-requests': String(Math.max(0, l.requests - w.requests.length)),
      'x-ms-ratelimit-time-remaining-xrm-requests': String(Math.max(0, l.executionTimeMs - spent)),
    };
  }

  inFlight(userId: string): number {
    return this.users.get(userId)?.inFlight ?? 0;
  }

  reset(): void {
    this.users.clear();
    this.counters.requests = 0;
    this.counters.throttled = {};
    this.counters.chargedMs = 0;
    this.counters.byUser = {};
  }
}
