import { onlyPostOf } from '../outbox/steps';
import type { Database } from '../db/client';
import { ExternalCallError } from '../errors';
import { getIncident } from '../incidents/repository';
import { listTimeline } from '../incidents/timelineRepository';
import { countFollowUpsOfIncident, getFollowUp } from './followUpRepository';
import { defineJob, PERSISTENT_MAX_AGE_MS, type OutboxHandler } from '../outbox/registry';
import { followUpPayload, REVIEW_JOBS, reviewPromptPayload, reviewReminderPayload, revisionPayload } from './jobs';
import type { ReviewMessenger } from './ports';
import { addPublishedPart, findReview, getRevision } from './repository';

export interface DeliveryDeps {
  db: Database;
  messenger: ReviewMessenger;
}

const skipped = (why: string) => ({ skipped: why });

async function incidentOf(db: Database, job: { incident_id: number | null }) {
  return job.incident_id === null ? null : getIncident(db, job.incident_id);
}

/**
 * The outbox handlers of reviews and follow-ups. Each reads the current state when it runs, so a prompt
 * for a review submitted meanwhile, or a reminder of a follow-up done meanwhile, is not sent.
 */
export function reviewOutboxHandlers(deps: DeliveryDeps): OutboxHandler[] {
  const { db, messenger } = deps;
  return [
    defineJob({
      kind: REVIEW_JOBS.prompt,
      schema: reviewPromptPayload,
      async run(job) {
        const { target } = job.payload;
        const incident = await incidentOf(db, job);
        const review = incident && (await findReview(db, incident.id));
        if (!incident || !review || review.status === 'submitted' || incident.status !== 'resolved') return skipped('no review owed');
        if (target === 'channel' && !incident.channelId) return skipped('no channel');
        await messenger.promptReview(target === 'channel' ? incident.channelId! : incident.commanderId, incident, review, onlyPostOf(job));
        return { sent: target };
      },
    }),
    defineJob({
      kind: REVIEW_JOBS.reminder,
      schema: reviewReminderPayload,
      async run(job) {
        const { overdueDays } = job.payload;
        const incident = await incidentOf(db, job);
        const review = incident && (await findReview(db, incident.id));
        if (!incident || !review || review.status === 'submitted' || incident.status !== 'resolved') return skipped('no review owed');
        await messenger.remindReview(incident.commanderId, incident, review, overdueDays, onlyPostOf(job));
        return { sentTo: incident.commanderId };
      },
    }),
    defineJob({
      kind: REVIEW_JOBS.publish,
      schema: revisionPayload,
      // Waits for the incident's channel, which setup may keep retrying for hours while Slack is away.
      retry: () => ({ mode: 'persistent', maxAgeMs: PERSISTENT_MAX_AGE_MS }),
      async run(job) {
        const { reviewId, revision } = job.payload;
        const incident = await incidentOf(db, job);
        const published = await getRevision(db, reviewId, revision);
        if (!incident || !published) return skipped('gone');
        // Provisioning retries the channel; the publication waits for it.
        if (!incident.channelId) throw new ExternalCallError('channel_not_ready', true);
        const timeline = (await listTimeline(db, incident.id)).filter((e) => e.at <= published.submittedAt);
        const posted = [...published.publishedTs];
        const once = onlyPostOf(job);
        const recordPart = async (ts: string) => {
          await addPublishedPart(db, reviewId, revision, ts);
          posted.push(ts);
        };
        await messenger.publishReview(incident, published, timeline, posted.length, recordPart, (part) => ({ ...once, marker: `${once.marker}:${part}` }));
        return { parts: posted };
      },
    }),
    defineJob({
      kind: REVIEW_JOBS.summary,
      schema: revisionPayload,
      async run(job) {
        const { reviewId, revision } = job.payload;
        const incident = await incidentOf(db, job);
        const published = await getRevision(db, reviewId, revision);
        if (!incident || !published || !incident.announcementChannelId || !incident.announcementTs) return skipped('not announced');
        const followUps = await countFollowUpsOfIncident(db, incident.id);
        await messenger.summarizeReview(incident.announcementChannelId, incident.announcementTs, incident, published, followUps, onlyPostOf(job));
        return { thread: incident.announcementTs };
      },
    }),
    defineJob({
      kind: REVIEW_JOBS.followUpAssigned,
      schema: followUpPayload,
      async run(job) {
        const { followUpId } = job.payload;
        const followUp = await getFollowUp(db, followUpId);
        const incident = await incidentOf(db, job);
        if (!followUp || !incident || followUp.status === 'done') return skipped('done or gone');
        await messenger.followUpAssigned(followUp, incident, onlyPostOf(job));
        return { sentTo: followUp.ownerId };
      },
    }),
    defineJob({
      kind: REVIEW_JOBS.followUpReminder,
      schema: followUpPayload,
      async run(job) {
        const { followUpId, overdueDays = 0 } = job.payload;
        const followUp = await getFollowUp(db, followUpId);
        const incident = await incidentOf(db, job);
        if (!followUp || !incident || followUp.status === 'done') return skipped('done or gone');
        await messenger.remindFollowUp(followUp, incident, overdueDays, onlyPostOf(job));
        return { sentTo: followUp.ownerId };
      },
    }),
  ];
}
