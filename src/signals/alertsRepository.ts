import { sql, type Selectable } from 'kysely';
import type { Database } from '../db/client';
import type { AlertGroupsTable } from '../db/schema';
import type { AlertNotification, AlertStatus, IncomingAlert } from './alertPayloads';

export type AlertGroupRow = Selectable<AlertGroupsTable>;

export interface StoredAlert extends IncomingAlert {
  id: number;
}

const OPEN_STATUSES = ['investigating', 'identified', 'monitoring'] as const;

/**
 * The notification's group, locked for this transaction; `created` when this call made it. A twin
 * request inserting the same group at the same instant waits here for the first to commit.
 */
export async function lockOrCreateGroup(
  db: Database,
  teamId: string,
  n: AlertNotification,
  serviceId: number | null,
  now: Date,
): Promise<{ group: AlertGroupRow; created: boolean }> {
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
      service_id: serviceId,
      severity_label: n.severity,
      source_url: n.sourceUrl,
      status: n.status,
      first_fired_at: firstFired,
      resolved_at: n.status === 'resolved' ? now : null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['team_id', 'source', 'group_key']).doUpdateSet({ updated_at: sql`alert_groups.updated_at` }))
    .returningAll()
    .returning(sql<boolean>`xmax = 0`.as('created'))
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

export async function alertStatuses(db: Database, groupId: number, fingerprints: string[]): Promise<Map<string, AlertStatus>> {
  if (fingerprints.length === 0) return new Map();
  const rows = await db.selectFrom('alerts').select(['fingerprint', 'status']).where('group_id', '=', groupId).where('fingerprint', 'in', fingerprints).execute();
  return new Map(rows.map((r) => [r.fingerprint, r.status]));
}

export async function insertAlerts(db: Database, groupId: number, alerts: IncomingAlert[], now: Date): Promise<void> {
  if (alerts.length === 0) return;
  await db
    .insertInto('alerts')
    .values(
      alerts.map((a) => ({
        group_id: groupId,
        fingerprint: a.fingerprint,
        name: a.name,
        status: a.status,
        summary: a.summary,
        starts_at: a.startsAt,
        ends_at: a.endsAt,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['group_id', 'fingerprint']).doNothing())
    .execute();
}

/** Sets the status of the given alerts of a group (one statement, however many). */
export async function setAlertStatuses(db: Database, groupId: number, status: AlertStatus, fingerprints: string[], now: Date): Promise<void> {
  if (fingerprints.length === 0) return;
  await db
    .updateTable('alerts')
    .set({ status, ends_at: status === 'resolved' ? now : null, updated_at: now })
    .where('group_id', '=', groupId)
    .where('fingerprint', 'in', fingerprints)
    .execute();
}

export async function countFiring(db: Database, groupId: number): Promise<number> {
  const row = await db
    .selectFrom('alerts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('group_id', '=', groupId)
    .where('status', '=', 'firing')
    .executeTakeFirstOrThrow();
  return Number(row.n);
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
