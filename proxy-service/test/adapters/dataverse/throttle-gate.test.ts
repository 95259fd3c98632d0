// ThrottleGate in isolation: concurrency cap and the shared pause.
import { describe, expect, it } from '@jest/globals';
import { ThrottleGate } from '../../../src/adapters/dataverse/throttle-gate.ts';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function controlledSleep(): { sleep: (ms: number) => Promise<void>; calls: number[]; release: () => void } {
  const waiting: (() => void)[] = [];
  const calls: number[] = [];
  return {
    calls,
    sleep: (ms) => {
      calls.push(ms);
      return new Promise((resolve) => waiting.push(resolve));
    },
    release: () => waiting.splice(0).forEach((r) => r()),
  };
}

describe('ThrottleGate', () => {
  it('never has more than maxConcurrency tasks running', async () => {
    const gate = new ThrottleGate(3, async () => {}, Date.now);
    let running = 0;
    let peak = 0;
    const tasks = Array.from({ length: 20 }, () =>
      gate.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await turn();
        running--;
      }),
    );
    await Promise.all(tasks);
    expect(peak).toBe(3);
    expect(gate.active).toBe(0);
  });

  it('holds every task while closed; a shorter close does not shorten it, a longer one extends it', async () => {
    let now = 0;
    const s = controlledSleep();
    const gate = new ThrottleGate(8, s.sleep, () => now);
    gate.close(1000);
    gate.close(500);
    expect(s.calls).toEqual([1000]);
    let ran = 0;
    const task = gate.run(async () => {
      ran++;
    });
    await turn();
    expect(ran).toBe(0);
    now = 200;
    gate.close(2000);
    expect(s.calls).toEqual([1000, 2000]);
    s.release();
    await task;
    expect(ran).toBe(1);
    expect(gate.closed).toBe(false);
  });

  it('rejects a nonsensical cap', () => {
    expect(() => new ThrottleGate(0, async () => {}, Date.now)).toThrow(RangeError);
  });
});

describe('ThrottleGate adaptive cap', () => {
  it('limitTo lowers the cap; successes raise it back one step per cap successes up to the maximum', async () => {
    const gate = new ThrottleGate(4, async () => {}, Date.now);
    gate.limitTo(1);
    expect(gate.concurrency).toBe(1);
    await gate.run(async () => {});
    expect(gate.concurrency).toBe(2);
    await gate.run(async () => {});
    await gate.run(async () => {});
    expect(gate.concurrency).toBe(3);
    for (let i = 0; i < 10; i++) await gate.run(async () => {});
    expect(gate.concurrency).toBe(4);
    gate.limitTo(0);
    expect(gate.concurrency).toBe(1);
  });
});
