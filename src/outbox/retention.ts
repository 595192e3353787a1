import type { Database } from '../db/client';
import { deleteProcessedEvents } from '../db/processedEventsRepository';
import { deleteIdlePace } from './pace';
import { deleteDeliveredJobs } from './repository';

/** Rows deleted per statement: each is a short transaction, so nothing waits long on its locks. */
export const RETENTION_BATCH = 500;

export interface Pruned {
  jobs: number;
  events: number;
  pace: number;
}

async function inBatches(remove: (limit: number) => Promise<number>, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const removed = await remove(batch);
    total += removed;
    if (removed < batch) return total;
  }
}

/**
 * The scheduler job that keeps the tables from growing without end: delivered outbox jobs (with their
 * steps), processed Slack event ids and idle pacing rows older than `retentionMs`. Jobs that failed or
 * are still pending are kept, whatever their age.
 */
export function pruneOldRows(db: Database, retentionMs: number, batch = RETENTION_BATCH) {
  return async (now: Date): Promise<Pruned> => {
    const before = new Date(now.getTime() - retentionMs);
    return {
      jobs: await inBatches((limit) => deleteDeliveredJobs(db, before, limit), batch),
      events: await inBatches((limit) => deleteProcessedEvents(db, before, limit), batch),
      pace: await inBatches((limit) => deleteIdlePace(db, before, limit), batch),
    };
  };
}

/** Retention need not run every minute: at most this often per replica (and on the first tick). */
export const RETENTION_EVERY_MS = 60 * 60_000;

/** The scheduler's retention job: prunes on the first tick, then at most once per RETENTION_EVERY_MS. */
export function retentionJob(db: Database, retentionMs: number) {
  const prune = pruneOldRows(db, retentionMs);
  let lastRun: number | null = null;
  return async (now: Date): Promise<void> => {
    if (lastRun !== null && now.getTime() - lastRun < RETENTION_EVERY_MS && now.getTime() >= lastRun) return;
    lastRun = now.getTime();
    await prune(now);
  };
}
