/**
 * Wall-clock times in a person's Slack time zone. Slack gives both an IANA zone (`tz`) and the offset
 * in effect when asked (`tz_offset`); the zone is right across daylight-saving changes, the offset is
 * the fallback when the runtime does not know the zone.
 */
export interface TimeZone {
  tz: string | null;
  /** Seconds east of UTC. */
  offsetSeconds: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The zone's offset from UTC at `at`, in milliseconds. */
function offsetMs(zone: TimeZone, at: Date): number {
  if (zone.tz) {
    try {
      const parts = Object.fromEntries(formatterFor(zone.tz).formatToParts(at).map((p) => [p.type, p.value]));
      const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
      return wall - Math.floor(at.getTime() / 1000) * 1000;
    } catch {
      // An unknown zone name: use the offset Slack gave.
    }
  }
  return zone.offsetSeconds * 1000;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant it is `hour`:00 on `date` (YYYY-MM-DD) in the zone. */
export function zonedTime(date: string, hour: number, zone: TimeZone): Date {
  const m = DATE.exec(date);
  if (!m) throw new Error(`Not a calendar date: ${date}`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), hour);
  // Two passes settle the offset on either side of a daylight-saving change.
  let guess = wall - offsetMs(zone, new Date(wall));
  guess = wall - offsetMs(zone, new Date(guess));
  return new Date(guess);
}

/** The calendar date (YYYY-MM-DD) it is at `at` in the zone. */
export function zonedDate(at: Date, zone: TimeZone): string {
  return new Date(at.getTime() + offsetMs(zone, at)).toISOString().slice(0, 10);
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const m = DATE.exec(date);
  if (!m) throw new Error(`Not a calendar date: ${date}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Whether `text` is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  return DATE.test(text) && addDays(text, 0) === text;
}

/** The earliest date anywhere on Earth right now (UTC−12): a date before it is in the past for everyone. */
export function earliestDateAnywhere(now: Date): string {
  return zonedDate(now, { tz: null, offsetSeconds: -12 * 3600 });
}
