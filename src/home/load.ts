import type { Database } from '../db/client';
import type { InsightsReport } from '../insights/model';
import { buildInsightsReport } from '../insights/report';
import type { HomeIncident, HomeWindow, HomeWork } from './model';
import { chosenHomeWindow, loadMyWork, loadOpenIncidents, type WorkLimits } from './query';

export interface HomeRequest {
  teamId: string;
  userId: string;
  /** The service-health window; by default the one this person last chose. */
  window?: HomeWindow;
}

/** Everything a person's Home tab shows, read side by side: who may see which open incident is decided after. */
export interface HomeData {
  window: HomeWindow;
  open: HomeIncident[];
  work: HomeWork & { today: string };
  health: InsightsReport;
}

export async function loadHome(db: Database, request: HomeRequest, limits: WorkLimits, now: Date): Promise<HomeData> {
  // A tab pushed by the outbox (or opened for the first time) uses the window the person last chose.
  const window = request.window ?? (await chosenHomeWindow(db, request.teamId, request.userId));
  const [open, work, health] = await Promise.all([
    loadOpenIncidents(db, request.teamId),
    loadMyWork(db, request.teamId, request.userId, limits, now),
    buildInsightsReport(db, { teamId: request.teamId, window }, now),
  ]);
  return { window, open, work, health };
}
