import type { Database } from '../db/client';
import { countGivenUpJobs } from './repository';

export interface OutboxHealth {
  /** Jobs that gave up for good and wait for a person (e.g. "Try again" on the declarer's notice). */
  gaveUp: number;
  byKind: Record<string, number>;
}

/** What /readyz reports about the outbox. */
export async function outboxHealth(db: Database): Promise<OutboxHealth> {
  const byKind = await countGivenUpJobs(db);
  return { gaveUp: Object.values(byKind).reduce((a, b) => a + b, 0), byKind };
}
