import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../db/client';
import type { Distribution, IncidentCadence, IncidentRef, OwnerFollowUps, Period, ServiceImpact } from './model';

/**
 * The figures, computed where the rows are: each statement aggregates per period (the window and the
 * one before it, in one pass), so a report moves a few dozen numbers, not the history. This file is
 * the one definition of every figure; the README's "How Herald measures" says the same in words.
 *
 * Per-row look-ups by key go through `lateral (… offset 0)`: the planner then probes the index for
 * each row of the window instead of hashing a whole table, so the cost follows the window, not the
 * length of the history.
 */

export interface FigureScope {
  teamId: string;
  /** From the start of the earliest period to the end of the latest. */
  range: Period;
  serviceId?: number;
}

/** A period and the moment it is measured at: its end, or now for the current one. */
export interface MeasuredPeriod extends Period {
  at: Date;
}

const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/** `periods (k, s, e, at, today)`: one row per period, k its position. */
function periodsCte(periods: MeasuredPeriod[]): RawBuilder<unknown> {
  const rows = periods.map((p, k) => sql`(${k}::int, ${p.start}::timestamptz, ${p.end}::timestamptz, ${p.at}::timestamptz, ${utcDay(p.at)}::date)`);
  return sql`periods (k, s, e, at, today) as (values ${sql.join(rows)})`;
}

const ofService = (incidentId: RawBuilder<unknown>, serviceId: number | undefined) =>
  serviceId === undefined ? sql`true` : sql`exists (select 1 from incident_services x where x.incident_id = ${incidentId} and x.service_id = ${serviceId})`;

/**
 * The incidents a report looks at: declared in the range, or whose customer impact reaches into it
 * (or still goes on). Impact runs from impact_started_at (else the declaration) to impact_ended_at
 * (else the first mitigation).
 */
function incidentFactsCte(scope: FigureScope): RawBuilder<unknown> {
  const { start, end } = scope.range;
  return sql`facts as materialized (
    select i.id, i.number, i.title, i.channel_id, i.is_private, i.declared_at,
           coalesce(i.impact_started_at, i.declared_at) as impact_start,
           coalesce(i.impact_ended_at, i.mitigated_at) as impact_end,
           i.resolved_at,
           (select min(su.posted_at) from status_updates su where su.incident_id = i.id and su.destinations > 0) as first_update_at,
           coalesce(c.updates_due, 0) as updates_due, coalesce(c.updates_on_time, 0) as updates_on_time, c.next_due_at,
           exists (select 1 from timeline_events t where t.incident_id = i.id and t.kind = 'update_overdue') as went_quiet,
           coalesce(r.status = 'submitted', false) as reviewed, r.change_caused
    from ${incidentsOf(scope)}
    left join lateral (select c.updates_due, c.updates_on_time, c.next_due_at from update_cadence c where c.incident_id = i.id offset 0) c on true
    left join lateral (select r.status, r.change_caused from reviews r where r.incident_id = i.id offset 0) r on true
    where i.team_id = ${scope.teamId}
      and ((i.declared_at >= ${start} and i.declared_at < ${end})
        or (coalesce(i.impact_ended_at, i.mitigated_at) > ${start} and coalesce(i.impact_started_at, i.declared_at) < ${end})
        or coalesce(i.impact_ended_at, i.mitigated_at) is null)
  )`;
}

/**
 * The incidents to look at (drills never count anywhere), found through indexes, so a report reads the part of the history its
 * windows touch: for one service, through that service's index and fetched by key; for the
 * workspace, the three ways an incident can count, each its own index scan (as one OR, the planner
 * reads the whole table once the windows cover a fair share of it) and each leaving out what an
 * earlier one found, so the rows need no de-duplication (a `union` hashes every wide row).
 */
