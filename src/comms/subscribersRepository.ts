import type { Database } from '../db/client';

/** True when the person was not subscribed before. */
export async function addSubscriber(db: Database, incidentId: number, userId: string, now: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('incident_subscribers')
    .values({ incident_id: incidentId, user_id: userId, subscribed_at: now })
    .onConflict((oc) => oc.doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** True when the person was subscribed. */
export async function removeSubscriber(db: Database, incidentId: number, userId: string): Promise<boolean> {
  const deleted = await db.deleteFrom('incident_subscribers').where('incident_id', '=', incidentId).where('user_id', '=', userId).returning('user_id').executeTakeFirst();
  return deleted !== undefined;
}

export async function listSubscribers(db: Database, incidentId: number): Promise<string[]> {
  const rows = await db.selectFrom('incident_subscribers').select('user_id').where('incident_id', '=', incidentId).orderBy('subscribed_at').execute();
  return rows.map((r) => r.user_id);
}
