// The merchant's time zone for "unusual hour" (FRAUD_TIME_ZONE): IANA names, hours by Intl (the runtime's tz data,
// so daylight saving time moves the hour with the merchant's clock). No dependency: config.ts validates with it.

/** Whether `tz` is an IANA time zone this runtime knows (Intl throws a RangeError for any other). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const hourFormats = new Map<string, Intl.DateTimeFormat>();
/** The last 15-minute slot asked per zone: a UTC offset changes only at a quarter hour, so the hour holds within it. */
const lastSlot = new Map<string, { slot: number; hour: number }>();
const QUARTER_MS = 900_000;

/**
 * The hour of the day (0–23) of an instant in the merchant's time zone, by Intl (the IANA rules: daylight saving
 * time moves the hour with the clock). UTC and an absent zone read the UTC hour.
 */
export function localHour(at: string | number, timeZone?: string): number {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!timeZone || timeZone === 'UTC') return new Date(ms).getUTCHours();
  const slot = Math.floor(ms / QUARTER_MS);
  const last = lastSlot.get(timeZone);
  if (last?.slot === slot) return last.hour;
  let f = hourFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' });
    hourFormats.set(timeZone, f);
  }
  const hour = Number(f.formatToParts(ms).find((part) => part.type === 'hour')!.value) % 24;
  lastSlot.set(timeZone, { slot, hour });
  return hour;
}
