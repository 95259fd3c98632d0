// Fault injection (control API): 429/5xx answers and latency for the next N calls, for a route, or with a
// seeded probability. A route is a glob over "METHOD /path" (e.g. "POST /v2/checkout/orders/*/capture")
// or over the path alone.
import { Random } from './random.ts';

export interface Fault {
  id: string;
  route?: string;
  status?: number;
  retryAfterSeconds?: number;
  latencyMs?: number;
  /** How many matching calls it applies to; unlimited when absent. */
  times?: number;
  /** Chance per matching call (seeded); always when absent. */
  probability?: number;
}

export class Faults {
  private list: Fault[] = [];
  private readonly random: Random;
  private counter = 0;

  constructor(seed: string | number) {
    this.random = new Random(`${seed}:faults`);
  }

  add(f: Omit<Fault, 'id'>): Fault {
    const fault = { ...f, id: `FAULT-${++this.counter}` };
    this.list.push(fault);
    return fault;
  }

  all(): Fault[] {
    return this.list;
  }

  clear(): void {
    this.list = [];
  }

  /** Faults that fire for this call (consumes counts). */
  take(method: string, path: string): Fault[] {
    const fired: Fault[] = [];
    for (const f of this.list) {
      if (f.route && !globMatch(f.route, method, path)) continue;
      if (f.probability !== undefined && this.random.next() >= f.probability) continue;
      if (f.times !== undefined) f.times--;
      fired.push(f);
    }
    this.list = this.list.filter((f) => f.times === undefined || f.times > 0);
    return fired;
  }
}

function globMatch(glob: string, method: string, path: string): boolean {
  const re = new RegExp(
    `^${glob
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return glob.startsWith('/') ? re.test(path) : re.test(`${method} ${path}`);
}
