// Emulator clock: a start instant plus manual advances, optionally plus real elapsed time.
// Frozen by default for seeded runs so that every timestamp repeats.
export interface Clock {
  now(): Date;
  advance(ms: number): void;
}

export type ClockListener = (now: Date) => void;

export class EmulatorClock implements Clock {
  private offsetMs = 0;
  private readonly realStart = Date.now();
  private readonly listeners: ClockListener[] = [];
  private readonly startMs: number;
  private readonly flows: boolean;

  constructor(startMs: number, flows: boolean) {
    this.startMs = startMs;
    this.flows = flows;
  }

  now(): Date {
    return new Date(this.startMs + this.offsetMs + (this.flows ? Date.now() - this.realStart : 0));
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance needs a non-negative number of ms');
    this.offsetMs += ms;
    const now = this.now();
    for (const l of this.listeners) l(now);
  }

  onAdvance(listener: ClockListener): void {
    this.listeners.push(listener);
  }

  get offset(): number {
    return this.offsetMs;
  }

  set offset(ms: number) {
    this.offsetMs = ms;
  }
}

/** PayPal timestamps: RFC 3339 UTC with seconds, e.g. 2024-08-02T19:33:35Z. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
