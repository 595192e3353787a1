import { sql, type Expression, type SqlBool } from 'kysely';
import type { Database } from '../db/client';
import type { ServiceRef } from '../incidents/model';
import type { FollowUpFacts, IncidentFacts, Period, ReviewFacts } from './model';

/**
 * The rows insights are computed from. Every query starts from an index on time (declared, impact
 * ended, review owed or submitted, follow-up open or done), so a report reads the part of the history
 * its windows touch, never all of it.
 */

export interface HistoryScope {
  teamId: string;
  /** From the start of the earliest period to the end of the latest. */
  range: Period;
  /** Only incidents of this service (and their reviews and follow-ups). */
  serviceId?: number;
}

/** `exists (…)` for "this incident is one of the service's", or true when no service is chosen. */
function ofService(incidentId: Expression<number>, serviceId: number | undefined): Expression<SqlBool> {
  if (serviceId === undefined) return sql<SqlBool>`true`;
  return sql<SqlBool>`exists (select 1 from incident_services s where s.incident_id = ${incidentId} and s.service_id = ${serviceId})`;
}

type IncidentRow = {
  id: number;
  number: number;
  title: string;
  channel_id: string | null;
  is_private: boolean;
  severity: string;
  declared_at: Date;
  impact_started_at: Date;
  impact_ended_at: Date | null;
  resolved_at: Date | null;
  first_update_at: Date | null;
  updates_due: number | null;
  updates_on_time: number | null;
  next_due_at: Date | null;
  went_quiet: boolean;
  review_status: string | null;
  change_caused: 'yes' | 'no' | 'unknown' | null;
  service_ids: number[] | null;
};

/** Incidents declared in the range, or whose customer impact reaches into it (or still goes on). */
export async function incidentFacts(db: Database, scope: HistoryScope): Promise<IncidentFacts[]> {
  const { start, end } = scope.range;
  const rows = await db
    .selectFrom('incidents as i')
    .leftJoin('update_cadence as c', 'c.incident_id', 'i.id')
    .leftJoin('reviews as r', 'r.incident_id', 'i.id')
    .select([
      'i.id',
      'i.number',
      'i.title',
      'i.channel_id',
      'i.is_private',
      'i.severity',
      'i.declared_at',
      sql<Date>`coalesce(i.impact_started_at, i.declared_at)`.as('impact_started_at'),
      sql<Date | null>`coalesce(i.impact_ended_at, i.mitigated_at)`.as('impact_ended_at'),
      'i.resolved_at',
      sql<Date | null>`(select min(su.posted_at) from status_updates su where su.incident_id = i.id and su.destinations > 0)`.as('first_update_at'),
      'c.updates_due',
      'c.updates_on_time',
      'c.next_due_at',
      sql<boolean>`exists (select 1 from timeline_events t where t.incident_id = i.id and t.kind = 'update_overdue')`.as('went_quiet'),
      'r.status as review_status',
      'r.change_caused',
      sql<number[] | null>`(select array_agg(s.service_id order by s.service_id) from incident_services s where s.incident_id = i.id)`.as('service_ids'),
    ])
    .where('i.team_id', '=', scope.teamId)
    .where((eb) =>
      eb.or([
        eb.and([eb('i.declared_at', '>=', start), eb('i.declared_at', '<', end)]),
        eb.and([
          eb(sql`coalesce(i.impact_ended_at, i.mitigated_at)`, '>', start),
          eb(sql`coalesce(i.impact_started_at, i.declared_at)`, '<', end),
        ]),
        eb(sql`coalesce(i.impact_ended_at, i.mitigated_at)`, 'is', null),
      ]),
    )
    .where(ofService(sql.ref('i.id'), scope.serviceId))
    .orderBy('i.number')
    .execute();
  return rows.map((r: IncidentRow) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    channelId: r.channel_id,
    isPrivate: r.is_private,
    severity: r.severity,
    declaredAt: r.declared_at,
    impactStartedAt: r.impact_started_at,
    impactEndedAt: r.impact_ended_at,
    resolvedAt: r.resolved_at,
    firstUpdateAt: r.first_update_at,
    updatesDue: r.updates_due ?? 0,
    updatesOnTime: r.updates_on_time ?? 0,
    nextDueAt: r.next_due_at,
    wentQuiet: r.went_quiet,
    reviewSubmitted: r.review_status === 'submitted',
    changeCaused: r.change_caused,
    serviceIds: (r.service_ids ?? []).map(Number),
  }));
}

/** Reviews owed now, or submitted since the range began: every review that was owed or completed in it. */
export async function reviewFacts(db: Database, scope: HistoryScope): Promise<ReviewFacts[]> {
  const rows = await db
    .selectFrom('reviews as r')
    .innerJoin('incidents as i', 'i.id', 'r.incident_id')
    .select(['r.incident_id', 'i.is_private', 'r.due_at', 'r.created_at', 'r.submitted_at'])
    .where('i.team_id', '=', scope.teamId)
    .where((eb) =>
      eb.or([
        eb.and([eb('r.due_at', 'is not', null), eb('r.status', '<>', 'submitted')]),
        eb.and([eb('r.submitted_at', 'is not', null), eb('r.submitted_at', '>=', scope.range.start)]),
      ]),
    )
    .where(ofService(sql.ref('r.incident_id'), scope.serviceId))
    .execute();
  return rows.map((r) => ({ incidentId: r.incident_id, isPrivate: r.is_private, dueAt: r.due_at, createdAt: r.created_at, submittedAt: r.submitted_at }));
}

/** Follow-ups open now, or done since the range began: every follow-up that was open or done in it. */
export async function followUpFacts(db: Database, scope: HistoryScope): Promise<FollowUpFacts[]> {
  const rows = await db
    .selectFrom('follow_ups as f')
    .innerJoin('incidents as i', 'i.id', 'f.incident_id')
    .select([
      'f.incident_id',
      'i.is_private',
      'f.owner_id',
      sql<string>`to_char(f.due_on, 'YYYY-MM-DD')`.as('due_on'),
      'f.created_at',
      'f.done_at',
    ])
    .where('f.team_id', '=', scope.teamId)
    .where((eb) =>
      eb.or([eb('f.status', '=', 'open'), eb.and([eb('f.status', '=', 'done'), eb('f.done_at', '>=', scope.range.start)])]),
    )
    .where(ofService(sql.ref('f.incident_id'), scope.serviceId))
    .execute();
  return rows.map((r) => ({ incidentId: r.incident_id, isPrivate: r.is_private, ownerId: r.owner_id, dueOn: r.due_on, createdAt: r.created_at, doneAt: r.done_at }));
}

/** The names of the workspace's services, for the impact ranking. */
export async function serviceNames(db: Database, teamId: string, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('services').select(['id', 'name']).where('team_id', '=', teamId).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The service a person typed, matched like everywhere else in Herald (case and spaces ignored). */
export async function findServiceByKey(db: Database, teamId: string, nameKey: string): Promise<ServiceRef | null> {
  const row = await db.selectFrom('services').select(['id', 'name']).where('team_id', '=', teamId).where('name_key', '=', nameKey).executeTakeFirst();
  return row ?? null;
}
