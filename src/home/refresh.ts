import { z } from 'zod';
import type { OutboxHandler } from '../comms/dispatcher';
import { enqueueJobs } from '../comms/outboxRepository';
import type { Database } from '../db/client';

/** Outbox job kind: publish a person's Home tab again because their work changed. */
export const HOME_REFRESH_JOB = 'home_refresh';

/**
 * Changes to one person's work within this span make one refresh, published at its end from what is
 * then in the database: a review that adds twenty follow-ups for one owner publishes their tab once.
 */
export const HOME_REFRESH_COALESCE_MS = 5_000;

const payloadSchema = z.object({ userId: z.string().min(1) });

/**
 * Queues a refresh of each person's Home tab, in the caller's transaction so it happens only if the
 * change does. Jobs for one person in one span share a dedupe key, so a burst of changes is one job.
 */
export async function enqueueHomeRefresh(tx: Database, teamId: string, userIds: Array<string | null | undefined>, now: Date): Promise<void> {
  const span = Math.floor(now.getTime() / HOME_REFRESH_COALESCE_MS);
  const publishAt = new Date((span + 1) * HOME_REFRESH_COALESCE_MS);
  const people = [...new Set(userIds.filter((u): u is string => typeof u === 'string' && u.length > 0))];
  await enqueueJobs(
    tx,
    people.map((userId) => ({
      teamId,
      incidentId: null,
      kind: HOME_REFRESH_JOB,
      dedupeKey: `${HOME_REFRESH_JOB}:${teamId}:${userId}:${span}`,
      payload: { userId },
      notBefore: publishAt,
    })),
    now,
  );
}

/** Publishes a person's Home tab; Slack failures throw ExternalCallError so the outbox retries. */
export type HomePublisher = (teamId: string, userId: string) => Promise<void>;

export function homeRefreshHandler(publish: HomePublisher): OutboxHandler {
  return {
    kind: HOME_REFRESH_JOB,
    async run(job) {
      const { userId } = payloadSchema.parse(job.payload);
      await publish(job.team_id, userId);
      return { publishedFor: userId };
    },
  };
}
