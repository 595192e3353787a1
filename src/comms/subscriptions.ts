import type { Database } from '../db/client';
import { UserFacingError } from '../errors';
import type { Incident } from '../incidents/model';
import { addSubscriber, removeSubscriber } from './subscribersRepository';

/** The caller receives this incident's updates by DM. False when they already did. */
export async function subscribe(db: Database, incident: Incident, userId: string, now: Date): Promise<boolean> {
  if (incident.status === 'closed') throw new UserFacingError(`Incident #${incident.number} is closed; it sends no more updates.`);
  return addSubscriber(db, incident.id, userId, now);
}

/** False when the caller was not subscribed. */
export async function unsubscribe(db: Database, incident: Incident, userId: string): Promise<boolean> {
  return removeSubscriber(db, incident.id, userId);
}
