import type { Database } from '../db/client';
import type { ServiceRef } from '../incidents/model';
import { serviceNameKey } from '../comms/servicesRepository';
import { computeFigures, windowPeriods, type InsightsReport, type Period, type WindowName } from './model';
import { findServiceByKey, followUpFacts, incidentFacts, reviewFacts, serviceNames } from './repository';

export interface InsightsQuery {
  teamId: string;
  window: WindowName;
  /** Only this service's incidents. */
  serviceId?: number;
}

/**
 * The figures for the window ending at `now` and for the window before it, from one read of the
 * history both cover. Private incidents are left out of every figure and counted.
 */
export async function buildInsightsReport(db: Database, query: InsightsQuery, now: Date): Promise<InsightsReport> {
  const { current, previous } = windowPeriods(query.window, now);
  const scope = { teamId: query.teamId, range: { start: previous.start, end: current.end }, serviceId: query.serviceId };
  const [incidents, reviews, followUps] = await Promise.all([incidentFacts(db, scope), reviewFacts(db, scope), followUpFacts(db, scope)]);
  const ids = [...new Set(incidents.flatMap((i) => i.serviceIds))];
  const names = await serviceNames(db, query.teamId, query.serviceId === undefined ? ids : [...new Set([...ids, query.serviceId])]);
  const input = { asOf: now, incidents, reviews, followUps, serviceNames: names };
  // For one service, the ranking is that service alone: its incidents' other services are not its story.
  const figures = (period: Period) => {
    const f = computeFigures({ ...input, period });
    return query.serviceId === undefined ? f : { ...f, impactByService: f.impactByService.filter((s) => s.serviceId === query.serviceId) };
  };
  return {
    window: query.window,
    service: query.serviceId === undefined ? null : { id: query.serviceId, name: names.get(query.serviceId) ?? `#${query.serviceId}` },
    current: figures(current),
    previous: figures(previous),
  };
}

/** The service a person named (case and spacing ignored), or null when the workspace has none by that name. */
export async function findService(db: Database, teamId: string, name: string): Promise<ServiceRef | null> {
  return findServiceByKey(db, teamId, serviceNameKey(name));
}
