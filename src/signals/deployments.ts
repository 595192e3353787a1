import { z } from 'zod';
import type { Database } from '../db/client';
import type { IncidentLifecycleHooks } from '../incidents/lifecycle';
import { ensureService } from '../incidents/servicesRepository';
import { enqueueJobs } from '../outbox/repository';
import { recordLinkedDeployment } from '../incidents/changes';
import { findDeployment, insertDeployment, linkLateDeployment, linkRecentDeployments } from './deploymentsRepository';

/** The environment a deployment goes to unless the pipeline says otherwise; the only one linked to incidents. */
export const PRODUCTION = 'production';

export const RECENT_DEPLOYMENTS_JOB = 'post_recent_deployments';

const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);

/** What `POST /deployments` accepts. */
export const deploymentSchema = z.object({
  service: text(80).min(1, 'the service deployed, e.g. "Payments API"'),
  version: text(200).min(1, 'the version deployed, e.g. a tag or commit'),
  summary: text(500).default(''),
  author: text(200).default(''),
  url: z.url({ protocol: /^https?$/, message: 'an http(s) URL' }).max(2000).optional(),
  deployed_at: z.iso.datetime({ offset: true, message: 'an ISO 8601 time, e.g. 2026-11-27T10:00:00Z' }).optional(),
  environment: text(80)
    .min(1)
    .transform((v) => v.toLowerCase())
    .default(PRODUCTION),
});

export type DeploymentInput = z.output<typeof deploymentSchema>;

export interface RecordedDeployment {
  id: number;
  service: string;
  /** False when this (service, version, environment) was already recorded: nothing changed. */
  created: boolean;
  /** True when the service was not known to Herald and this deployment created it. */
  serviceCreated: boolean;
}

/**
 * Records a deployment a CI pipeline reported. The service is matched to Herald's by name, case and
 * spacing ignored; an unknown one is created, so a pipeline never fails over a service nobody set up
 * yet. The same deployment posted twice is one row. One deployed in the change window before an open
 * incident of its service was declared, but reported after, is linked to it in the same transaction.
 */
export async function recordDeployment(db: Database, teamId: string, input: DeploymentInput, now: Date, changeWindowMs: number): Promise<RecordedDeployment> {
  return db.transaction().execute(async (tx) => {
    const service = await ensureService(tx, teamId, input.service);
    const fields = {
      teamId,
      serviceId: service.id,
      version: input.version,
      environment: input.environment,
      summary: input.summary,
      author: input.author,
      url: input.url ?? null,
      deployedAt: input.deployed_at ? new Date(input.deployed_at) : now,
    };
    const inserted = await insertDeployment(tx, fields, now);
    if (inserted && input.environment === PRODUCTION) {
      // Reported after an incident was declared but deployed in the change window before it: link it now.
      const late = await linkLateDeployment(tx, { id: inserted.id, serviceId: service.id, deployedAt: fields.deployedAt }, changeWindowMs);
      for (const incident of late) {
        await recordLinkedDeployment(tx, { id: incident.incidentId, teamId: incident.teamId }, { change: 'deployment', deploymentId: inserted.id, service: service.name, version: input.version }, now);
      }
    }
    const row = inserted ?? (await findDeployment(tx, teamId, service.id, input.version, input.environment));
    return { id: row!.id, service: service.name, created: inserted !== null, serviceCreated: service.created };
  });
}

/**
 * On declaration, in its transaction: links the production deployments of the incident's services in
 * the change window before it, and queues the message listing them in the incident's channel.
 */
export function deploymentHooks(changeWindowMs: number): IncidentLifecycleHooks {
  return {
    async declared(tx, incident, now) {
      const linked = await linkRecentDeployments(tx, incident.id, new Date(incident.declaredAt.getTime() - changeWindowMs), incident.declaredAt, PRODUCTION);
      if (linked === 0) return;
      await enqueueJobs(tx, [{ teamId: incident.teamId, incidentId: incident.id, kind: RECENT_DEPLOYMENTS_JOB, dedupeKey: `recent_deployments:${incident.id}`, notBefore: now }], now);
    },
  };
}