function incidentsOf(scope: FigureScope): RawBuilder<unknown> {
  const fetch = (id: RawBuilder<unknown>) => sql`join lateral (select * from incidents i where i.id = ${id} and not i.is_drill offset 0) i on true`;
  if (scope.serviceId !== undefined) return sql`incident_services x ${fetch(sql`x.incident_id`)} and x.service_id = ${scope.serviceId}`;
  const { start, end } = scope.range;
  const columns = sql`id, number, title, channel_id, is_private, declared_at, impact_started_at, impact_ended_at, mitigated_at, resolved_at, team_id`;
  const declaredIn = sql`(declared_at >= ${start} and declared_at < ${end})`;
  const impactIn = sql`(coalesce(impact_ended_at, mitigated_at) > ${start} and coalesce(impact_started_at, declared_at) < ${end})`;
  return sql`(
      select ${columns} from incidents where team_id = ${scope.teamId} and ${declaredIn} and not is_drill
      union all
      select ${columns} from incidents where team_id = ${scope.teamId} and ${impactIn} and not ${declaredIn} and not is_drill
      union all
      select ${columns} from incidents where team_id = ${scope.teamId} and coalesce(impact_ended_at, mitigated_at) is null and not ${declaredIn} and not is_drill
    ) i`;
}

/** Milliseconds from the declaration to `column`, never negative, for percentile_cont. */
const sinceDeclared = (column: string) => sql`(greatest(0, extract(epoch from (${sql.ref(`m.${column}`)} - m.declared_at))) * 1000)::float8`;

function distribution(column: string) {
  const shared = sql`m.declared_in and not m.is_private and ${sql.ref(`m.${column}`)} is not null`;
  return sql`json_build_object(
    'count', count(m.id) filter (where ${shared}),
    'medianMs', percentile_cont(0.5) within group (order by ${sinceDeclared(column)}) filter (where ${shared}),
    'p90Ms', percentile_cont(0.9) within group (order by ${sinceDeclared(column)}) filter (where ${shared}))`;
}

export interface IncidentFigures {
  incidents: number;
  privateLeftOut: number;
  impactMinutes: number;
  impactByService: ServiceImpact[];
  timeToFirstUpdate: Distribution;
  timeToMitigate: Distribution;
  timeToResolve: Distribution;
  cadence: { due: number; onTime: number; byIncident: IncidentCadence[]; wentQuiet: IncidentRef[] };
  changeCaused: { reviewed: number; caused: number };
}

type Json<T> = T | string;
const parsed = <T>(value: Json<T>): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

/**
 * Per period: shared incidents declared in it and the private ones left out; customer-impact minutes
 * clipped to it (each incident once in the total, once per service in the ranking); median and p90 of
 * the times from declaration; cadence (due = counted due times + the open one once passed) overall
 * and for each incident that fell short of it; incidents that went quiet (an `update_overdue` on their timeline); reviewed
 * incidents and those a change caused.
 */
