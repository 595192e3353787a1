import type { Database } from '../db/client';
import type { TimeZone } from './localTime';

export async function findCachedTimeZone(db: Database, userId: string, freshAfter: Date): Promise<TimeZone | null> {
  const row = await db
    .selectFrom('user_time_zones')
    .select(['tz', 'tz_offset'])
    .where('user_id', '=', userId)
    .where('fetched_at', '>=', freshAfter)
    .executeTakeFirst();
  return row ? { tz: row.tz, offsetSeconds: row.tz_offset } : null;
}

export async function cacheTimeZone(db: Database, userId: string, zone: TimeZone, now: Date): Promise<void> {
  await db
    .insertInto('user_time_zones')
    .values({ user_id: userId, tz: zone.tz, tz_offset: zone.offsetSeconds, fetched_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ tz: zone.tz, tz_offset: zone.offsetSeconds, fetched_at: now }))
    .execute();
}
