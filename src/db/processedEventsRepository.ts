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
