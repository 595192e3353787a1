/**
 * What Herald measures, one definition each. Everything here is pure: the repository reads the rows,
 * these functions turn them into figures, so the Home tab, `/incident insights` and the digest can
 * never disagree about what a figure means. The README's "How Herald measures" section says the same
 * in words.
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

/** What the figures need to know about one incident (read by the repository). */
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

export interface ReviewFacts {
  incidentId: number;
  isPrivate: boolean;
  dueAt: Date | null;
  createdAt: Date;
  submittedAt: Date | null;
}

export interface FollowUpFacts {
  incidentId: number;
  isPrivate: boolean;
  ownerId: string;
  /** YYYY-MM-DD */
  dueOn: string;
  createdAt: Date;
  doneAt: Date | null;
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
    /** Incidents declared in the period with at least one update due, worst adherence first. */
    byIncident: IncidentCadence[];
    /** Incidents declared in the period whose update went overdue. */
    wentQuiet: IncidentRef[];
  };
  reviews: { owed: number; overdue: number; completed: number; completedOnTime: number };
  followUps: { open: number; overdue: number; done: number; doneOnTime: number; byOwner: OwnerFollowUps[] };
  /** Reviewed incidents (declared in the period, review submitted) that a change caused. */
  changeCaused: { reviewed: number; caused: number };
}

export interface InsightsReport {
  window: WindowName;
  service: { id: number; name: string } | null;
  current: InsightsFigures;
  previous: InsightsFigures;
}

/**
 * The q-quantile (0..1) of values, interpolated between the two nearest ranks, as PostgreSQL's
 * percentile_cont does: the median of 10, 20, 30, 40 is 25; their p90 is 37.
 */
export function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export function distribution(values: number[]): Distribution {
  return { count: values.length, medianMs: quantile(values, 0.5), p90Ms: quantile(values, 0.9) };
}

const within = (at: Date | null, p: Period): boolean => at !== null && at.getTime() >= p.start.getTime() && at.getTime() < p.end.getTime();

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

/** Due updates of an incident as of `asOf`: the counted ones, plus the open due time once it has passed. */
export function cadenceOf(incident: Pick<IncidentFacts, 'updatesDue' | 'updatesOnTime' | 'nextDueAt'>, asOf: Date): { due: number; onTime: number } {
  const missedNow = incident.nextDueAt !== null && incident.nextDueAt.getTime() < asOf.getTime() ? 1 : 0;
  return { due: incident.updatesDue + missedNow, onTime: incident.updatesOnTime };
}

const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

const ref = (i: IncidentRef): IncidentRef => ({ id: i.id, number: i.number, title: i.title, channelId: i.channelId });

export interface FigureInput {
  period: Period;
  /** The moment the report is made: open things are measured up to it. */
  asOf: Date;
  incidents: IncidentFacts[];
  reviews: ReviewFacts[];
  followUps: FollowUpFacts[];
  serviceNames: Map<number, string>;
}

/**
 * Every figure for one period. Incidents count in the period they were declared in, except for
 * customer impact, which counts wherever it falls (clipped to the period). Reviews and follow-ups that
 * are owed / open / overdue are counted as they stood at the end of the period; completed / done ones
 * in the period they were completed in. Private incidents, their reviews and follow-ups are left out.
 */
