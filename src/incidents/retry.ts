import type { Database } from '../db/client';
import { PERSISTENT_MAX_AGE_MS, type RetryPolicy } from '../outbox/registry';
import { getIncident } from './repository';

/**
 * For what must reach people about an incident (its setup, its updates, prompts for them): keep trying,
 * backing off to a few minutes between tries, for up to a day and as long as the incident is not closed.
 */
export function untilIncidentCloses(db: Database, incidentId: number | null): RetryPolicy {
  return {
    mode: 'persistent',
    maxAgeMs: PERSISTENT_MAX_AGE_MS,
    async stillWanted() {
      if (incidentId === null) return true;
      const incident = await getIncident(db, incidentId);
      return incident !== null && incident.status !== 'closed';
    },
  };
}
