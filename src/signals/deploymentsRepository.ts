import { sql } from 'kysely';
import type { Database } from '../db/client';
import { preparedAs } from '../db/preparedStatements';

export interface NewDeployment {
  teamId: string;
  serviceId: number;
  version: string;
  environment: string;
  summary: string;
  author: string;
  url: string | null;
  deployedAt: Date;
}

/** Records a deployment once per (service, version, environment); null when it was already recorded. */
export async function insertDeployment(db: Database, d: NewDeployment, now: Date): Promise<{ id: number } | null> {
  const row = await db
    .insertInto('deployments')
    .values({
      team_id: d.teamId,
      service_id: d.serviceId,
      version: d.version,
      environment: d.environment,
      summary: d.summary,
      author: d.author,
      url: d.url,
      deployed_at: d.deployedAt,
      received_at: now,
    })
    .onConflict((oc) => oc.columns(['team_id', 'service_id', 'version', 'environment']).doNothing())
    .returning('id')
    .modifyEnd(preparedAs('deployment_insert'))
    .executeTakeFirst();
  return row ?? null;
}

export async function findDeployment(db: Database, teamId: string, serviceId: number, version: string, environment: string): Promise<{ id: number } | null> {
  const row = await db
    .selectFrom('deployments')
    .select('id')
    .where('team_id', '=', teamId)
    .where('service_id', '=', serviceId)
    .where('version', '=', version)
    .where('environment', '=', environment)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Links an incident to the production deployments of its services in (`since`, `until`]: what was
 * deployed shortly before it was declared. Returns how many it linked.
 */
export async function linkRecentDeployments(db: Database, incidentId: number, since: Date, until: Date, environment: string): Promise<number> {
  const result = await db
    .insertInto('incident_deployments')
    .columns(['incident_id', 'deployment_id'])
    .expression((eb) =>
      eb
        .selectFrom('deployments')
        .innerJoin('incident_services', 'incident_services.service_id', 'deployments.service_id')
        .select([sql<number>`cast(${incidentId} as integer)`.as('incident_id'), 'deployments.id'])
        .where('incident_services.incident_id', '=', incidentId)
        .where('deployments.environment', '=', environment)
        .where('deployments.deployed_at', '>', since)
        .where('deployments.deployed_at', '<=', until),
    )
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * Links a deployment reported late to the open incidents of its service declared in [`deployedAt`,
 * `deployedAt` + window): the link declaration would have made had it been known. Returns them.
 */
export async function linkLateDeployment(
  db: Database,
  d: { id: number; serviceId: number; deployedAt: Date },
  windowMs: number,
): Promise<{ incidentId: number; teamId: string }[]> {
  const rows = await db
    .insertInto('incident_deployments')
    .columns(['incident_id', 'deployment_id'])
    .expression((eb) =>
      eb
        .selectFrom('incidents')
        .innerJoin('incident_services', 'incident_services.incident_id', 'incidents.id')
        .select(['incidents.id', sql<number>`cast(${d.id} as integer)`.as('deployment_id')])
        .where('incident_services.service_id', '=', d.serviceId)
        .where('incidents.status', 'in', ['investigating', 'identified', 'monitoring'])
        .where('incidents.declared_at', '>=', d.deployedAt)
        .where('incidents.declared_at', '<', new Date(d.deployedAt.getTime() + windowMs)),
    )
    .onConflict((oc) => oc.doNothing())
    .returning('incident_id')
    .modifyEnd(preparedAs('deployment_link_late'))
    .execute();
  if (rows.length === 0) return [];
  const teams = await db.selectFrom('incidents').select(['id', 'team_id']).where('id', 'in', rows.map((r) => r.incident_id)).execute();
  return teams.map((r) => ({ incidentId: r.id, teamId: r.team_id }));
}
