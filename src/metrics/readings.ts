import { countOverdueUpdatesBySeverity } from '../comms/cadenceRepository';
import type { Database } from '../db/client';
import { poolStatsOf } from '../db/poolStats';
import { countOpenIncidentsBySeverity } from '../incidents/repository';
import { outboxHealth } from '../outbox/health';
import { summarizePendingJobs } from '../outbox/repository';
import type { DatabaseReadings } from './metrics';

/** The scrape's database figures, one bounded query each, all on indexed partial sets (pending, failed, open). */
export function databaseReadings(db: Database, clock: () => Date): DatabaseReadings {
  return {
    pendingJobs: () => summarizePendingJobs(db),
    // The same count /readyz reports.
    givenUpJobs: async () => (await outboxHealth(db)).byKind,
    openIncidents: () => countOpenIncidentsBySeverity(db),
    overdueUpdates: () => countOverdueUpdatesBySeverity(db, clock()),
    pool: () => poolStatsOf(db),
  };
}
