import type { Incident } from '../incidents/model';

export const CHANGE_CAUSED = ['yes', 'no', 'unknown'] as const;
export type ChangeCaused = (typeof CHANGE_CAUSED)[number];

export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export type ReviewStatus = 'pending' | 'draft' | 'submitted';

/** What the person writes in the review modal. */
export interface ReviewContent {
  summary: string;
  impact: string;
  impactDuration: string;
  contributingFactors: string;
  changeCaused: ChangeCaused;
  changeReference: string;
  wentWell: string;
  toImprove: string;
}

export interface Review extends ReviewContent {
  id: number;
  incidentId: number;
  status: ReviewStatus;
  /** Null while no review is owed. */
  dueAt: Date | null;
  revision: number;
  updatedBy: string | null;
  updatedAt: Date | null;
  submittedBy: string | null;
  submittedAt: Date | null;
}

/** One published version of a review. */
export interface ReviewRevision {
  reviewId: number;
  revision: number;
  content: ReviewContent;
  submittedBy: string;
  submittedAt: Date;
  publishedTs: string[];
}

export interface FollowUp {
  id: number;
  teamId: string;
  incidentId: number;
  title: string;
  ownerId: string;
  /** A calendar date, YYYY-MM-DD. */
  dueOn: string;
  priority: Priority;
  status: 'open' | 'done';
  createdBy: string;
  createdAt: Date;
  doneBy: string | null;
  doneAt: Date | null;
}

/** A follow-up with what a list needs to say about its incident. */
export interface FollowUpWithIncident extends FollowUp {
  incidentNumber: number;
  incidentTitle: string;
  incidentChannelId: string | null;
  commanderId: string;
}

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** Who may write the review: the people who ran the incident. */
export function canWriteReview(incident: Pick<Incident, 'commanderId' | 'commsId' | 'scribeId'>, userId: string): boolean {
  return [incident.commanderId, incident.commsId, incident.scribeId].includes(userId);
}

/** Who may mark a follow-up done: its owner, or the commander of its incident. */
export function canCompleteFollowUp(followUp: Pick<FollowUp, 'ownerId'>, commanderId: string, userId: string): boolean {
  return followUp.ownerId === userId || commanderId === userId;
}

/**
 * How long customers were affected: from impact started (as entered, or the declaration) to impact
 * ended (as entered, or the first mitigation — or resolution when it was never marked mitigated).
 * Null while customers are still affected. Insights read the same two columns the same way.
 */
export function impactWindow(
  incident: Pick<Incident, 'declaredAt' | 'mitigatedAt' | 'resolvedAt' | 'impactStartedAt' | 'impactEndedAt'>,
): { start: Date; end: Date; ms: number } | null {
  const start = incident.impactStartedAt ?? incident.declaredAt;
  const end = incident.impactEndedAt ?? incident.mitigatedAt ?? incident.resolvedAt;
  if (!end) return null;
  return { start, end, ms: Math.max(0, end.getTime() - start.getTime()) };
}

/** "2d 3h", "1h 25m", "45m", "30s": at most the two largest units, for people rather than machines. */
export function formatElapsed(ms: number): string {
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total}s`;
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const parts = [days > 0 ? `${days}d` : '', hours > 0 ? `${hours}h` : '', minutes > 0 ? `${minutes}m` : ''].filter(Boolean);
  return parts.slice(0, 2).join(' ');
}

/**
 * The reminder period `now` falls in, for something first due at `firstAt` and repeated every `everyMs`:
 * the start of that period, or null when it is not due yet. One reminder per period start, whenever
 * the scheduler gets to it — a replica down for three days sends one reminder, not three.
 */
export function currentPeriod(firstAt: Date, everyMs: number, now: Date): Date | null {
  const elapsed = now.getTime() - firstAt.getTime();
  if (elapsed < 0) return null;
  return new Date(firstAt.getTime() + Math.floor(elapsed / everyMs) * everyMs);
}

export const EMPTY_CONTENT: ReviewContent = {
  summary: '',
  impact: '',
  impactDuration: '',
  contributingFactors: '',
  changeCaused: 'unknown',
  changeReference: '',
  wentWell: '',
  toImprove: '',
};
