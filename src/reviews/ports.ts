import type { PostOnce } from '../outbox/steps';
import type { TimelineEvent } from '../incidents/timelineRepository';
import type { Incident } from '../incidents/model';
import type { TimeZone } from './localTime';
import type { FollowUp, Review, ReviewRevision } from './model';

/** What Slack says about a person. */
export interface Person extends TimeZone {
  isBot: boolean;
  deleted: boolean;
}

export interface PersonDirectory {
  lookup(userId: string): Promise<Person>;
}

/**
 * How reviews and follow-ups reach people. `slack/` implements it (building the messages); the review
 * domain decides when and to whom. Failures are thrown as ExternalCallError so the outbox retries them.
 * Every message is posted `once`: a retry whose earlier answer was lost finds it by its marker.
 */
export interface ReviewMessenger {
  /** Asks the commander to start the review, in the incident channel (`to` = channel id) or by DM (`to` = user id). */
  promptReview(to: string, incident: Incident, review: Review, once: PostOnce): Promise<void>;
  /** Reminds the commander by DM that the review is due (`overdueDays` 0) or overdue. */
  remindReview(userId: string, incident: Incident, review: Review, overdueDays: number, once: PostOnce): Promise<void>;
  /**
   * Posts the review as a document in the incident channel, in as many messages as it takes, skipping
   * the first `alreadyPosted` parts; `posted` is awaited after each message so progress is recorded.
   * Part `i` (from 0) is posted `partOnce(i)`.
   */
  publishReview(
    incident: Incident,
    revision: ReviewRevision,
    timeline: TimelineEvent[],
    alreadyPosted: number,
    posted: (ts: string) => Promise<void>,
    partOnce: (part: number) => PostOnce,
  ): Promise<void>;
  /** A short summary of the published review in the announcement's thread. */
  summarizeReview(channelId: string, threadTs: string, incident: Incident, revision: ReviewRevision, followUps: number, once: PostOnce): Promise<void>;
  /** Tells the owner of a new follow-up about it. */
  followUpAssigned(followUp: FollowUp, incident: Incident, once: PostOnce): Promise<void>;
  /** Reminds the owner that a follow-up is due today (`overdueDays` 0) or overdue. */
  remindFollowUp(followUp: FollowUp, incident: Incident, overdueDays: number, once: PostOnce): Promise<void>;
}
