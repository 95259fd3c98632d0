// The schedule of scheduled payout builds (PAYOUT_BUILD_SCHEDULE), pure: its syntax and its slots.
/** "15m", "6h", "1d" (every …, slots counted from the Unix epoch in UTC) or "daily@HH:MM" (UTC). */
export type BuildSchedule = { kind: 'every'; ms: number } | { kind: 'daily'; minuteOfDay: number };

export function parseBuildSchedule(text: string): BuildSchedule | string {
  const t = text.trim();
  const every = /^(\d+)(m|h|d)$/.exec(t);
  if (every) {
    const n = Number(every[1]);
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[every[2] as 'm' | 'h' | 'd'];
    if (n < 1 || n * unit < 60_000) return 'the interval must be at least 1 minute';
    return { kind: 'every', ms: n * unit };
  }
  const daily = /^daily@([01]\d|2[0-3]):([0-5]\d)$/.exec(t);
  if (daily) return { kind: 'daily', minuteOfDay: Number(daily[1]) * 60 + Number(daily[2]) };
  return 'expected "<n>m", "<n>h", "<n>d" or "daily@HH:MM" (UTC)';
}

/** The slot `now` falls in, or undefined before the day's time of a daily schedule. */
export function slotOf(schedule: BuildSchedule, now: Date): string | undefined {
  if (schedule.kind === 'every') return `every:${schedule.ms}:${Math.floor(now.getTime() / schedule.ms)}`;
  const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
  if (minute < schedule.minuteOfDay) return undefined;
  return `daily:${now.toISOString().slice(0, 10)}`;
}