export async function incidentFigures(db: Database, scope: FigureScope, periods: MeasuredPeriod[]): Promise<IncidentFigures[]> {
  const serviceOnly = scope.serviceId === undefined ? sql`true` : sql`s.service_id = ${scope.serviceId}`;
  const result = await sql<{
    k: number;
    summary: Json<Omit<IncidentFigures, 'impactByService' | 'timeToFirstUpdate' | 'timeToMitigate' | 'timeToResolve' | 'cadence' | 'changeCaused'> & {
      due: number; onTime: number; reviewed: number; caused: number;
      timeToFirstUpdate: Distribution; timeToMitigate: Distribution; timeToResolve: Distribution;
    }>;
    services: Json<ServiceImpact[]>;
    by_incident: Json<IncidentCadence[]>;
    went_quiet: Json<IncidentRef[]>;
  }>`
    with ${incidentFactsCte(scope)}, ${periodsCte(periods)},
    m as materialized (
      select p.k, f.*,
             (f.declared_at >= p.s and f.declared_at < p.e) as declared_in,
             greatest(0, extract(epoch from (least(coalesce(f.impact_end, p.at), p.at) - greatest(f.impact_start, p.s))))::float8 / 60 as minutes,
             f.updates_due + case when f.next_due_at < p.at then 1 else 0 end as due
      from facts f cross join periods p
      -- Only what counts in the period: declared in it, or customers affected during it.
      where (f.declared_at >= p.s and f.declared_at < p.e) or (f.impact_start < p.at and (f.impact_end is null or f.impact_end > p.s))
    )
    select p.k,
      (select json_build_object(
          'incidents', count(m.id) filter (where m.declared_in and not m.is_private),
          'privateLeftOut', count(m.id) filter (where m.declared_in and m.is_private),
          'impactMinutes', coalesce(sum(m.minutes) filter (where not m.is_private), 0),
          'timeToFirstUpdate', ${distribution('first_update_at')},
          'timeToMitigate', ${distribution('impact_end')},
          'timeToResolve', ${distribution('resolved_at')},
          'due', coalesce(sum(m.due) filter (where m.declared_in and not m.is_private), 0),
          'onTime', coalesce(sum(m.updates_on_time) filter (where m.declared_in and not m.is_private), 0),
          'reviewed', count(m.id) filter (where m.declared_in and not m.is_private and m.reviewed),
          'caused', count(m.id) filter (where m.declared_in and not m.is_private and m.reviewed and m.change_caused = 'yes'))
        from m where m.k = p.k) as summary,
      (select coalesce(json_agg(json_build_object('serviceId', x.service_id, 'name', sv.name, 'impactMinutes', x.minutes, 'incidents', x.n) order by x.minutes desc, sv.name), '[]'::json)
        from (select s.service_id, sum(m.minutes) as minutes, count(*) as n
              from m
              join lateral (select s.service_id from incident_services s where s.incident_id = m.id offset 0) s on true
              where m.k = p.k and not m.is_private and m.minutes > 0 and ${serviceOnly}
              group by s.service_id) x
        join services sv on sv.id = x.service_id) as services,
      (select coalesce(json_agg(json_build_object('id', m.id, 'number', m.number, 'title', m.title, 'channelId', m.channel_id, 'due', m.due, 'onTime', m.updates_on_time)
                                order by m.updates_on_time::float8 / m.due, m.due desc, m.number), '[]'::json)
        from m where m.k = p.k and m.declared_in and not m.is_private and m.updates_on_time < m.due) as by_incident,
      (select coalesce(json_agg(json_build_object('id', m.id, 'number', m.number, 'title', m.title, 'channelId', m.channel_id) order by m.number), '[]'::json)
        from m where m.k = p.k and m.declared_in and not m.is_private and m.went_quiet) as went_quiet
    from periods p
    order by p.k`.execute(db);
  return result.rows.map((row) => {
    const s = parsed(row.summary);
    const num = (v: unknown) => Number(v);
    const dist = (d: Distribution): Distribution => ({ count: num(d.count), medianMs: d.medianMs === null ? null : num(d.medianMs), p90Ms: d.p90Ms === null ? null : num(d.p90Ms) });
    return {
      incidents: num(s.incidents),
      privateLeftOut: num(s.privateLeftOut),
      impactMinutes: num(s.impactMinutes),
      impactByService: parsed(row.services).map((x) => ({ serviceId: num(x.serviceId), name: x.name, impactMinutes: num(x.impactMinutes), incidents: num(x.incidents) })),
      timeToFirstUpdate: dist(s.timeToFirstUpdate),
      timeToMitigate: dist(s.timeToMitigate),
      timeToResolve: dist(s.timeToResolve),
      cadence: {
        due: num(s.due),
        onTime: num(s.onTime),
        byIncident: parsed(row.by_incident).map((i) => ({ id: num(i.id), number: num(i.number), title: i.title, channelId: i.channelId, due: num(i.due), onTime: num(i.onTime) })),
        wentQuiet: parsed(row.went_quiet).map((i) => ({ id: num(i.id), number: num(i.number), title: i.title, channelId: i.channelId })),
      },
      changeCaused: { reviewed: num(s.reviewed), caused: num(s.caused) },
    };
  });
}

export interface ReviewFigures {
  owed: number;
  overdue: number;
  completed: number;
  completedOnTime: number;
}

