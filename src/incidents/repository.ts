import { sql, type Selectable } from 'kysely';
import type { Database } from '../db/client';
import type { IncidentsTable } from '../db/schema';
import { OPEN_STATUSES, type Incident, type IncidentListing, type IncidentStatus, type MessageRef, type ServiceRef } from './model';
import type { Severity } from './severity';

type IncidentRow = Selectable<IncidentsTable>;

/** The columns an incident listing needs (see IncidentListing). */
export const LISTING_COLUMNS = ['id', 'number', 'title', 'severity', 'status', 'is_private', 'is_drill', 'channel_id', 'declared_by', 'commander_id'] as const;
type ListingRow = Pick<IncidentRow, (typeof LISTING_COLUMNS)[number]>;

/** The same columns named through their table, for a query that joins another. */
export const QUALIFIED_LISTING_COLUMNS = LISTING_COLUMNS.map((c) => `incidents.${c}` as const);

export function toListing(row: ListingRow): IncidentListing {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    severity: row.severity as Severity,
    status: row.status as IncidentStatus,
    isPrivate: row.is_private,
    isDrill: row.is_drill,
    declaredBy: row.declared_by,
    commanderId: row.commander_id,
    channelId: row.channel_id,
  };
}

export function toIncident(row: IncidentRow, services: ServiceRef[]): Incident {
  return {
    ...toListing(row),
    teamId: row.team_id,
    summary: row.summary,
    commsId: row.comms_id,
    scribeId: row.scribe_id,
    channelName: row.channel_name,
    cardTs: row.card_ts,
    announcementChannelId: row.announcement_channel_id,
    announcementTs: row.announcement_ts,
    declaredAt: row.declared_at,
    acknowledgedAt: row.acknowledged_at,
    mitigatedAt: row.mitigated_at,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
    impactStartedAt: row.impact_started_at,
    impactEndedAt: row.impact_ended_at,
    source: row.source_channel_id && row.source_ts ? { channelId: row.source_channel_id, ts: row.source_ts } : null,
    services,
  };
}

/** The next per-workspace incident number; the counter row stays locked until the transaction ends. */
export async function nextIncidentNumber(db: Database, teamId: string): Promise<number> {
  const row = await db
    .insertInto('workspace_counters')
    .values({ team_id: teamId, last_incident_number: 1 })
    .onConflict((oc) => oc.column('team_id').doUpdateSet({ last_incident_number: sql`workspace_counters.last_incident_number + 1` }))
    .returning('last_incident_number')
    .executeTakeFirstOrThrow();
  return row.last_incident_number;
}

export interface NewIncidentRow {
  teamId: string;
  number: number;
  title: string;
  summary: string;
  severity: Severity;
  isPrivate: boolean;
  isDrill?: boolean;
  declaredBy: string;
  commanderId: string;
  declareKey: string;
  /** The message it was declared from, if any. */
  source?: MessageRef | null;
  declaredAt: Date;
  /** Null or absent: customers were affected from the declaration. */
  impactStartedAt?: Date | null;
}

