import type { SeverityDurations } from '../../config';
import type { IncidentRef, InsightsReport, Period } from '../model';
import type { WeeklyImpact } from '../weeklyImpact';
import type { OverdueList } from './repository';

/** How many services the digest ranks by customer impact. */
export const TOP_SERVICES = 5;
/** How many overdue items it names; the rest are counted. */
export const OVERDUE_NAMED = 15;
/** Weeks shown on the chart. */
export const CHART_WEEKS = 8;
/** Services drawn on the chart; the rest are summed as one. */
const CHART_SERVICES = 8;

/** The standards Herald holds incidents to, as configured. */
export interface Standards {
  updateCadence: SeverityDurations;
  reviewDue: SeverityDurations;
}

export interface ServiceWeek {
  name: string;
  minutes: number;
  previousMinutes: number;
  incidents: number;
}

/** A standard and whether the week met it: met when nothing due under it was late or is overdue. */
export interface StandardResult {
  met: boolean;
}

/** Everything the weekly risk digest says, computed; how it reads is the Slack builder's business. */
export interface Digest {
  /** The seven days covered, ending where the period began. */
  week: Period;
  timeZone: string;
  /** Nothing happened and nothing is overdue: the digest is one line. */
  quiet: boolean;
  incidents: { now: number; before: number };
  impactMinutes: { now: number; before: number };
  topServices: ServiceWeek[];
  standards: Standards;
  cadence: StandardResult & { due: number; onTime: number; wentQuiet: IncidentRef[] };
  reviews: StandardResult & { completed: number; completedOnTime: number; overdue: number };
  followUps: StandardResult & { done: number; doneOnTime: number; overdue: number };
  changeCaused: { reviewed: number; caused: number };
  overdue: OverdueList;
  /** Private incidents declared this week, and private overdue items: left out, counted. */
  privateLeftOut: { incidents: number; overdue: number };
  /** Customer-impact minutes per service per week; null on a quiet week. */
  chart: { weeks: Date[]; series: Array<{ service: string; minutes: number[] }> } | null;
}

const round = (minutes: number) => Math.round(minutes);

/** The digest of one week, from the week's figures (against the week before), what is overdue and the weekly impact. */
export function buildDigest(input: { report: InsightsReport; overdue: OverdueList; weekly: WeeklyImpact; standards: Standards; timeZone: string }): Digest {
  const { current, previous } = input.report;
  const before = new Map(previous.impactByService.map((s) => [s.serviceId, s.impactMinutes]));
  const topServices = current.impactByService.slice(0, TOP_SERVICES).map((s) => ({
    name: s.name,
    minutes: round(s.impactMinutes),
    previousMinutes: round(before.get(s.serviceId) ?? 0),
    incidents: s.incidents,
  }));
  const reviews = current.reviews;
  const followUps = current.followUps;
  const quiet =
    current.incidents === 0 &&
    current.privateLeftOut === 0 &&
    current.impactMinutes === 0 &&
    reviews.overdue === 0 &&
    reviews.completed === 0 &&
    followUps.overdue === 0 &&
    followUps.done === 0 &&
    input.overdue.total === 0 &&
    input.overdue.privateLeftOut === 0;
  return {
    week: current.period,
    timeZone: input.timeZone,
    quiet,
    incidents: { now: current.incidents, before: previous.incidents },
    impactMinutes: { now: round(current.impactMinutes), before: round(previous.impactMinutes) },
    topServices,
    standards: input.standards,
    cadence: { met: current.cadence.onTime === current.cadence.due, due: current.cadence.due, onTime: current.cadence.onTime, wentQuiet: current.cadence.wentQuiet },
    reviews: {
      met: reviews.overdue === 0 && reviews.completedOnTime === reviews.completed,
      completed: reviews.completed,
      completedOnTime: reviews.completedOnTime,
      overdue: reviews.overdue,
    },
    followUps: {
      met: followUps.overdue === 0 && followUps.doneOnTime === followUps.done,
      done: followUps.done,
      doneOnTime: followUps.doneOnTime,
      overdue: followUps.overdue,
    },
    changeCaused: current.changeCaused,
    overdue: input.overdue,
    privateLeftOut: { incidents: current.privateLeftOut, overdue: input.overdue.privateLeftOut },
    chart: quiet ? null : chartSeries(input.weekly),
  };
}

function chartSeries(weekly: WeeklyImpact): NonNullable<Digest['chart']> {
  const shown = weekly.services.slice(0, CHART_SERVICES);
  const rest = weekly.services.slice(CHART_SERVICES);
  const series = shown.map((s) => ({ service: s.name, minutes: s.minutes.map(round) }));
  if (rest.length > 0) {
    series.push({ service: `${rest.length} other service${rest.length === 1 ? '' : 's'}`, minutes: weekly.weeks.map((_, k) => round(rest.reduce((n, s) => n + s.minutes[k], 0))) });
  }
  return { weeks: weekly.weeks.map((w) => w.start), series };
}
