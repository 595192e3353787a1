import { sql } from 'kysely';
import type { Database } from '../db/client';

/**
 * Whether a refresh of this person's Home tab is already queued and not yet taken by a replica; the
 * row stays locked until the caller's transaction ends, so no replica takes it (and publishes without
 * the caller's change) in between. Pending jobs are few, and `outbox_due` holds only those.
 */
export async function lockWaitingHomeRefresh(tx: Database, kind: string, teamId: string, userId: string, now: Date): Promise<boolean> {
  const row = await tx
    .selectFrom('outbox')
    .select('id')
    .where('status', '=', 'pending')
    .where('kind', '=', kind)
    .where('team_id', '=', teamId)
    .where(sql<string>`payload->>'userId'`, '=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}
