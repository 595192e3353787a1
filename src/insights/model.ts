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

/** A ratio for display, or null when there is nothing to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
