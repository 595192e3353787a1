import { sql } from 'kysely';
import type { Database } from './client';

/**
 * Records that a Slack event was handled; false when it already was (Slack retries an event with the
 * same event_id when our answer was slow or lost).
 */
export async function claimEvent(db: Database, eventId: string, now: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('processed_events')
    .values({ event_id: eventId, received_at: now })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Deletes up to `limit` event ids received before `before` (Slack retries an event for minutes, not days). */
export async function deleteProcessedEvents(db: Database, before: Date, limit: number): Promise<number> {
  const deleted = await sql<{ event_id: string }>`
    delete from processed_events where event_id in (
      select event_id from processed_events where received_at < ${before}::timestamptz
      order by received_at limit ${limit} for update skip locked
    ) returning event_id`.execute(db);
  return deleted.rows.length;
}