/**
 * Per period: reviews owed at its end (due set, created before, not yet submitted then) and overdue
 * (past due then); reviews submitted in it, and on time (by their due date, or none was set).
 */
export async function reviewFigures(db: Database, scope: FigureScope, periods: MeasuredPeriod[]): Promise<ReviewFigures[]> {
  const result = await sql<{ k: number; owed: number; overdue: number; completed: number; completed_on_time: number }>`
    with ${periodsCte(periods)},
    r as (
      select r.due_at, r.created_at, r.submitted_at
      from reviews r
      join lateral (select i.is_private from incidents i where i.id = r.incident_id and i.team_id = ${scope.teamId} and not i.is_drill offset 0) i on true
      where not i.is_private
        and ((r.due_at is not null and r.status <> 'submitted') or r.submitted_at >= ${scope.range.start})
        and ${ofService(sql`r.incident_id`, scope.serviceId)}
    )
    select p.k,
      count(r.created_at) filter (where r.due_at is not null and r.created_at < p.at and (r.submitted_at is null or r.submitted_at >= p.at))::int as owed,
      count(r.created_at) filter (where r.due_at < p.at and r.created_at < p.at and (r.submitted_at is null or r.submitted_at >= p.at))::int as overdue,
      count(r.created_at) filter (where r.submitted_at >= p.s and r.submitted_at < p.e)::int as completed,
      count(r.created_at) filter (where r.submitted_at >= p.s and r.submitted_at < p.e and (r.due_at is null or r.submitted_at <= r.due_at))::int as completed_on_time
    from periods p left join r on true
    group by p.k
    order by p.k`.execute(db);
  return result.rows.map((r) => ({ owed: r.owed, overdue: r.overdue, completed: r.completed, completedOnTime: r.completed_on_time }));
}

/**
 * Per period and owner: follow-ups open at its end (created before, not done then), overdue (due
 * before that day, UTC), done in it, and done on time (on or before the due date, UTC).
 */
export async function followUpFigures(db: Database, scope: FigureScope, periods: MeasuredPeriod[]): Promise<OwnerFollowUps[][]> {
  const result = await sql<{ k: number; owner_id: string; open: number; overdue: number; done: number; done_on_time: number }>`
    with ${periodsCte(periods)},
    f as (
      select f.owner_id, f.due_on, f.created_at, f.done_at
      from follow_ups f
      where f.team_id = ${scope.teamId}
        and (f.status = 'open' or (f.status = 'done' and f.done_at >= ${scope.range.start}))
        and f.incident_id not in (select i.id from incidents i where i.team_id = ${scope.teamId} and (i.is_private or i.is_drill))
        and ${ofService(sql`f.incident_id`, scope.serviceId)}
    )
    select p.k, f.owner_id,
      count(*) filter (where f.created_at < p.at and (f.done_at is null or f.done_at >= p.at))::int as open,
      count(*) filter (where f.created_at < p.at and (f.done_at is null or f.done_at >= p.at) and f.due_on < p.today)::int as overdue,
      count(*) filter (where f.done_at >= p.s and f.done_at < p.e)::int as done,
      count(*) filter (where f.done_at >= p.s and f.done_at < p.e and (f.done_at at time zone 'UTC')::date <= f.due_on)::int as done_on_time
    -- Each follow-up only with the periods it counts in: open at their end, or done during them.
    from periods p join f on (f.created_at < p.at and (f.done_at is null or f.done_at >= p.at)) or (f.done_at >= p.s and f.done_at < p.e)
    group by p.k, f.owner_id`.execute(db);
  const byPeriod: OwnerFollowUps[][] = periods.map(() => []);
  for (const r of result.rows) {
    if (r.open + r.done === 0) continue;
    byPeriod[r.k].push({ ownerId: r.owner_id, open: r.open, overdue: r.overdue, done: r.done, doneOnTime: r.done_on_time });
  }
  for (const owners of byPeriod) owners.sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.ownerId.localeCompare(b.ownerId));
  return byPeriod;
}
