import { sql, type Expression, type SqlBool } from 'kysely';
import type { Database } from '../db/client';
import type { ServiceRef } from '../incidents/model';
import type { IncidentFacts, Period } from './model';

/**
 * Incident rows for per-incident views (the digest's weekly chart) and the service look-up; the
 * report's figures themselves are aggregated in figuresRepository.ts.
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
