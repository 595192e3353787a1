import { sql } from 'kysely';
import type { Database } from '../../db/client';

/** Whether the workspace has had a digest period yet: none means the digest has just been switched on. */
export async function hasDigestPeriod(db: Database, teamId: string): Promise<boolean> {
  const row = await db.selectFrom('digest_periods').select('period_start').where('team_id', '=', teamId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Claims the digest of the period that began at `periodStart`: true for the one caller whose row
 * went in, false for every other replica (and for a period already posted).
 */
export async function claimDigestPeriod(db: Database, teamId: string, periodStart: Date, channelId: string, now: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('digest_periods')
    .values({ team_id: teamId, period_start: periodStart, channel_id: channelId, created_at: now })
    .onConflict((oc) => oc.columns(['team_id', 'period_start']).doNothing())
    .returning('period_start')
    .execute();
  return inserted.length > 0;
}

/** Something overdue, and the person who holds it. */
export interface OverdueItem {
  kind: 'review' | 'followUp';
  ownerId: string;
  incidentNumber: number;
  incidentTitle: string;
  /** The follow-up's title; null for a review. */
  title: string | null;
  /** When it was due: a review's instant, a follow-up's day (YYYY-MM-DD). */
  due: string;
}

export interface OverdueList {
  /** Shared incidents' items, earliest due first, at most `limit`. */
  items: OverdueItem[];
  /** How many shared items there are in all. */
  total: number;
  /** Items of private incidents, left out and only counted. */
  privateLeftOut: number;
}

/** Reviews overdue as they stood at `at`: due before it, owed by then and not yet submitted. Drills are no risk: left out. */
function overdueReviews(db: Database, teamId: string, at: Date) {
  return db
    .selectFrom('reviews as r')
    .innerJoin('incidents as i', 'i.id', 'r.incident_id')
    .where('i.team_id', '=', teamId)
    .where('i.is_drill', '=', false)
    .where('r.due_at', 'is not', null)
    .where('r.due_at', '<', at)
    .where('r.created_at', '<', at)
    .where((eb) => eb.or([eb('r.submitted_at', 'is', null), eb('r.submitted_at', '>=', at)]));
}

/** Follow-ups overdue as they stood at `at`: open then, due on a day before `at`'s (UTC) day. */
function overdueFollowUps(db: Database, teamId: string, at: Date) {
  const today = at.toISOString().slice(0, 10);
  return db
    .selectFrom('follow_ups as f')
    .innerJoin('incidents as i', 'i.id', 'f.incident_id')
    .where('f.team_id', '=', teamId)
    .where('i.is_drill', '=', false)
    .where('f.created_at', '<', at)
    .where(sql<boolean>`f.due_on < ${today}::date`)
    .where((eb) => eb.or([eb('f.status', '=', 'open'), eb('f.done_at', '>=', at)]));
}

export async function listOverdue(db: Database, teamId: string, at: Date, limit: number): Promise<OverdueList> {
  const [reviews, followUps, reviewCounts, followUpCounts] = await Promise.all([
    overdueReviews(db, teamId, at)
      .where('i.is_private', '=', false)
      .select(['i.commander_id as owner_id', 'i.number', 'i.title', 'r.due_at'])
      .orderBy('r.due_at')
      .limit(limit)
      .execute(),
    overdueFollowUps(db, teamId, at)
      .where('i.is_private', '=', false)
      .select(['f.owner_id', 'i.number', 'i.title as incident_title', 'f.title', sql<string>`to_char(f.due_on, 'YYYY-MM-DD')`.as('due_on')])
      .orderBy('f.due_on')
      .orderBy('f.id')
      .limit(limit)
      .execute(),
    overdueReviews(db, teamId, at).select(counts()).executeTakeFirstOrThrow(),
    overdueFollowUps(db, teamId, at).select(counts()).executeTakeFirstOrThrow(),
  ]);
  const items: OverdueItem[] = [
    ...reviews.map((r) => ({ kind: 'review' as const, ownerId: r.owner_id, incidentNumber: r.number, incidentTitle: r.title, title: null, due: r.due_at!.toISOString() })),
    ...followUps.map((f) => ({ kind: 'followUp' as const, ownerId: f.owner_id, incidentNumber: f.number, incidentTitle: f.incident_title, title: f.title, due: f.due_on })),
  ].sort((a, b) => a.due.localeCompare(b.due));
  return {
    items: items.slice(0, limit),
    total: Number(reviewCounts.shared) + Number(followUpCounts.shared),
    privateLeftOut: Number(reviewCounts.private) + Number(followUpCounts.private),
  };
}

function counts() {
  return [
    sql<string>`count(*) filter (where not i.is_private)`.as('shared'),
    sql<string>`count(*) filter (where i.is_private)`.as('private'),
  ] as const;
}
