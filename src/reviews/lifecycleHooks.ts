import type { SeverityDurations } from '../config';
import type { Database } from '../db/client';
import { enqueueHomeRefresh } from '../home/refresh';
import type { IncidentLifecycleHooks } from '../incidents/lifecycle';
import type { Incident } from '../incidents/model';
import { enqueueReviewJobs, REVIEW_JOBS, type ReviewPromptPayload } from './jobs';
import { findReview, lockReview, setReviewDue } from './repository';

export const MISSING_REVIEW = 'the post-incident review';

/** When the review of this incident falls due; null when its severity needs none. */
export function reviewDueAt(reviewDue: SeverityDurations, incident: Pick<Incident, 'severity' | 'resolvedAt'>): Date | null {
  const after = reviewDue[incident.severity];
  if (after === null || !incident.resolvedAt) return null;
  return new Date(incident.resolvedAt.getTime() + after);
}

/**
 * Resolving owes a review (for severities with a REVIEW_DUE) and asks the commander for it at once, in
 * the channel and by DM; reopening means nothing is owed until the next resolution. Everything happens
 * in the change's own transaction, so the due date and the prompt never disagree with the incident.
 */
export function reviewLifecycleHooks(options: { reviewDue: SeverityDurations }): IncidentLifecycleHooks {
  async function scheduleReview(tx: Database, incident: Incident, now: Date): Promise<void> {
    const dueAt = reviewDueAt(options.reviewDue, incident);
    const existing = await findReview(tx, incident.id);
    if (!dueAt && !existing) return;
    const review = await lockReview(tx, incident.id, now);
    if (review.status === 'submitted') {
      await setReviewDue(tx, review.id, null);
      return;
    }
    await setReviewDue(tx, review.id, dueAt);
    if (!dueAt) return;
    // One prompt per resolution (each has its own resolved_at), however often the severity moves after it.
    const resolution = incident.resolvedAt!.getTime();
    await enqueueReviewJobs(
      tx,
      (['channel', 'dm'] as const).map((target) => ({
        kind: REVIEW_JOBS.prompt,
        teamId: incident.teamId,
        incidentId: incident.id,
        dedupeKey: `review_prompt:${incident.id}:${resolution}:${target}`,
        payload: { target } satisfies ReviewPromptPayload,
      })),
      now,
    );
    // The commander's Home tab lists the review they now owe.
    await enqueueHomeRefresh(tx, incident.teamId, [incident.commanderId], now);
  }

  return {
    async statusChanged(tx, incident, previous, now) {
      if (incident.status === 'resolved') await scheduleReview(tx, incident, now);
      else if (previous === 'resolved' || previous === 'closed') {
        const review = await findReview(tx, incident.id);
        if (review?.dueAt) await setReviewDue(tx, review.id, null);
      }
    },

    /** A severity changed after resolution moves the due date (or drops the requirement). */
    async severityChanged(tx, incident, _previous, now) {
      if (incident.status === 'resolved') await scheduleReview(tx, incident, now);
    },

    async closeBlockers(tx, incident) {
      if (options.reviewDue[incident.severity] === null) return [];
      const review = await findReview(tx, incident.id);
      return review?.status === 'submitted' ? [] : [MISSING_REVIEW];
    },
  };
}
