import type { Database } from '../db/client';
import { listOpenFollowUpsOwnedBy } from '../reviews/followUpRepository';
import { todayFor } from '../reviews/timeZones';
import { DEFAULT_HOME_WINDOW, parseHomeWindow, type HomeIncident, type HomeWindow, type HomeWork } from './model';
import { countOpenFollowUpsOwnedBy, findHomeWindow, listOpenIncidentsForHome, listReviewsOwedBy, listRolesHeld, saveHomeWindow } from './repository';

/** Enough open incidents for any real day; who may see which is decided after, by channel membership. */
const OPEN_INCIDENTS_READ = 200;

export interface WorkLimits {
  roles: number;
  reviews: number;
  followUps: number;
}

/** Every open incident of the workspace, newest first, private ones included: the caller filters by who looks. */
export function loadOpenIncidents(db: Database, teamId: string): Promise<HomeIncident[]> {
  return listOpenIncidentsForHome(db, teamId, OPEN_INCIDENTS_READ);
}

/**
 * What a person holds, owes and owns, each list cut to `limits` (with its full count), follow-ups
 * earliest due first so the overdue ones lead; and today's date where they are, to tell overdue.
 */
export async function loadMyWork(db: Database, teamId: string, userId: string, limits: WorkLimits, now: Date): Promise<HomeWork & { today: string }> {
  const [roles, reviews, followUps, followUpCount, today] = await Promise.all([
    listRolesHeld(db, teamId, userId, limits.roles),
    listReviewsOwedBy(db, teamId, userId, limits.reviews),
    listOpenFollowUpsOwnedBy(db, teamId, userId, limits.followUps),
    countOpenFollowUpsOwnedBy(db, teamId, userId),
    todayFor(db, userId, now),
  ]);
  return { roles, reviews, followUps: { items: followUps, total: Math.max(followUpCount, followUps.length) }, today };
}

/** Remembers the service-health window a person chose, for the tabs pushed to them later. */
export function chooseHomeWindow(db: Database, teamId: string, userId: string, window: HomeWindow, now: Date): Promise<void> {
  return saveHomeWindow(db, teamId, userId, window, now);
}

/** The window a person last chose, or the default. */
export async function chosenHomeWindow(db: Database, teamId: string, userId: string): Promise<HomeWindow> {
  return parseHomeWindow(await findHomeWindow(db, teamId, userId)) ?? DEFAULT_HOME_WINDOW;
}
