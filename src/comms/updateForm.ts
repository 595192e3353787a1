import type { Database } from '../db/client';
import { UserFacingError } from '../errors';
import type { Incident } from '../incidents/model';
import { getIncident } from '../incidents/repository';
import { incidentAudience, type IncidentAudience } from './stakeholdersRepository';
import { latestStatusUpdate, type StatusUpdate } from './statusUpdateRepository';
import { listSubscribers } from './subscribersRepository';

export interface UpdateForm {
  incident: Incident;
  previous: StatusUpdate | null;
  audience: IncidentAudience;
  subscribers: string[];
}

/** What the status update form starts from: the open incident, its last update and who will receive the next. */
export async function loadUpdateForm(db: Database, incidentOrId: Incident | number): Promise<UpdateForm> {
  const incident = typeof incidentOrId === 'number' ? await getIncident(db, incidentOrId) : incidentOrId;
  if (!incident) throw new UserFacingError('That incident no longer exists.');
  if (incident.status === 'closed') throw new UserFacingError(`Incident #${incident.number} is closed; it takes no more updates.`);
  const [previous, audience, subscribers] = await Promise.all([latestStatusUpdate(db, incident.id), incidentAudience(db, incident.id), listSubscribers(db, incident.id)]);
  return { incident, previous, audience, subscribers };
}
