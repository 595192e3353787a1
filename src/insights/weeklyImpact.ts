import type { Database } from '../db/client';
import { impactMinutes, type Period } from './model';
import { incidentFacts, serviceNames } from './repository';

const WEEK_MS = 7 * 86_400_000;

export interface WeeklyImpact {
  /** The weeks, oldest first, the last ending at `end`. */
  weeks: Period[];
  /** Services with customer impact in any of the weeks, most minutes in all first; one number per week. */
  services: Array<{ serviceId: number; name: string; minutes: number[] }>;
  /** Private incidents whose impact fell in these weeks, left out. */
  privateLeftOut: number;
}

/**
 * Customer-impact minutes per service per week over the `count` weeks ending at `end`, by the same
 * definition as every other figure (model.impactMinutes): each incident's impact clipped to each week.
 */
export async function weeklyImpactByService(db: Database, teamId: string, end: Date, count: number): Promise<WeeklyImpact> {
  const weeks: Period[] = Array.from({ length: count }, (_, k) => ({
    start: new Date(end.getTime() - (count - k) * WEEK_MS),
    end: new Date(end.getTime() - (count - k - 1) * WEEK_MS),
  }));
  const incidents = await incidentFacts(db, { teamId, range: { start: weeks[0].start, end } });
  const perService = new Map<number, number[]>();
  let privateLeftOut = 0;
  for (const incident of incidents) {
    const minutes = weeks.map((w) => impactMinutes(incident, w, end));
    if (!minutes.some((m) => m > 0)) continue;
    if (incident.isPrivate) {
      privateLeftOut += 1;
      continue;
    }
    for (const serviceId of incident.serviceIds) {
      const row = perService.get(serviceId) ?? new Array<number>(count).fill(0);
      minutes.forEach((m, k) => (row[k] += m));
      perService.set(serviceId, row);
    }
  }
  const names = await serviceNames(db, teamId, [...perService.keys()]);
  const total = (m: number[]) => m.reduce((a, b) => a + b, 0);
  const services = [...perService.entries()]
    .map(([serviceId, minutes]) => ({ serviceId, name: names.get(serviceId) ?? `#${serviceId}`, minutes }))
    .sort((a, b) => total(b.minutes) - total(a.minutes) || a.name.localeCompare(b.name));
  return { weeks, services, privateLeftOut };
}