export function computeFigures(input: FigureInput): InsightsFigures {
  const { period } = input;
  const at = new Date(Math.min(period.end.getTime(), input.asOf.getTime()));
  const shared = input.incidents.filter((i) => !i.isPrivate);
  const declared = shared.filter((i) => within(i.declaredAt, period));
  const privateLeftOut = input.incidents.filter((i) => i.isPrivate && within(i.declaredAt, period)).length;

  const byService = new Map<number, ServiceImpact>();
  let totalImpact = 0;
  for (const incident of shared) {
    const minutes = impactMinutes(incident, period, input.asOf);
    if (minutes <= 0) continue;
    totalImpact += minutes;
    for (const serviceId of incident.serviceIds) {
      const entry = byService.get(serviceId) ?? { serviceId, name: input.serviceNames.get(serviceId) ?? `#${serviceId}`, impactMinutes: 0, incidents: 0 };
      entry.impactMinutes += minutes;
      entry.incidents += 1;
      byService.set(serviceId, entry);
    }
  }
  const impactByService = [...byService.values()].sort((a, b) => b.impactMinutes - a.impactMinutes || a.name.localeCompare(b.name));

  const since = (i: IncidentFacts, to: Date | null) => (to === null ? null : Math.max(0, to.getTime() - i.declaredAt.getTime()));
  const values = (pick: (i: IncidentFacts) => Date | null) =>
    declared.map((i) => since(i, pick(i))).filter((v): v is number => v !== null);

  const byIncident: IncidentCadence[] = [];
  let due = 0;
  let onTime = 0;
  for (const incident of declared) {
    const c = cadenceOf(incident, at);
    due += c.due;
    onTime += c.onTime;
    if (c.due > 0) byIncident.push({ ...ref(incident), ...c });
  }
  byIncident.sort((a, b) => a.onTime / a.due - b.onTime / b.due || b.due - a.due || a.number - b.number);

  const reviews = input.reviews.filter((r) => !r.isPrivate);
  const owed = reviews.filter((r) => r.dueAt !== null && r.createdAt.getTime() < at.getTime() && (r.submittedAt === null || r.submittedAt.getTime() >= at.getTime()));
  const completed = reviews.filter((r) => within(r.submittedAt, period));

  const followUps = input.followUps.filter((f) => !f.isPrivate);
  const today = utcDay(at);
  const owners = new Map<string, OwnerFollowUps>();
  const owner = (id: string) => {
    const entry = owners.get(id) ?? { ownerId: id, open: 0, overdue: 0, done: 0, doneOnTime: 0 };
    owners.set(id, entry);
    return entry;
  };
  for (const f of followUps) {
    const openThen = f.createdAt.getTime() < at.getTime() && (f.doneAt === null || f.doneAt.getTime() >= at.getTime());
    if (openThen) {
      owner(f.ownerId).open += 1;
      if (f.dueOn < today) owner(f.ownerId).overdue += 1;
    }
    if (within(f.doneAt, period)) {
      owner(f.ownerId).done += 1;
      if (utcDay(f.doneAt!) <= f.dueOn) owner(f.ownerId).doneOnTime += 1;
    }
  }
  const byOwner = [...owners.values()].sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.ownerId.localeCompare(b.ownerId));
  const sum = (key: keyof Omit<OwnerFollowUps, 'ownerId'>) => byOwner.reduce((n, o) => n + o[key], 0);

  const reviewed = declared.filter((i) => i.reviewSubmitted);
  return {
    period,
    incidents: declared.length,
    privateLeftOut,
    impactByService,
    impactMinutes: totalImpact,
    timeToFirstUpdate: distribution(values((i) => i.firstUpdateAt)),
    timeToMitigate: distribution(values((i) => i.impactEndedAt)),
    timeToResolve: distribution(values((i) => i.resolvedAt)),
    cadence: { due, onTime, byIncident, wentQuiet: declared.filter((i) => i.wentQuiet).map(ref) },
    reviews: {
      owed: owed.length,
      overdue: owed.filter((r) => r.dueAt!.getTime() < at.getTime()).length,
      completed: completed.length,
      completedOnTime: completed.filter((r) => r.dueAt === null || r.submittedAt!.getTime() <= r.dueAt.getTime()).length,
    },
    followUps: { open: sum('open'), overdue: sum('overdue'), done: sum('done'), doneOnTime: sum('doneOnTime'), byOwner },
    changeCaused: { reviewed: reviewed.length, caused: reviewed.filter((i) => i.changeCaused === 'yes').length },
  };
}

/** A ratio for display, or null when there is nothing to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
