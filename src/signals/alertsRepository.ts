import { sql, type Selectable } from 'kysely';
import type { Database } from '../db/client';
import type { AlertGroupsTable } from '../db/schema';
import { preparedAs } from '../db/preparedStatements';
import { serviceNameKey } from '../incidents/servicesRepository';
import type { AlertNotification, AlertStatus, IncomingAlert } from './alertPayloads';

export type AlertGroupRow = Selectable<AlertGroupsTable>;

export interface StoredAlert extends IncomingAlert {
  id: number;
}

const OPEN_STATUSES = ['investigating', 'identified', 'monitoring'] as const;

/** Every column of alert_groups, named: a prepared statement must not return `*` (see preparedStatements.ts). */
const GROUP_COLUMNS = [
  'id',
  'team_id',
  'source',
  'group_key',
  'title',
  'service_label',
  'service_id',
  'severity_label',
  'source_url',
  'status',
  'first_fired_at',
  'resolved_at',
  'revision',
  'edit_queued',
  'triage_channel_id',
  'triage_ts',
  'incident_id',
  'attached_by',
  'attached_at',
  'dismissed_by',
  'dismissed_at',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof AlertGroupRow>;

/**
 * The notification's group, locked for this transaction; `created` when this call made it. A twin
 * request inserting the same group at the same instant waits here for the first to commit. The
 * group's service is matched when its alerts are applied (applyAlerts).
 */
export async function lockOrCreateGroup(db: Database, teamId: string, n: AlertNotification, now: Date): Promise<{ group: AlertGroupRow; created: boolean }> {
  const firstFired = n.alerts.reduce((min, a) => (a.startsAt < min ? a.startsAt : min), n.alerts[0]!.startsAt);
  // One statement either way: a new group is inserted; an existing one is locked by the no-op update
  // and returned as it was (xmax is 0 only on a row this statement inserted).
  const row = await db
    .insertInto('alert_groups')
    .values({
      team_id: teamId,
      source: n.source,
      group_key: n.groupKey,
      title: n.title,
      service_label: n.service,
      service_id: null,
      severity_label: n.severity,
      source_url: n.sourceUrl,
      status: n.status,
      first_fired_at: firstFired,
      resolved_at: n.status === 'resolved' ? now : null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['team_id', 'source', 'group_key']).doUpdateSet({ updated_at: sql`alert_groups.updated_at` }))
    .returning(GROUP_COLUMNS)
    .returning(sql<boolean>`xmax = 0`.as('created'))
    .modifyEnd(preparedAs('alert_group_lock'))
    .executeTakeFirstOrThrow();
  const { created, ...group } = row;
  return { group, created };
}

export async function lockGroup(db: Database, id: number): Promise<AlertGroupRow | null> {
  return (await db.selectFrom('alert_groups').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()) ?? null;
}

export async function getGroup(db: Database, id: number): Promise<AlertGroupRow | null> {
  return (await db.selectFrom('alert_groups').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export interface AppliedAlerts {
  /** Alerts the group did not have, now stored. */
  fresh: Set<string>;
  /** Alerts the group had with the other status, now changed. */
  flipped: Set<string>;
  /** The group's status now: firing while any of its alerts fires. */
  status: AlertStatus;
  /** The group's revision after this change. */
  revision: number;
  /** The group's service, matched by this notification's label if it had none. */
  serviceId: number | null;
}

/** What changes on the group with its alerts (the caller knows it from the group it locked). */
export interface GroupFollowUp {
  /** The notification created the group: its first alerts are not a change the triage message counts. */
  created: boolean;
  teamId: string;
  /** The notification's `service` label: the service it names is kept unless the group already has one. */
  serviceLabel: string | null;
  /** Marks the triage edit this change queues (queued by the caller in the same transaction). */
  queueEdit: boolean;
}

/**
 * Stores a notification's alerts and the group's new status in one statement: new alerts inserted,
 * known ones whose status differs changed (their name and summary as first sent), the rest left alone
 * and not returned; then, when anything changed, the group's status (firing while any alert fires),
 * `resolved_at` and revision. Null when nothing changed.
 *
 * The caller holds the group's lock, so nobody else changes its alerts meanwhile. Every part of a
 * statement reads the tables as they were before it, so `before` counts the firing alerts before this
 * notification, and the count after it is that plus what the upsert changed. (`xmax = 0` holds only
 * on a row this statement inserted.) One upsert rather than a look-up, an insert and an update, and the
 * group in the same statement: planning a statement of several parts cost more than running it, and
 * each statement is a round trip the sender waits for.
 */
export async function applyAlerts(db: Database, groupId: number, alerts: IncomingAlert[], followUp: GroupFollowUp, now: Date): Promise<AppliedAlerts | null> {
  const incoming = JSON.stringify(
    alerts.map((a) => ({ fingerprint: a.fingerprint, name: a.name, status: a.status, summary: a.summary, starts_at: a.startsAt.toISOString(), ends_at: a.endsAt?.toISOString() ?? null })),
  );
  const serviceKey = followUp.serviceLabel === null ? null : serviceNameKey(followUp.serviceLabel);
  const { rows } = await sql<{ fingerprint: string; fresh: boolean; status: AlertStatus; group_status: AlertStatus; revision: number; service_id: number | null }>`
    with before as (
      select count(*) as n from alerts where group_id = ${groupId}::integer and status = 'firing'
    ), changed as (
      insert into alerts as a (group_id, fingerprint, name, status, summary, starts_at, ends_at, updated_at)
      select ${groupId}::integer, i.fingerprint, i.name, i.status, i.summary, i.starts_at, i.ends_at, ${now}::timestamptz
      from jsonb_to_recordset(${incoming}::jsonb) as i(fingerprint text, name text, status text, summary text, starts_at timestamptz, ends_at timestamptz)
      on conflict (group_id, fingerprint) do update
        set status = excluded.status, ends_at = case when excluded.status = 'resolved' then ${now}::timestamptz end, updated_at = ${now}::timestamptz
        where a.status <> excluded.status
      returning a.fingerprint, a.xmax = 0 as fresh, a.status
    ), after as (
      -- A flipped alert fired before exactly when it does not now.
      select (select n from before) + coalesce(sum(case when fresh then (status = 'firing')::int else 2 * (status = 'firing')::int - 1 end), 0) as firing
      from changed having count(*) > 0
    ), grp as (
      update alert_groups g
      set status = case when after.firing > 0 then 'firing' else 'resolved' end,
          resolved_at = case when after.firing > 0 then null else ${now}::timestamptz end,
          service_id = coalesce(g.service_id, (select id from services where team_id = ${followUp.teamId} and name_key = ${serviceKey})),
          edit_queued = g.edit_queued or ${followUp.queueEdit}::boolean,
          revision = g.revision + ${followUp.created ? 0 : 1}::integer,
          updated_at = ${now}::timestamptz
      from after where g.id = ${groupId}::integer
      returning g.status, g.revision, g.service_id
    )
    select c.fingerprint, c.fresh, c.status, grp.status as group_status, grp.revision, grp.service_id from changed c cross join grp${preparedAs('alerts_apply')}`.execute(db);
  if (rows.length === 0) return null;
  return {
    fresh: new Set(rows.filter((r) => r.fresh).map((r) => r.fingerprint)),
    flipped: new Set(rows.filter((r) => !r.fresh).map((r) => r.fingerprint)),
    status: rows[0]!.group_status,
    revision: rows[0]!.revision,
    serviceId: rows[0]!.service_id,
  };
}

export type GroupChange = Partial<
  Pick<AlertGroupRow, 'status' | 'resolved_at' | 'edit_queued' | 'triage_channel_id' | 'triage_ts' | 'incident_id' | 'attached_by' | 'attached_at' | 'dismissed_by' | 'dismissed_at' | 'title' | 'service_id'>
>;

/** Writes `change`; `bump` counts it as a change the triage message shows. Returns the new revision. */
export async function updateGroup(db: Database, id: number, change: GroupChange, now: Date, bump: boolean): Promise<number> {
  const row = await db
    .updateTable('alert_groups')
    .set({ ...change, updated_at: now, ...(bump ? { revision: sql<number>`revision + 1` } : {}) })
    .where('id', '=', id)
    .returning('revision')
    .executeTakeFirstOrThrow();
  return row.revision;
}

/** Clears `edit_queued` (the edit job is now running), so a change from here on queues a new edit. */
export async function takeQueuedEdit(db: Database, id: number): Promise<void> {
  await db.updateTable('alert_groups').set({ edit_queued: false }).where('id', '=', id).execute();
}

/** Attaches the group to `incidentId` unless it is already attached; true when this call attached it. */
export async function attachGroupIfFree(db: Database, id: number, incidentId: number, by: string | null, now: Date): Promise<boolean> {
  const rows = await db
    .updateTable('alert_groups')
    .set({ incident_id: incidentId, attached_by: by, attached_at: now, updated_at: now, revision: sql<number>`revision + 1` })
    .where('id', '=', id)
    .where('incident_id', 'is', null)
    .returning('id')
    .execute();
  return rows.length > 0;
}

/** The alerts of a group to show, firing first, and how many there are of each status. */
export async function listGroupAlerts(db: Database, groupId: number, limit: number): Promise<{ alerts: StoredAlert[]; firing: number; resolved: number }> {
  const [rows, counts] = await Promise.all([
    db
      .selectFrom('alerts')
      .select(['id', 'fingerprint', 'name', 'status', 'summary', 'starts_at', 'ends_at'])
      .where('group_id', '=', groupId)
      .orderBy(sql`case when status = 'firing' then 0 else 1 end`)
      .orderBy('starts_at')
      .orderBy('id')
      .limit(limit)
      .execute(),
    db
      .selectFrom('alerts')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('group_id', '=', groupId)
      .groupBy('status')
      .execute(),
  ]);
  const count = (s: AlertStatus) => Number(counts.find((c) => c.status === s)?.n ?? 0);
  return {
    alerts: rows.map((r) => ({ id: r.id, fingerprint: r.fingerprint, name: r.name, status: r.status, summary: r.summary, startsAt: r.starts_at, endsAt: r.ends_at })),
    firing: count('firing'),
    resolved: count('resolved'),
  };
}

export interface IncidentBrief {
  id: number;
  number: number;
  title: string;
  channelId: string | null;
  commanderId: string;
}

/** Open incidents that list the service, newest first. Drills are left out: a real alert never joins a drill. */
export async function openIncidentsOfService(db: Database, serviceId: number, limit: number): Promise<IncidentBrief[]> {
  const rows = await db
    .selectFrom('incidents')
    .innerJoin('incident_services', 'incident_services.incident_id', 'incidents.id')
    .select(['incidents.id', 'incidents.number', 'incidents.title', 'incidents.channel_id', 'incidents.commander_id'])
    .where('incident_services.service_id', '=', serviceId)
    .where('incidents.status', 'in', [...OPEN_STATUSES])
    .where('incidents.is_drill', '=', false)
    .orderBy('incidents.number', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, number: r.number, title: r.title, channelId: r.channel_id, commanderId: r.commander_id }));
}

export async function incidentBrief(db: Database, id: number): Promise<IncidentBrief | null> {
  const r = await db.selectFrom('incidents').select(['id', 'number', 'title', 'channel_id', 'commander_id']).where('id', '=', id).executeTakeFirst();
  return r ? { id: r.id, number: r.number, title: r.title, channelId: r.channel_id, commanderId: r.commander_id } : null;
}

export async function isIncidentOpen(db: Database, id: number): Promise<boolean> {
  const r = await db.selectFrom('incidents').select('status').where('id', '=', id).executeTakeFirst();
  return r !== undefined && (OPEN_STATUSES as readonly string[]).includes(r.status);
}

export async function serviceName(db: Database, id: number): Promise<string | null> {
  return (await db.selectFrom('services').select('name').where('id', '=', id).executeTakeFirst())?.name ?? null;
}

/** Who owns the service (a Slack user id), when someone does. */
export async function serviceOwner(db: Database, id: number): Promise<string | null> {
  return (await db.selectFrom('services').select('owner_id').where('id', '=', id).executeTakeFirst())?.owner_id ?? null;
}

/** The alert groups attached to an incident. */
export async function groupsOfIncident(db: Database, incidentId: number): Promise<number[]> {
  return (await db.selectFrom('alert_groups').select('id').where('incident_id', '=', incidentId).orderBy('id').execute()).map((r) => r.id);
}
