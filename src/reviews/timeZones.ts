import type { Database } from '../db/client';
import { zonedDate, type TimeZone } from './localTime';
import type { PersonDirectory } from './ports';
import { cacheTimeZone, findCachedTimeZone } from './timeZoneRepository';

/** People rarely move; a week-old time zone is still good, and users.info is asked at most weekly per person. */
const FRESH_FOR_MS = 7 * 86_400_000;

/**
 * A person's Slack time zone, from the cache when it is fresh, else from Slack (and cached). When Slack
 * cannot be asked, a stale cached zone is better than none; with none at all the lookup's error is thrown.
 */
export async function timeZoneOf(db: Database, people: PersonDirectory, userId: string, now: Date): Promise<TimeZone> {
  const fresh = await findCachedTimeZone(db, userId, new Date(now.getTime() - FRESH_FOR_MS));
  if (fresh) return fresh;
  try {
    const person = await people.lookup(userId);
    const zone = { tz: person.tz, offsetSeconds: person.offsetSeconds };
    await cacheTimeZone(db, userId, zone, now);
    return zone;
  } catch (err) {
    const stale = await findCachedTimeZone(db, userId, new Date(0));
    if (stale) return stale;
    throw err;
  }
}

/**
 * Today's date where the person is, from the cached zone only (no Slack call on a request's path);
 * UTC's date when Herald has not met them yet.
 */
export async function todayFor(db: Database, userId: string, now: Date): Promise<string> {
  const zone = await findCachedTimeZone(db, userId, new Date(0));
  return zonedDate(now, zone ?? { tz: null, offsetSeconds: 0 });
}
