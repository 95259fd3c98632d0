// Rejected requests are counted always and logged sampled: the first few per source, reason and minute, then
// one line saying how many were not logged. A flood of forged or malformed requests costs a counter increment
// each, not a log line each (a log line is still capped: see capped() in logger.ts).
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';

export const REJECT_LOG_PER_MINUTE = 10;
const WINDOW_MS = 60_000;

export type RejectLog = (source: string, reason: string, fields: Record<string, unknown>, message: string) => void;

export function createRejectLog(deps: {
  log: Logger;
  metrics: Metrics;
  perMinute?: number;
  now?: () => number;
}): RejectLog {
  const perMinute = deps.perMinute ?? REJECT_LOG_PER_MINUTE;
  const now = deps.now ?? Date.now;
  // Keys are source × reason, both from fixed sets in our code: the map stays small.
  const windows = new Map<string, { start: number; logged: number; unlogged: number }>();
  return (source, reason, fields, message) => {
    deps.metrics.rejected.inc({ source, reason });
    const key = `${source}\u0000${reason}`;
    const t = now();
    let w = windows.get(key);
    if (!w || t - w.start >= WINDOW_MS) {
      if (w?.unlogged)
        deps.log.warn({ security: true, source, reason, unlogged: w.unlogged }, 'rejections not logged last minute');
      w = { start: t, logged: 0, unlogged: 0 };
      windows.set(key, w);
    }
    if (w.logged < perMinute) {
      w.logged++;
      deps.log.warn({ security: true, source, reason, ...fields }, message);
    } else {
      w.unlogged++;
      deps.metrics.rejectLogsSuppressed.inc({ source, reason });
    }
  };
}
