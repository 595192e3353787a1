import type { Database } from '../db/client';
import type { LinkedDeployment } from './model';

/**
 * The deployments linked to an incident when it was declared (signals/ links them), newest first. The
 * incident reads them only where they are shown — its card and its review — not on every load.
 */
export async function linkedDeploymentsOf(db: Database, incidentId: number): Promise<LinkedDeployment[]> {
  const rows = await db
    .selectFrom('incident_deployments')
    .innerJoin('deployments', 'deployments.id', 'incident_deployments.deployment_id')
    .innerJoin('services', 'services.id', 'deployments.service_id')
    .select([
      'deployments.id',
      'services.name as service',
      'deployments.version',
      'deployments.environment',
      'deployments.summary',
      'deployments.author',
      'deployments.url',
      'deployments.deployed_at',
      'incident_deployments.caused',
    ])
    .where('incident_deployments.incident_id', '=', incidentId)
    .orderBy('deployments.deployed_at', 'desc')
    .orderBy('deployments.id', 'desc')
    .execute();
  return rows.map(({ deployed_at, ...r }) => ({ ...r, deployedAt: new Date(deployed_at) }));
}

/** Marks which of the incident's linked deployments caused it (the review's answer); the others not. */
export async function markCausingDeployments(db: Database, incidentId: number, deploymentIds: number[]): Promise<void> {
  await db.updateTable('incident_deployments').set({ caused: false }).where('incident_id', '=', incidentId).where('caused', '=', true).execute();
  if (deploymentIds.length === 0) return;
  await db.updateTable('incident_deployments').set({ caused: true }).where('incident_id', '=', incidentId).where('deployment_id', 'in', deploymentIds).execute();
}

