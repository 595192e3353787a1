import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../db/client';
import { defineJob, type OutboxHandler } from '../outbox/registry';
import { enqueueJobs, lockWaitingJob } from '../outbox/repository';

/** Outbox job kind: publish a person's Home tab again because their work changed. */
export const HOME_REFRESH_JOB = 'home_refresh';

const payloadSchema = z.object({ userId: z.string().min(1) });

/**
 * Queues a refresh of each person's Home tab, in the caller's transaction so it happens only if the
 * change does. A refresh already queued and not yet started will draw this change too, so none is
 * added: a burst of changes (twenty follow-ups for one owner) publishes a handful of times, not twenty.
 */
export async function enqueueHomeRefresh(tx: Database, teamId: string, userIds: Array<string | null | undefined>, now: Date): Promise<void> {
  const people = [...new Set(userIds.filter((u): u is string => typeof u === 'string' && u.length > 0))];
  for (const userId of people) {
    if (await lockWaitingJob(tx, { kind: HOME_REFRESH_JOB, teamId, payload: { userId } }, now)) continue;
    await enqueueJobs(
      tx,
      [{ teamId, incidentId: null, kind: HOME_REFRESH_JOB, dedupeKey: `${HOME_REFRESH_JOB}:${teamId}:${userId}:${randomUUID()}`, payload: { userId }, notBefore: now }],
      now,
    );
  }
}

/** Publishes a person's Home tab; Slack failures throw ExternalCallError so the outbox retries. */
export type HomePublisher = (teamId: string, userId: string) => Promise<void>;

export function homeRefreshHandler(publish: HomePublisher): OutboxHandler {
  return defineJob({
    kind: HOME_REFRESH_JOB,
    schema: payloadSchema,
    async run(job) {
      await publish(job.team_id, job.payload.userId);
      return { publishedFor: job.payload.userId };
    },
  });
}
