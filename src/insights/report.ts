import type { Database } from '../db/client';
import { findServiceByName } from '../incidents/servicesRepository';
import type { ServiceRef } from '../incidents/model';
import { changeFailureFigures } from './changeFailureRepository';
import { followUpFigures, incidentFigures, reviewFigures, type MeasuredPeriod } from './figuresRepository';
import { windowPeriods, type InsightsFigures, type InsightsReport, type WindowName } from './model';
import { serviceNames } from './repository';

export interface InsightsQuery {
  teamId: string;
  window: WindowName;
  /** Only this service's incidents (and their reviews and follow-ups). */
  serviceId?: number;
}

/**
 * The figures for the window ending at `now` and for the window before it, each aggregated in the
 * database in one pass over the history both cover. Private incidents are left out of every figure
 * and counted.
 */
export async function buildInsightsReport(db: Database, query: InsightsQuery, now: Date): Promise<InsightsReport> {
  const { current, previous } = windowPeriods(query.window, now);
  const periods: MeasuredPeriod[] = [current, previous].map((p) => ({ ...p, at: new Date(Math.min(p.end.getTime(), now.getTime())) }));
  const scope = { teamId: query.teamId, range: { start: previous.start, end: current.end }, serviceId: query.serviceId };
  const [incidents, reviews, followUps, service, changeFailure] = await Promise.all([
    incidentFigures(db, scope, periods),
    reviewFigures(db, scope, periods),
    followUpFigures(db, scope, periods),
    query.serviceId === undefined ? null : serviceNames(db, query.teamId, [query.serviceId]),
    changeFailureFigures(db, scope, periods),
  ]);
  const figures = (k: number): InsightsFigures => {
    const owners = followUps[k];
    const sum = (key: 'open' | 'overdue' | 'done' | 'doneOnTime') => owners.reduce((n, o) => n + o[key], 0);
    return {
      period: { start: periods[k].start, end: periods[k].end },
      ...incidents[k],
      reviews: reviews[k],
      followUps: { open: sum('open'), overdue: sum('overdue'), done: sum('done'), doneOnTime: sum('doneOnTime'), byOwner: owners },
      changeFailure: changeFailure[k],
    };
  };
  return {
    window: query.window,
    service: query.serviceId === undefined ? null : { id: query.serviceId, name: service?.get(query.serviceId) ?? `#${query.serviceId}` },
    current: figures(0),
    previous: figures(1),
  };
}

/** The service a person named (case and spacing ignored), or null when the workspace has none by that name. */
export async function findService(db: Database, teamId: string, name: string): Promise<ServiceRef | null> {
  return findServiceByName(db, teamId, name);
}
