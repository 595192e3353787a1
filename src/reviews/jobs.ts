import { z } from 'zod';
import { enqueueJobs } from '../outbox/repository';
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

export const reviewPromptPayload = z.object({
  /** Where: the incident channel, or the commander by DM. */
  target: z.enum(['channel', 'dm']),
});
export const reviewReminderPayload = z.object({
  periodAt: z.string(),
  /** 0 on the day it falls due. */
  overdueDays: z.number().int(),
});
export const revisionPayload = z.object({ reviewId: z.number().int(), revision: z.number().int() });
export const followUpPayload = z.object({
  followUpId: z.number().int(),
  /** For reminders: the period reminded of, and how overdue (0 = due today). */
  periodAt: z.string().optional(),
  overdueDays: z.number().int().optional(),
});
export type ReviewPromptPayload = z.infer<typeof reviewPromptPayload>;
export type ReviewReminderPayload = z.infer<typeof reviewReminderPayload>;
export type RevisionPayload = z.infer<typeof revisionPayload>;
export type FollowUpPayload = z.infer<typeof followUpPayload>;

export interface ReviewJob {
  kind: (typeof REVIEW_JOBS)[keyof typeof REVIEW_JOBS];
  teamId: string;
  incidentId: number;
  dedupeKey: string;
  payload: Record<string, unknown>;
}

/** Queues work for Slack in the caller's transaction, due at once. */
export async function enqueueReviewJobs(tx: Database, jobs: ReviewJob[], now: Date): Promise<void> {
  await enqueueJobs(
    tx,
    jobs.map((j) => ({ teamId: j.teamId, incidentId: j.incidentId, kind: j.kind, dedupeKey: j.dedupeKey, payload: j.payload, notBefore: now })),
    now,
  );
}
