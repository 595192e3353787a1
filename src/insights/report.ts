import type { Database } from '../db/client';
import { UserFacingError } from '../errors';
import { serviceNameKey } from '../comms/servicesRepository';
import { computeFigures, windowPeriods, type InsightsReport, type WindowName } from './model';
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
  return {
    window: query.window,
    service: query.serviceId === undefined ? null : { id: query.serviceId, name: names.get(query.serviceId) ?? `#${query.serviceId}` },
    current: computeFigures({ ...input, period: current }),
    previous: computeFigures({ ...input, period: previous }),
  };
}

/** The service a person named, or a plain refusal saying it is unknown. */
export async function resolveServiceName(db: Database, teamId: string, name: string): Promise<{ id: number; name: string }> {
  const service = await findServiceByKey(db, teamId, serviceNameKey(name));
  if (!service) throw new UserFacingError(`There is no service called “${name.trim()}”.`);
  return service;
}
