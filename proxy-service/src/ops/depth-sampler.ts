// Queue depth over time for the admin console: one sample every 30 s (the last hour), kept in memory, started and
// stopped with the proxy. Prometheus keeps the long history (ppc_queue_depth).
import type { PgBoss } from 'pg-boss';

export interface DepthSample {
  at: string;
  queued: number;
  active: number;
}

export function startDepthSampler(boss: PgBoss, queue: string, options: { intervalMs?: number; keep?: number } = {}) {
  const samples: DepthSample[] = [];
  const keep = options.keep ?? 120;
  let stopped = false;
  let running: Promise<void> | undefined;
  const sample = async () => {
    try {
      const q = await boss.getQueue(queue);
      if (!q || stopped) return;
      samples.push({ at: new Date().toISOString().slice(11, 16), queued: q.queuedCount, active: q.activeCount });
      if (samples.length > keep) samples.shift();
    } catch {
      // The store is not answering (restart): a gap in the chart.
    }
  };
  const tick = () => {
    if (!running) running = sample().finally(() => (running = undefined));
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? 30_000);
  timer.unref();
  return {
    samples: (): readonly DepthSample[] => samples,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
