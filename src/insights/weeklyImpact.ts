import type { Database } from '../db/client';
import { incidentFigures, type MeasuredPeriod } from './figuresRepository';
import type { Period } from './model';

const WEEK_MS = 7 * 86_400_000;

export interface WeeklyImpact {
  /** The weeks, oldest first, the last ending at `end`. */
  weeks: Period[];
  /** Services with customer impact in any of the weeks, most minutes in all first; one number per week. */
  services: Array<{ serviceId: number; name: string; minutes: number[] }>;
}

/**
 * Customer-impact minutes per service per week over the `count` weeks ending at `end`: each week's
 * `impactByService` from figuresRepository, the one definition every report uses (each incident's
 * impact clipped to the week; private incidents left out).
 */
export async function weeklyImpactByService(db: Database, teamId: string, end: Date, count: number): Promise<WeeklyImpact> {
  const weeks: MeasuredPeriod[] = Array.from({ length: count }, (_, k) => {
    const weekEnd = new Date(end.getTime() - (count - k - 1) * WEEK_MS);
    return { start: new Date(weekEnd.getTime() - WEEK_MS), end: weekEnd, at: weekEnd };
  });
  const figures = await incidentFigures(db, { teamId, range: { start: weeks[0].start, end } }, weeks);
  const perService = new Map<number, { serviceId: number; name: string; minutes: number[] }>();
  figures.forEach((week, k) => {
    for (const s of week.impactByService) {
      const row = perService.get(s.serviceId) ?? { serviceId: s.serviceId, name: s.name, minutes: new Array<number>(count).fill(0) };
      row.minutes[k] = s.impactMinutes;
      perService.set(s.serviceId, row);
    }
  });
  const total = (m: number[]) => m.reduce((a, b) => a + b, 0);
  const services = [...perService.values()].sort((a, b) => total(b.minutes) - total(a.minutes) || a.name.localeCompare(b.name));
  return { weeks: weeks.map(({ start, end: weekEnd }) => ({ start, end: weekEnd })), services };
}
