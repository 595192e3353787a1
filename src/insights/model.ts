import type { ChangeFailureFigures } from './changeFailureRepository';

/**
 * What Herald measures: the shapes of the figures and the windows they cover. Each figure is defined
 * once, in the SQL of figuresRepository.ts (aggregated where the rows are, so a report over years of
 * history stays fast); the Home tab, `/incident insights` and the digest all read it through
 * buildInsightsReport, so they cannot disagree. The README's "How Herald measures" says it in words.
 */

export const WINDOWS = ['7d', '30d', '90d'] as const;
export type WindowName = (typeof WINDOWS)[number];
export const DEFAULT_WINDOW: WindowName = '30d';

const DAY_MS = 86_400_000;
const WINDOW_DAYS: Record<WindowName, number> = { '7d': 7, '30d': 30, '90d': 90 };

export function isWindowName(text: string): text is WindowName {
  return (WINDOWS as readonly string[]).includes(text);
}

/** A half-open interval of time, [start, end). */
export interface Period {
  start: Date;
  end: Date;
}

/** The window ending at `now`, and the one of the same length just before it. */
export function windowPeriods(window: WindowName, now: Date): { current: Period; previous: Period } {
  const length = WINDOW_DAYS[window] * DAY_MS;
  const start = new Date(now.getTime() - length);
  return { current: { start, end: now }, previous: { start: new Date(start.getTime() - length), end: start } };
}

/** An incident as a report may name it: never a private one. */
export interface IncidentRef {
  id: number;
  number: number;
  title: string;
  channelId: string | null;
}

/** One incident's impact and milestones, for per-incident views such as the digest's weekly chart. */
export interface IncidentFacts extends IncidentRef {
  isPrivate: boolean;
  severity: string;
  declaredAt: Date;
  /** Effective impact start: the edited one, or the declaration. */
  impactStartedAt: Date;
  /** Effective impact end: the edited one, or the first mitigation; null while customers are still affected. */
  impactEndedAt: Date | null;
  resolvedAt: Date | null;
  /** The first status update that went to at least one destination. */
  firstUpdateAt: Date | null;
  /** Cadence counters: due times answered or missed so far, and how many of them on time. */
  updatesDue: number;
  updatesOnTime: number;
  /** The due time still open, if any: counted as due (and missed) once it has passed. */
  nextDueAt: Date | null;
  /** An update went overdue at least once (Herald escalated to the commander). */
  wentQuiet: boolean;
  reviewSubmitted: boolean;
  changeCaused: 'yes' | 'no' | 'unknown' | null;
  serviceIds: number[];
}

export interface Distribution {
  /** How many incidents had a value. */
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

export interface ServiceImpact {
  serviceId: number;
  name: string;
  impactMinutes: number;
  incidents: number;
}

export interface IncidentCadence extends IncidentRef {
  due: number;
  onTime: number;
}

export interface OwnerFollowUps {
  ownerId: string;
  open: number;
  overdue: number;
  done: number;
  doneOnTime: number;
}

export interface InsightsFigures {
  period: Period;
  /** Shared (non-private) incidents declared in the period. */
  incidents: number;
  /** Private incidents declared in the period, left out of every figure. */
  privateLeftOut: number;
  /** Services by customer-impact minutes in the period, most first (only services with impact). */
  impactByService: ServiceImpact[];
  /** Customer-impact minutes of all shared incidents in the period (each incident once). */
  impactMinutes: number;
  timeToFirstUpdate: Distribution;
  timeToMitigate: Distribution;
  timeToResolve: Distribution;
  cadence: {
    due: number;
    onTime: number;
    /** Incidents declared in the period with an update late or missed, worst adherence first. */
    byIncident: IncidentCadence[];
    /** Incidents declared in the period whose update went overdue. */
    wentQuiet: IncidentRef[];
  };
  reviews: { owed: number; overdue: number; completed: number; completedOnTime: number };
  followUps: { open: number; overdue: number; done: number; doneOnTime: number; byOwner: OwnerFollowUps[] };
  /** Reviewed incidents (declared in the period, review submitted) that a change caused. */
  changeCaused: { reviewed: number; caused: number };
  /** DORA's change failure rate: production deployments in the period, and those that led to an incident (see changeFailureRepository.ts). */
  changeFailure?: ChangeFailureFigures;
}

export interface InsightsReport {
  window: WindowName;
  service: { id: number; name: string } | null;
  current: InsightsFigures;
  previous: InsightsFigures;
}

/** Milliseconds of [start, end) inside the period; an open end runs to `asOf`. */
export function overlapMs(start: Date, end: Date | null, period: Period, asOf: Date): number {
  const from = Math.max(start.getTime(), period.start.getTime());
  const to = Math.min((end ?? asOf).getTime(), period.end.getTime(), asOf.getTime());
  return Math.max(0, to - from);
}

/** Customer-impact minutes of one incident inside the period (whole minutes are not forced: 90s is 1.5). */
export function impactMinutes(incident: Pick<IncidentFacts, 'impactStartedAt' | 'impactEndedAt'>, period: Period, asOf: Date): number {
  return overlapMs(incident.impactStartedAt, incident.impactEndedAt, period, asOf) / 60_000;
}

/** A ratio for display, or null when there is nothing to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
