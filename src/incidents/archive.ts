import { z } from 'zod';
import type { Database } from '../db/client';
import { ExternalCallError } from '../errors';
import { defineJob, PERSISTENT_MAX_AGE_MS, type OutboxHandler, type OutboxJob, type RetryPolicy } from '../outbox/registry';
import { enqueueJobs } from '../outbox/repository';
import { onlyPostOf } from '../outbox/steps';
import type { IncidentLifecycleHooks } from './lifecycle';
import type { Incident } from './model';
import type { ChannelArchiver } from './ports';
import { getIncident } from './repository';

/**
 * Channels that tidy up: a closed incident's channel is archived ARCHIVE_AFTER its closing, with a
 * notice in the channel a day before (at closing, when ARCHIVE_AFTER is under a day). The notice is an
 * outbox job queued in the closing's own transaction and queues the archiving, so one replica does each,
 * once. Reopening the incident cancels them: each job first checks that the incident is still closed
 * since the same moment.
 */
export const ARCHIVE_NOTICE_JOB = 'archive_notice';
export const ARCHIVE_CHANNEL_JOB = 'archive_channel';

/** How long before the archiving the channel is told. */
export const ARCHIVE_NOTICE_BEFORE_MS = 24 * 60 * 60_000;

const archivePayload = z.object({ closedAt: z.iso.datetime(), archiveAt: z.iso.datetime() });
type ArchivePayload = z.infer<typeof archivePayload>;

/** When a channel closed at `closedAt` is told, and when it is archived. */
export function archiveSchedule(closedAt: Date, archiveAfterMs: number): { noticeAt: Date; archiveAt: Date } {
  const archiveAt = new Date(closedAt.getTime() + archiveAfterMs);
  const noticeAt = archiveAfterMs < ARCHIVE_NOTICE_BEFORE_MS ? closedAt : new Date(archiveAt.getTime() - ARCHIVE_NOTICE_BEFORE_MS);
  return { noticeAt, archiveAt };
}

/** Queues the notice when an incident closes (the notice queues the archiving); nothing when ARCHIVE_AFTER is off. */
export function channelArchiveHooks(archiveAfterMs: number | null): IncidentLifecycleHooks {
  if (archiveAfterMs === null) return {};
  return {
    async closed(tx, incident, now) {
      const closedAt = incident.closedAt ?? now;
      const { noticeAt, archiveAt } = archiveSchedule(closedAt, archiveAfterMs);
      const payload: ArchivePayload = { closedAt: closedAt.toISOString(), archiveAt: archiveAt.toISOString() };
      await enqueueJobs(tx, [{ teamId: incident.teamId, incidentId: incident.id, kind: ARCHIVE_NOTICE_JOB, dedupeKey: `archive_notice:${closingKey(incident.id, payload)}`, payload, notBefore: noticeAt }], now);
    },
  };
}

/** Keyed by the closing: a reopened incident closed again gets a schedule of its own. */
const closingKey = (incidentId: number | null, payload: ArchivePayload) => `${incidentId}:${new Date(payload.closedAt).getTime()}`;

/**
 * The archiving follows the notice, never the other way round (a Herald down when both fell due would
 * otherwise race them, and a notice cannot be posted in an archived channel). The dedupe key makes a
 * retried notice queue it once.
 */
async function queueArchiving(db: Database, job: OutboxJob<ArchivePayload>, now: Date): Promise<void> {
  const archiveAt = new Date(Math.max(new Date(job.payload.archiveAt).getTime(), now.getTime()));
  await enqueueJobs(
    db,
    [{ teamId: job.team_id, incidentId: job.incident_id, kind: ARCHIVE_CHANNEL_JOB, dedupeKey: `archive_channel:${closingKey(job.incident_id, job.payload)}`, payload: job.payload, notBefore: archiveAt }],
    now,
  );
}

/** The incident, when it is still closed since the closing that queued the job (not reopened) and has a channel. */
async function stillClosed(db: Database, job: OutboxJob<ArchivePayload>): Promise<(Incident & { channelId: string }) | null> {
  if (job.incident_id === null) return null;
  const incident = await getIncident(db, job.incident_id);
  if (!incident || incident.status !== 'closed' || incident.closedAt?.getTime() !== new Date(job.payload.closedAt).getTime()) return null;
  return incident.channelId ? (incident as Incident & { channelId: string }) : null;
}

/**
 * Keeps trying through a Slack outage for a day past the moment it was due, while the incident stays
 * closed; the job is queued days ahead, so the day counts from when it is due, not from its queueing.
 */
function untilReopenedOrADayLate(db: Database, job: OutboxJob<ArchivePayload>, dueAt: Date): RetryPolicy {
  return {
    mode: 'persistent',
    maxAgeMs: Math.max(0, dueAt.getTime() - job.created_at.getTime()) + PERSISTENT_MAX_AGE_MS,
    stillWanted: async () => (await stillClosed(db, job)) !== null,
  };
}

/** Codes after which the channel is as good as archived, or can never be by Herald: nothing to retry. */
const SETTLED = ['already_archived', 'channel_not_found'];
/** A notice cannot go to a channel that is archived or gone. */
const GONE = ['is_archived', 'channel_not_found'];

export function archiveJobs(deps: { db: Database; archiver: ChannelArchiver }): OutboxHandler[] {
  const { db, archiver } = deps;
  return [
    defineJob({
      kind: ARCHIVE_NOTICE_JOB,
      schema: archivePayload,
      retry: (job) => untilReopenedOrADayLate(db, job, new Date(job.payload.archiveAt)),
      async run(job, now) {
        const incident = await stillClosed(db, job);
        if (!incident) return { skipped: 'reopened, or no channel' };
        try {
          await archiver.warnOfArchive(incident, new Date(job.payload.archiveAt), onlyPostOf(job));
        } catch (err) {
          // Someone archived or deleted the channel already: there is nothing left to warn, or to archive.
          if (err instanceof ExternalCallError && GONE.includes(err.code)) return { skipped: err.code };
          throw err;
        }
        await queueArchiving(db, job, now);
        return null;
      },
      // Slack away for a day: archive anyway, unwarned, rather than keep the channel for ever.
      onGiveUp: (job, _reason, now) => queueArchiving(db, job, now),
    }),
    defineJob({
      kind: ARCHIVE_CHANNEL_JOB,
      schema: archivePayload,
      retry: (job) => untilReopenedOrADayLate(db, job, new Date(job.payload.archiveAt)),
      async run(job) {
        const incident = await stillClosed(db, job);
        if (!incident) return { skipped: 'reopened, or no channel' };
        try {
          await archiver.archive(incident.channelId);
        } catch (err) {
          if (err instanceof ExternalCallError && SETTLED.includes(err.code)) return { skipped: err.code };
          throw err;
        }
        return { archived: incident.channelId };
      },
    }),
  ];
}