/** Inserts the incident unless one with the same declare key exists; null when it did. */
export async function insertIncident(db: Database, row: NewIncidentRow): Promise<IncidentRow | null> {
  const inserted = await db
    .insertInto('incidents')
    .values({
      team_id: row.teamId,
      number: row.number,
      title: row.title,
      summary: row.summary,
      severity: row.severity,
      is_private: row.isPrivate,
      is_drill: row.isDrill ?? false,
      source_channel_id: row.source?.channelId ?? null,
      source_ts: row.source?.ts ?? null,
      declared_by: row.declaredBy,
      commander_id: row.commanderId,
      declare_key: row.declareKey,
      declared_at: row.declaredAt,
      impact_started_at: row.impactStartedAt ?? null,
    })
    .onConflict((oc) => oc.columns(['team_id', 'declare_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ?? null;
}

export async function findByDeclareKey(db: Database, teamId: string, declareKey: string): Promise<{ id: number; number: number } | null> {
  const row = await db
    .selectFrom('incidents')
    .select(['id', 'number'])
    .where('team_id', '=', teamId)
    .where('declare_key', '=', declareKey)
    .executeTakeFirst();
  return row ?? null;
}

export async function linkServices(db: Database, incidentId: number, serviceIds: number[]): Promise<void> {
  if (serviceIds.length === 0) return;
  await db
    .insertInto('incident_services')
    .values(serviceIds.map((service_id) => ({ incident_id: incidentId, service_id })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

async function servicesOf(db: Database, incidentIds: number[]): Promise<Map<number, ServiceRef[]>> {
  const byIncident = new Map<number, ServiceRef[]>();
  if (incidentIds.length === 0) return byIncident;
  const rows = await db
    .selectFrom('incident_services')
    .innerJoin('services', 'services.id', 'incident_services.service_id')
    .select(['incident_services.incident_id', 'services.id', 'services.name'])
    .where('incident_services.incident_id', 'in', incidentIds)
    .orderBy('services.name')
    .execute();
  for (const row of rows) {
    const list = byIncident.get(row.incident_id) ?? [];
    list.push({ id: row.id, name: row.name });
    byIncident.set(row.incident_id, list);
  }
  return byIncident;
}

async function withServices(db: Database, rows: IncidentRow[]): Promise<Incident[]> {
  const services = await servicesOf(db, rows.map((r) => r.id));
  return rows.map((row) => toIncident(row, services.get(row.id) ?? []));
}

export async function getIncident(db: Database, id: number): Promise<Incident | null> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withServices(db, [row]))[0] : null;
}

/** The incident row locked for the rest of the transaction, so concurrent changes queue behind it. */
export async function lockIncident(db: Database, id: number): Promise<Incident | null> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? (await withServices(db, [row]))[0] : null;
}

export async function findIncidentByChannel(db: Database, channelId: string): Promise<Incident | null> {
  const row = await db.selectFrom('incidents').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
  return row ? (await withServices(db, [row]))[0] : null;
}

/**
 * Incidents still being worked, newest first: the listed columns only, in one query. It answers a
 * slash command, so it stays light: reading whole rows and their services cost two thirds of the
 * request's CPU in the bench (timestamps and arrays to parse, a second round trip).
 */
export async function listOpenIncidents(db: Database, teamId: string, limit: number): Promise<IncidentListing[]> {
  const rows = await db
    .selectFrom('incidents')
    .select(LISTING_COLUMNS)
    .where('team_id', '=', teamId)
    .where('status', 'in', ['investigating', 'identified', 'monitoring'])
    .orderBy('number', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toListing);
}

/** Incidents still being worked (not resolved or closed), by severity, across workspaces. */
export async function countOpenIncidentsBySeverity(db: Database): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('incidents')
    .select(['severity', (eb) => eb.fn.countAll<string | number>().as('count')])
    .where('status', 'in', [...OPEN_STATUSES])
    .groupBy('severity')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.severity, Number(r.count)]));
}

export type IncidentSlackFields = Partial<{
  channel_id: string;
  channel_name: string;
  card_ts: string;
  announcement_channel_id: string;
  announcement_ts: string;
}>;

export async function setIncidentSlackFields(db: Database, id: number, fields: IncidentSlackFields): Promise<void> {
  await db.updateTable('incidents').set({ ...fields, updated_at: new Date() }).where('id', '=', id).execute();
}

/**
 * Provisioning records each finished step, so a retry resumes where the last attempt stopped; what the
 * step made in Slack (a channel id, a message ts) is recorded in the same statement. Setup steps run
 * side by side and all write this one row, so each step is one write, not two, queued on its lock.
 */
export async function markProvisionStep(db: Database, id: number, step: string, made: IncidentSlackFields = {}): Promise<void> {
  await db
    .updateTable('incidents')
    .set({ ...made, ...(Object.keys(made).length > 0 ? { updated_at: new Date() } : {}), provision_done: sql`array_append(provision_done, ${step})` })
    .where('id', '=', id)
    .where(sql<boolean>`not (${step} = any(provision_done))`)
    .execute();
}

export async function recordProvisionProblem(db: Database, id: number, problem: string): Promise<void> {
  await db
    .updateTable('incidents')
    .set({ provision_problems: sql`array_append(provision_problems, ${problem})` })
    .where('id', '=', id)
    .where(sql<boolean>`not (${problem} = any(provision_problems))`)
    .execute();
}

export async function getProvisionState(db: Database, id: number): Promise<{ done: string[]; problems: string[] }> {
  const row = await db
    .selectFrom('incidents')
    .select(['provision_done', 'provision_problems'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { done: row.provision_done, problems: row.provision_problems };
}

/** Whether another incident already owns this Slack channel. */
export async function channelBelongsToAnotherIncident(db: Database, channelId: string, incidentId: number): Promise<boolean> {
  const row = await db
    .selectFrom('incidents')
    .select('id')
    .where('channel_id', '=', channelId)
    .where('id', '<>', incidentId)
    .executeTakeFirst();
  return row !== undefined;
}

export type IncidentChangeFields = Partial<{
  status: string;
  severity: string;
  commander_id: string;
  comms_id: string | null;
  scribe_id: string | null;
  acknowledged_at: Date | null;
  mitigated_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  summary: string;
  title: string;
}>;

export async function updateIncident(db: Database, id: number, fields: IncidentChangeFields): Promise<void> {
  await db.updateTable('incidents').set({ ...fields, updated_at: new Date() }).where('id', '=', id).execute();
}

/** Records when customers were affected, as the review says; null keeps Herald's own (declared, first mitigated). */
export async function setImpactTimes(db: Database, id: number, times: { startedAt: Date | null; endedAt: Date | null }): Promise<void> {
  await db.updateTable('incidents').set({ impact_started_at: times.startedAt, impact_ended_at: times.endedAt, updated_at: new Date() }).where('id', '=', id).execute();
}
