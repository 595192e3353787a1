import type { Database } from '../db/client';

export interface ServiceRecord {
  id: number;
  name: string;
  ownerId: string | null;
}

export interface StakeholderList {
  channels: string[];
  people: string[];
}

/** Who should hear about an incident: each channel or person with the names of the services that bring them in. */
export interface IncidentAudience {
  channels: Map<string, string[]>;
  people: Map<string, string[]>;
}

export async function findServiceByKey(db: Database, teamId: string, nameKey: string): Promise<ServiceRecord | null> {
  const row = await db
    .selectFrom('services')
    .select(['id', 'name', 'owner_id'])
    .where('team_id', '=', teamId)
    .where('name_key', '=', nameKey)
    .executeTakeFirst();
  return row ? { id: row.id, name: row.name, ownerId: row.owner_id } : null;
}

export async function lockService(db: Database, serviceId: number): Promise<ServiceRecord | null> {
  const row = await db.selectFrom('services').select(['id', 'name', 'owner_id']).where('id', '=', serviceId).forUpdate().executeTakeFirst();
  return row ? { id: row.id, name: row.name, ownerId: row.owner_id } : null;
}

export async function getStakeholders(db: Database, serviceId: number): Promise<StakeholderList> {
  const rows = await db
    .selectFrom('service_stakeholders')
    .select(['kind', 'target_id'])
    .where('service_id', '=', serviceId)
    .orderBy('kind')
    .orderBy('target_id')
    .execute();
  return {
    channels: rows.filter((r) => r.kind === 'channel').map((r) => r.target_id),
    people: rows.filter((r) => r.kind === 'user').map((r) => r.target_id),
  };
}

/** Replaces the owner and the whole stakeholder list of a service. */
export async function replaceStakeholders(db: Database, serviceId: number, ownerId: string | null, list: StakeholderList, now: Date): Promise<void> {
  await db.updateTable('services').set({ owner_id: ownerId, updated_at: now }).where('id', '=', serviceId).execute();
  await db.deleteFrom('service_stakeholders').where('service_id', '=', serviceId).execute();
  const rows = [
    ...list.channels.map((target_id) => ({ service_id: serviceId, kind: 'channel' as const, target_id })),
    ...list.people.map((target_id) => ({ service_id: serviceId, kind: 'user' as const, target_id })),
  ];
  if (rows.length > 0) await db.insertInto('service_stakeholders').values(rows).onConflict((oc) => oc.doNothing()).execute();
}

export async function incidentAudience(db: Database, incidentId: number): Promise<IncidentAudience> {
  const rows = await db
    .selectFrom('incident_services')
    .innerJoin('services', 'services.id', 'incident_services.service_id')
    .innerJoin('service_stakeholders', 'service_stakeholders.service_id', 'services.id')
    .select(['services.name', 'service_stakeholders.kind', 'service_stakeholders.target_id'])
    .where('incident_services.incident_id', '=', incidentId)
    .orderBy('services.name_key')
    .orderBy('service_stakeholders.target_id')
    .execute();
  const audience: IncidentAudience = { channels: new Map(), people: new Map() };
  for (const row of rows) {
    const into = row.kind === 'channel' ? audience.channels : audience.people;
    into.set(row.target_id, [...(into.get(row.target_id) ?? []), row.name]);
  }
  return audience;
}

/** Every stakeholder channel of the workspace's services, each with the names of the services that list it. */
export async function listStakeholderChannels(db: Database, teamId: string): Promise<Array<{ channelId: string; services: string[] }>> {
  const rows = await db
    .selectFrom('service_stakeholders')
    .innerJoin('services', 'services.id', 'service_stakeholders.service_id')
    .select(['service_stakeholders.target_id', 'services.name'])
    .where('services.team_id', '=', teamId)
    .where('service_stakeholders.kind', '=', 'channel')
    .orderBy('service_stakeholders.target_id')
    .orderBy('services.name_key')
    .execute();
  const channels = new Map<string, string[]>();
  for (const row of rows) channels.set(row.target_id, [...(channels.get(row.target_id) ?? []), row.name]);
  return [...channels].map(([channelId, services]) => ({ channelId, services }));
}
