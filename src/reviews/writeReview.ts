import type { Database } from '../db/client';
import { UserFacingError } from '../errors';
import type { Incident } from '../incidents/model';
import { linkedDeploymentsOf, markCausingDeployments } from '../incidents/linkedDeploymentsRepository';
import { getIncident, lockIncident, setImpactTimes } from '../incidents/repository';
import { addTimelineEvent, listTimeline, type TimelineEvent } from '../incidents/timelineRepository';
import { enqueueHomeRefresh } from '../home/refresh';
import { enqueueReviewJobs, REVIEW_JOBS, type ReviewJob, type RevisionPayload } from './jobs';
import { canWriteReview, EMPTY_CONTENT, formatElapsed, impactWindow, type Review, type ReviewContent } from './model';
import { findReview, insertRevision, lastSaveKey, lockReview, saveReviewContent } from './repository';

export interface ReviewForm {
  incident: Incident;
  review: Review | null;
  /** What the modal starts with: the saved review, or what Herald knows. */
  prefill: ReviewContent;
  timeline: TimelineEvent[];
}

/** What a published review must say; a draft may leave these empty. */
export const REQUIRED_TO_SUBMIT = ['summary', 'impact', 'contributingFactors'] as const;

export function missingForSubmission(content: ReviewContent): Array<(typeof REQUIRED_TO_SUBMIT)[number]> {
  return REQUIRED_TO_SUBMIT.filter((field) => content[field].trim() === '');
}

function assertMayWrite(incident: Incident, userId: string): void {
  if (!canWriteReview(incident, userId)) {
    throw new UserFacingError(
      `The review of incident #${incident.number} is written by the people who ran it: the commander (<@${incident.commanderId}>), the comms lead or the scribe. Ask <@${incident.commanderId}> to add you.`,
    );
  }
  if (incident.status !== 'resolved' && incident.status !== 'closed') {
    throw new UserFacingError(`Incident #${incident.number} is still ${incident.status}. The review starts once it is resolved (\`/incident resolve\`).`);
  }
}

/** Prefill from what Herald knows: the incident's summary, its services, and how long the impact lasted. */
export function prefillReview(incident: Incident, review: Review | null): ReviewContent {
  const window = impactWindow(incident);
  const computed = window ? formatElapsed(window.ms) : '';
  if (review && review.status !== 'pending') {
    const { summary, impact, impactDuration, contributingFactors, changeCaused, changeReference, wentWell, toImprove } = review;
    return { summary, impact, impactDuration: impactDuration || computed, contributingFactors, changeCaused, changeReference, wentWell, toImprove };
  }
  const services = incident.services.map((s) => s.name).join(', ');
  return {
    ...EMPTY_CONTENT,
    summary: incident.summary,
    impact: services ? `Affected services: ${services}.` : '',
    impactDuration: computed,
  };
}

/** Everything the review modal shows, after checking the person may write it. */
export async function loadReviewForm(db: Database, incidentId: number, userId: string): Promise<ReviewForm> {
  const incident = await getIncident(db, incidentId);
  if (!incident) throw new UserFacingError('That incident no longer exists.');
  assertMayWrite(incident, userId);
  const [review, timeline, deployments] = await Promise.all([findReview(db, incidentId), listTimeline(db, incidentId), linkedDeploymentsOf(db, incidentId)]);
  incident.deployments = deployments;
  return { incident, review, prefill: prefillReview(incident, review), timeline };
}

export interface SaveReviewInput {
  incidentId: number;
  actorId: string;
  content: ReviewContent;
  /** True publishes a new revision; false keeps a draft. */
  submit: boolean;
  /** Identifies this submission of the modal, so the same submission twice saves once. */
  saveKey: string;
  /** When customers were affected, as the reviewer says; null for either keeps Herald's own. */
  impact?: ImpactCorrection;
  /**
   * Which of the deployments linked to the incident caused it (the change failure rate counts them once
   * the review is submitted saying a change caused it). Absent leaves the earlier answer as it was.
   */
  causeDeploymentIds?: number[];
}

