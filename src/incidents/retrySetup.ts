import type { Database } from '../db/client';
import { UserFacingError } from '../errors';
import { retryGivenUpJobs } from '../outbox/repository';
import type { Incident } from './model';
import { getIncident } from './repository';

/**
 * "Try again" on the notice that setup gave up: the declarer or the commander queues the incident's
 * jobs that gave up to run again now, each with a fresh retry window.
 */
export async function retryIncidentSetup(db: Database, input: { incidentId: number; actorId: string }, now: Date): Promise<{ incident: Incident; requeued: number }> {
  const incident = await getIncident(db, input.incidentId);
  if (!incident) throw new UserFacingError('That incident no longer exists.');
  if (input.actorId !== incident.declaredBy && input.actorId !== incident.commanderId) {
    throw new UserFacingError(`Only the declarer or the commander of incident #${incident.number} can retry its setup.`);
  }
  return { incident, requeued: await retryGivenUpJobs(db, incident.id, now) };
}
