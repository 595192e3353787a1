import { createTask, parse } from 'node-cron';

/** How far back a firing is looked for: a cron that fires less than every five years has none. */
const MAX_DAYS_BACK = 5 * 366;

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallTimeIn(at: number, timeZone: string): WallTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour, minute: +parts.minute, second: +parts.second };
}

const asUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** The instant a wall-clock time names in `timeZone` (the later offset's reading when a shift makes it ambiguous). */
function instantOf(w: WallTime, timeZone: string): number {
  const guess = asUtc(w);
  const offset = (at: number) => asUtc(wallTimeIn(at, timeZone)) - Math.floor(at / 1000) * 1000;
  const first = guess - offset(guess);
  const second = guess - offset(first);
  return Math.max(first, second);
}

const descending = (values: number[]) => [...values].sort((a, b) => b - a);

/**
 * The latest time at or before `now` when `cron` fires in `timeZone` — the start of the period `now`
 * is in — or null when it has not fired in five years. Matching is node-cron's own (the scheduler's
 * cron library), so a period starts exactly when a replica's cron wakes it; days are walked back
 * from today and, on a day that matches, times from the latest down.
 */
export function latestFiring(cron: string, timeZone: string, now: Date): Date | null {
  const fields = parse(cron);
  const [hours, minutes, seconds] = [descending(fields.hour), descending(fields.minute), descending(fields.second)];
  const matcher = createTask(cron, () => undefined, { timezone: timeZone });
  try {
    const nowMs = Math.floor(now.getTime() / 1000) * 1000;
    const today = wallTimeIn(nowMs, timeZone);
    for (let back = 0; back <= MAX_DAYS_BACK; back += 1) {
      const date = new Date(Date.UTC(today.year, today.month - 1, today.day - back));
      const day = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
      // Does the day itself match (day of month, month, weekday)? Tried at its earliest firing time.
      const earliest = { ...day, hour: hours[hours.length - 1], minute: minutes[minutes.length - 1], second: seconds[seconds.length - 1] };
      const sameDay = back === 0;
      if (!sameDay && !matcher.match(new Date(instantOf(earliest, timeZone)))) continue;
      for (const hour of hours) {
        if (sameDay && hour > today.hour) continue;
        for (const minute of minutes) {
          if (sameDay && hour === today.hour && minute > today.minute) continue;
          for (const second of seconds) {
            const at = instantOf({ ...day, hour, minute, second }, timeZone);
            if (at <= nowMs && matcher.match(new Date(at))) return new Date(at);
          }
        }
      }
    }
    return null;
  } finally {
    void matcher.destroy();
  }
}
