import { enqueueJobs } from '../comms/outboxRepository';
import type { Database } from '../db/client';

/** Outbox job kinds of reviews and follow-ups; each carries one message (or one publication) to Slack. */
export const REVIEW_JOBS = {
  prompt: 'review_prompt',
  reminder: 'review_reminder',
  publish: 'review_publish',
  summary: 'review_summary',
  followUpAssigned: 'follow_up_assigned',
  followUpReminder: 'follow_up_reminder',
} as const;

export interface ReviewPromptPayload {
  /** Where: the incident channel, or the commander by DM. */
  target: 'channel' | 'dm';
}
export interface ReviewReminderPayload {
  periodAt: string;
  /** 0 on the day it falls due. */
  overdueDays: number;
}
export interface RevisionPayload {
  reviewId: number;
  revision: number;
}
export interface FollowUpPayload {
  followUpId: number;
  /** For reminders: the period reminded of, and how overdue (0 = due today). */
  periodAt?: string;
  overdueDays?: number;
}

export interface ReviewJob {
  kind: (typeof REVIEW_JOBS)[keyof typeof REVIEW_JOBS];
  teamId: string;
  incidentId: number;
  dedupeKey: string;
  payload: object;
}

/** Queues work for Slack in the caller's transaction, due at once. */
export async function enqueueReviewJobs(tx: Database, jobs: ReviewJob[], now: Date): Promise<void> {
  await enqueueJobs(
    tx,
    jobs.map((j) => ({ teamId: j.teamId, incidentId: j.incidentId, kind: j.kind, dedupeKey: j.dedupeKey, payload: j.payload as Record<string, unknown>, notBefore: now })),
    now,
  );
}
