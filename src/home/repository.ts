import { sql } from 'kysely';
import type { Database } from '../db/client';
import { OPEN_STATUSES, type Role } from '../incidents/model';
import { QUALIFIED_LISTING_COLUMNS, toListing } from '../incidents/repository';
import type { HomeIncident, OwedReview, RoleHeld } from './model';

/**
 * The Home tab's reads. Each list is capped by the caller and carries its full length (`count(*)
 * over ()`, computed before the limit), so the tab can say "and 12 more" without reading them.
 */

export interface Capped<T> {
  items: T[];
  total: number;
}

const totalOf = (rows: Array<{ total: number | string }>) => (rows.length > 0 ? Number(rows[0].total) : 0);

/**
 * Incidents still being worked, newest first, with when the next stakeholder update is due. Open
 * incidents are few at any time (the partial index `incidents_open` holds them and the resolved ones).
 */
export async function listOpenIncidentsForHome(db: Database, teamId: string, limit: number): Promise<HomeIncident[]> {
  const rows = await db
    .selectFrom('incidents')
    .leftJoin('update_cadence', 'update_cadence.incident_id', 'incidents.id')
    .select([...QUALIFIED_LISTING_COLUMNS, 'incidents.declared_at', 'update_cadence.next_due_at'])
    .where('incidents.team_id', '=', teamId)
    .where('incidents.status', 'in', [...OPEN_STATUSES])
    .orderBy('incidents.number', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...toListing(r), declaredAt: r.declared_at, nextUpdateDueAt: r.next_due_at }));
}

/** The roles a person holds in incidents still being worked, newest incident first. */
export async function listRolesHeld(db: Database, teamId: string, userId: string, limit: number): Promise<Capped<RoleHeld>> {
  const rows = await db
    .selectFrom('incidents')
    .select(['id', 'number', 'title', 'is_drill', 'channel_id', 'commander_id', 'comms_id', 'scribe_id', sql<number>`count(*) over ()`.as('total')])
    .where('team_id', '=', teamId)
    .where('status', 'in', [...OPEN_STATUSES])
    .where((eb) => eb.or([eb('commander_id', '=', userId), eb('comms_id', '=', userId), eb('scribe_id', '=', userId)]))
    .orderBy('number', 'desc')
    .limit(limit)
    .execute();
  return {
    total: totalOf(rows),
    items: rows.map((r) => ({
      incidentId: r.id,
      number: r.number,
      title: r.title,
      isDrill: r.is_drill,
      channelId: r.channel_id,
      roles: (['commander', 'comms', 'scribe'] as Role[]).filter((role) => (role === 'commander' ? r.commander_id : role === 'comms' ? r.comms_id : r.scribe_id) === userId),
    })),
  };
}

/**
 * Reviews the person owes as commander of a resolved incident, earliest due first. Served by the
 * partial index `reviews_owed` (due and not submitted), then the incident by its key.
 */
export async function listReviewsOwedBy(db: Database, teamId: string, userId: string, limit: number): Promise<Capped<OwedReview>> {
  const rows = await db
    .selectFrom('reviews')
    .innerJoin('incidents', 'incidents.id', 'reviews.incident_id')
    .select(['incidents.id', 'incidents.number', 'incidents.title', 'incidents.is_drill', 'incidents.channel_id', 'reviews.due_at', 'reviews.status', sql<number>`count(*) over ()`.as('total')])
    .where('reviews.due_at', 'is not', null)
    .where('reviews.status', '<>', 'submitted')
    .where('incidents.team_id', '=', teamId)
    .where('incidents.status', '=', 'resolved')
    .where('incidents.commander_id', '=', userId)
    .orderBy('reviews.due_at')
    .orderBy('incidents.id')
    .limit(limit)
    .execute();
  return {
    total: totalOf(rows),
    items: rows.map((r) => ({ incidentId: r.id, number: r.number, title: r.title, isDrill: r.is_drill, channelId: r.channel_id, dueAt: r.due_at!, draft: r.status === 'draft' })),
  };
}

/** How many open follow-ups the person owns (the index `follow_ups_owner_open` answers it alone). */
export async function countOpenFollowUpsOwnedBy(db: Database, teamId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('follow_ups')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('owner_id', '=', userId)
    .where('team_id', '=', teamId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Records the service-health window a person chose on their Home tab. */
export async function saveHomeWindow(db: Database, teamId: string, userId: string, window: string, now: Date): Promise<void> {
  await db
    .insertInto('home_windows')
    .values({ team_id: teamId, user_id: userId, window, chosen_at: now })
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ window, chosen_at: now }))
    .execute();
}

/** The window a person last chose, or null when they never chose one. */
export async function findHomeWindow(db: Database, teamId: string, userId: string): Promise<string | null> {
  const row = await db.selectFrom('home_windows').select('window').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
  return row?.window ?? null;
}
