import { z } from 'zod';
import type { Database } from '../db/client';
import { defineJob, PERSISTENT_MAX_AGE_MS, type OutboxHandler, type OutboxJob } from '../outbox/registry';
import { enqueueJobs } from '../outbox/repository';
import { onlyPostOf } from '../outbox/steps';
import { INCIDENT_CHANGED_JOB, incidentChangedPayload } from './changes';
import { PROVISION_JOB } from './declare';
import { addPinnedMessage, PIN_JOB, pinJobPayload } from './pins';
import { provisionIncident, tellDeclarerSetupGaveUp, tellSetupDelayed, type ProvisionDeps } from './provision';
import { publishIncidentChange, reportChangeGaveUp, type PublishDeps } from './publishChange';
import { untilIncidentCloses } from './retry';

/** Told once per incident, when setup has failed a few times: Slack is not answering, Herald keeps trying. */
export const SETUP_DELAYED_JOB = 'setup_delayed_notice';
/** Told to the declarer when setup truly gave up, with a button to try again. */
export const SETUP_GAVE_UP_JOB = 'setup_gave_up_notice';

/** Failed attempts in a row (about 7 seconds of backoff) before the declarer is told Slack is not answering. */
export const SETUP_STRUGGLING_AFTER = 3;

const setupDelayedPayload = z.object({ to: z.enum(['declarer', 'channel']), since: z.string() });
const setupGaveUpPayload = z.object({ reason: z.string() });

export interface IncidentJobDeps {
  provision: ProvisionDeps;
  publish: PublishDeps;
}

/** Queues, once per incident, the notices that setup is waiting for Slack. They go out when Slack answers. */
async function queueSetupDelayedNotices(db: Database, job: OutboxJob<unknown>, now: Date): Promise<void> {
  const since = job.created_at.toISOString();
  await enqueueJobs(
    db,
    (['declarer', 'channel'] as const).map((to) => ({
      teamId: job.team_id,
      incidentId: job.incident_id,
      kind: SETUP_DELAYED_JOB,
      dedupeKey: `setup_delayed:${job.incident_id}:${to}`,
      payload: { to, since },
      notBefore: now,
    })),
    now,
  );
}

/** The incident domain's outbox job kinds. */
export function incidentJobs(deps: IncidentJobDeps): OutboxHandler[] {
  const { db } = deps.provision;
  const incidentOf = (job: { incident_id: number | null }) => {
    if (job.incident_id === null) throw new Error('an incident job without an incident');
    return job.incident_id;
  };
  return [
    defineJob({
      kind: PROVISION_JOB,
      schema: z.object({}),
      retry: (job) => untilIncidentCloses(db, job.incident_id),
      run: (job, now) => provisionIncident(deps.provision, job, now),
      struggling: { afterAttempts: SETUP_STRUGGLING_AFTER, notify: (job, _reason, now) => queueSetupDelayedNotices(db, job, now) },
      async onGiveUp(job, reason, now) {
        await enqueueJobs(
          db,
          [
            {
              teamId: job.team_id,
              incidentId: job.incident_id,
              kind: SETUP_GAVE_UP_JOB,
              dedupeKey: `setup_gave_up:${job.id}:${now.toISOString()}`,
              destination: null,
              payload: { reason },
              notBefore: now,
            },
          ],
          now,
        );
      },
    }),
    defineJob({
      kind: SETUP_DELAYED_JOB,
      schema: setupDelayedPayload,
      retry: (job) => untilIncidentCloses(db, job.incident_id),
      run: (job) => tellSetupDelayed(deps.provision, incidentOf(job), job.payload.to, new Date(job.payload.since), onlyPostOf(job)),
    }),
    defineJob({
      kind: SETUP_GAVE_UP_JOB,
      schema: setupGaveUpPayload,
      retry: (job) => untilIncidentCloses(db, job.incident_id),
      run: (job) => tellDeclarerSetupGaveUp(deps.provision, incidentOf(job), job.payload.reason, onlyPostOf(job)),
    }),
    defineJob({
      kind: INCIDENT_CHANGED_JOB,
      schema: incidentChangedPayload,
      // Waits behind setup (which may retry for hours while Slack is away); closing is shown too, so not tied to the incident being open.
      retry: () => ({ mode: 'persistent', maxAgeMs: PERSISTENT_MAX_AGE_MS }),
      run: (job, now) => publishIncidentChange(deps.publish, { id: job.id, incidentId: incidentOf(job), payload: job.payload }, now),
      onGiveUp: (job, reason, now) => reportChangeGaveUp(deps.publish, { id: job.id, incidentId: incidentOf(job), payload: job.payload }, reason, now),
    }),
    defineJob({
      kind: PIN_JOB,
      schema: pinJobPayload,
      run: (job) => addPinnedMessage(deps.publish, incidentOf(job), job.payload),
    }),
  ];
}
