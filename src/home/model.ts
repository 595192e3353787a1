import type { IncidentListing, Role } from '../incidents/model';
import { isWindowName, type WindowName } from '../insights/model';
import type { FollowUpWithIncident } from '../reviews/model';

/** An open incident as the Home tab lists it: the listing, its age, and whether an update is overdue. */
export interface HomeIncident extends IncidentListing {
  declaredAt: Date;
  /** When the next stakeholder update is due; null when none is (SEV4, or not scheduled yet). */
  nextUpdateDueAt: Date | null;
}

export interface RoleHeld {
  incidentId: number;
  number: number;
  title: string;
  isDrill?: boolean;
  channelId: string | null;
  roles: Role[];
}

export interface OwedReview {
  incidentId: number;
  number: number;
  title: string;
  isDrill?: boolean;
  channelId: string | null;
  dueAt: Date;
  /** Started and saved as a draft. */
  draft: boolean;
}

/** A list cut to what the tab shows, with how many there are in all. */
export interface Listed<T> {
  items: T[];
  total: number;
}

/** A person's own work: what they hold, owe and own. Private incidents they are in are included. */
export interface HomeWork {
  roles: Listed<RoleHeld>;
  reviews: Listed<OwedReview>;
  followUps: Listed<FollowUpWithIncident>;
}

/** The windows service health can be shown over: those the insights module measures. */
export { WINDOWS as HOME_WINDOWS, DEFAULT_WINDOW as DEFAULT_HOME_WINDOW, type WindowName as HomeWindow } from '../insights/model';

export function parseHomeWindow(value: unknown): WindowName | null {
  return typeof value === 'string' && isWindowName(value) ? value : null;
}

/** An incident's update is overdue once its due time has passed without one. */
export function isUpdateOverdue(incident: Pick<HomeIncident, 'nextUpdateDueAt'>, now: Date): boolean {
  return incident.nextUpdateDueAt !== null && incident.nextUpdateDueAt.getTime() < now.getTime();
}