export interface ImpactCorrection {
  startedAt: Date | null;
  endedAt: Date | null;
}

const sameSecond = (a: Date, b: Date | null) => b !== null && Math.floor(a.getTime() / 1000) === Math.floor(b.getTime() / 1000);

/**
 * Records corrected impact times. A time equal (to the second, as Slack's picker gives it) to what
 * Herald infers — the declaration, the first mitigation — stays inferred rather than copied.
 */
async function correctImpact(tx: Database, incident: Incident, impact: ImpactCorrection): Promise<void> {
  const startedAt = impact.startedAt === null || sameSecond(impact.startedAt, incident.declaredAt) ? null : impact.startedAt;
  const endedAt = impact.endedAt === null || sameSecond(impact.endedAt, incident.mitigatedAt ?? incident.resolvedAt) ? null : impact.endedAt;
  const unchanged = (a: Date | null, b: Date | null | undefined) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
  if (unchanged(startedAt, incident.impactStartedAt) && unchanged(endedAt, incident.impactEndedAt)) return;
  await setImpactTimes(tx, incident.id, { startedAt, endedAt });
}

export interface SaveReviewOutcome {
  incident: Incident;
  /** The revision published by this save, when it submitted. */
  revision: number | null;
  duplicate: boolean;
}

/**
 * Saves the review. Submitting records a revision and queues its publication (and the summary in the
 * announcement thread) in the same transaction, so a published review is never lost or posted twice.
 * Saving a draft of an already submitted review keeps the published version until the next submission.
 */
export async function saveReview(db: Database, input: SaveReviewInput, now: Date): Promise<SaveReviewOutcome> {
  return db.transaction().execute(async (tx) => {
    const incident = await lockIncident(tx, input.incidentId);
    if (!incident) throw new UserFacingError('That incident no longer exists.');
    assertMayWrite(incident, input.actorId);
    const review = await lockReview(tx, incident.id, now);
    if ((await lastSaveKey(tx, review.id)) === input.saveKey) return { incident, revision: null, duplicate: true };
    if (input.impact) await correctImpact(tx, incident, input.impact);
    if (input.causeDeploymentIds) await markCausingDeployments(tx, incident.id, input.causeDeploymentIds);
    if (!input.submit) {
      await saveReviewContent(tx, review.id, {
        content: input.content,
        status: review.status === 'submitted' ? 'submitted' : 'draft',
        actorId: input.actorId,
        now,
        saveKey: input.saveKey,
      });
      return { incident, revision: null, duplicate: false };
    }
    const revision = review.revision + 1;
    await saveReviewContent(tx, review.id, { content: input.content, status: 'submitted', actorId: input.actorId, now, saveKey: input.saveKey, submittedRevision: revision });
    await insertRevision(tx, { reviewId: review.id, revision, content: input.content, submittedBy: input.actorId, submittedAt: now });
    await addTimelineEvent(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'review',
      actorId: input.actorId,
      text: revision === 1 ? 'Post-incident review submitted' : `Post-incident review revised (revision ${revision})`,
      data: { revision },
    });
    const payload: RevisionPayload = { reviewId: review.id, revision };
    const jobs: ReviewJob[] = [
      { kind: REVIEW_JOBS.publish, teamId: incident.teamId, incidentId: incident.id, dedupeKey: `review_publish:${review.id}:${revision}`, payload },
    ];
    if (!incident.isPrivate && incident.announcementChannelId && incident.announcementTs) {
      jobs.push({ kind: REVIEW_JOBS.summary, teamId: incident.teamId, incidentId: incident.id, dedupeKey: `review_summary:${review.id}:${revision}`, payload });
    }
    await enqueueReviewJobs(tx, jobs, now);
    // The first submission settles what the commander owed: their Home tab stops listing it.
    if (review.status !== 'submitted') await enqueueHomeRefresh(tx, incident.teamId, [incident.commanderId], now);
    return { incident, revision, duplicate: false };
  });
}
