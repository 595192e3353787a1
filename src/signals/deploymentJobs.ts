import { z } from 'zod';
import type { Database } from '../db/client';
import { ExternalCallError } from '../errors';
import { linkedDeploymentsOf } from '../incidents/linkedDeploymentsRepository';
import { getIncident } from '../incidents/repository';
import { untilIncidentCloses } from '../incidents/retry';
import { defineJob, type OutboxHandler } from '../outbox/registry';
import { onlyPostOf } from '../outbox/steps';
import { RECENT_DEPLOYMENTS_JOB } from './deployments';
import type { DeploymentMessenger } from './deploymentPorts';

export interface DeploymentJobDeps {
  db: Database;
  messenger: DeploymentMessenger;
}

/** Deployments' outbox job: the recent deployments, posted once in the incident's channel once it exists. */
export function deploymentJobs(deps: DeploymentJobDeps): OutboxHandler[] {
  return [
    defineJob({
      kind: RECENT_DEPLOYMENTS_JOB,
      schema: z.object({}),
      retry: (job) => untilIncidentCloses(deps.db, job.incident_id),
      async run(job) {
        const incident = job.incident_id === null ? null : await getIncident(deps.db, job.incident_id);
        if (!incident) return { skipped: 'incident deleted' };
        // Setup is still making the channel: wait for it.
        if (!incident.channelId) throw new ExternalCallError('channel_not_ready', true);
        const deployments = await linkedDeploymentsOf(deps.db, incident.id);
        if (deployments.length === 0) return { skipped: 'no deployments' };
        await deps.messenger.postRecentDeployments(incident, deployments, onlyPostOf(job));
        return { posted: deployments.length };
      },
    }),
  ];
}
