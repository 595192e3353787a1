import type { OutboxHandler } from '../comms/dispatcher';
import type { OutboxRow } from '../comms/outboxRepository';
import { onlyPostOf } from '../comms/outboxSteps';
import type { Database } from '../db/client';
import { ExternalCallError } from '../errors';
import { getIncident } from '../incidents/repository';
import { listTimeline } from '../incidents/timelineRepository';
import { countFollowUpsOfIncident, getFollowUp } from './followUpRepository';
import { REVIEW_JOBS, type FollowUpPayload, type ReviewPromptPayload, type ReviewReminderPayload, type RevisionPayload } from './jobs';
import type { ReviewMessenger } from './ports';
import { addPublishedPart, findReview, getRevision } from './repository';

export interface DeliveryDeps {
  db: Database;
  messenger: ReviewMessenger;
}

const skipped = (why: string) => ({ skipped: why });

async function incidentOf(db: Database, job: OutboxRow) {
  return job.incident_id === null ? null : getIncident(db, job.incident_id);
}

/**
 * The outbox handlers of reviews and follow-ups. Each reads the current state when it runs, so a prompt
 * for a review submitted meanwhile, or a reminder of a follow-up done meanwhile, is not sent.
 */
export function reviewOutboxHandlers(deps: DeliveryDeps): OutboxHandler[] {
  const { db, messenger } = deps;
  return [
    {
      kind: REVIEW_JOBS.prompt,
      async run(job) {
        const { target } = job.payload as unknown as ReviewPromptPayload;
        const incident = await incidentOf(db, job);
        const review = incident && (await findReview(db, incident.id));
        if (!incident || !review || review.status === 'submitted' || incident.status !== 'resolved') return skipped('no review owed');
        if (target === 'channel' && !incident.channelId) return skipped('no channel');
        await messenger.promptReview(target === 'channel' ? incident.channelId! : incident.commanderId, incident, review, onlyPostOf(job));
        return { sent: target };
      },
    },
    {
      kind: REVIEW_JOBS.reminder,
      async run(job) {
        const { overdueDays } = job.payload as unknown as ReviewReminderPayload;
        const incident = await incidentOf(db, job);
        const review = incident && (await findReview(db, incident.id));
        if (!incident || !review || review.status === 'submitted' || incident.status !== 'resolved') return skipped('no review owed');
        await messenger.remindReview(incident.commanderId, incident, review, overdueDays, onlyPostOf(job));
        return { sentTo: incident.commanderId };
      },
    },
    {
      kind: REVIEW_JOBS.publish,
      async run(job) {
        const { reviewId, revision } = job.payload as unknown as RevisionPayload;
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
    },
    {
      kind: REVIEW_JOBS.summary,
      async run(job) {
        const { reviewId, revision } = job.payload as unknown as RevisionPayload;
        const incident = await incidentOf(db, job);
        const published = await getRevision(db, reviewId, revision);
        if (!incident || !published || !incident.announcementChannelId || !incident.announcementTs) return skipped('not announced');
        const followUps = await countFollowUpsOfIncident(db, incident.id);
        await messenger.summarizeReview(incident.announcementChannelId, incident.announcementTs, incident, published, followUps, onlyPostOf(job));
        return { thread: incident.announcementTs };
      },
    },
    {
      kind: REVIEW_JOBS.followUpAssigned,
      async run(job) {
        const { followUpId } = job.payload as unknown as FollowUpPayload;
        const followUp = await getFollowUp(db, followUpId);
        const incident = await incidentOf(db, job);
        if (!followUp || !incident || followUp.status === 'done') return skipped('done or gone');
        await messenger.followUpAssigned(followUp, incident, onlyPostOf(job));
        return { sentTo: followUp.ownerId };
      },
    },
    {
      kind: REVIEW_JOBS.followUpReminder,
      async run(job) {
        const { followUpId, overdueDays = 0 } = job.payload as unknown as FollowUpPayload;
        const followUp = await getFollowUp(db, followUpId);
        const incident = await incidentOf(db, job);
        if (!followUp || !incident || followUp.status === 'done') return skipped('done or gone');
        await messenger.remindFollowUp(followUp, incident, overdueDays, onlyPostOf(job));
        return { sentTo: followUp.ownerId };
      },
    },
  ];
}
