import type { Database } from '../db/client';

/**
 * Leases up to `slice` requests of the minute starting at `windowStart` from the budget every replica
 * shares (`perMinute`). One upsert of the minute's row: `used` grows by the slice whatever is granted,
 * so what was there before this lease is `used - slice`. Returns how many were granted (0 once the
 * minute is spent) and whether this was the minute's first lease.
 */
export async function leaseSignalBudget(db: Database, windowStart: Date, slice: number, perMinute: number): Promise<{ granted: number; first: boolean }> {
  const row = await db
    .insertInto('signal_rate')
    .values({ window_start: windowStart, used: slice })
    .onConflict((oc) => oc.column('window_start').doUpdateSet((eb) => ({ used: eb('signal_rate.used', '+', slice) })))
    .returning('used')
    .executeTakeFirstOrThrow();
  const before = row.used - slice;
  return { granted: Math.max(0, Math.min(slice, perMinute - before)), first: before === 0 };
}

/** Forgets the minutes before `before`. */
export async function forgetSignalWindows(db: Database, before: Date): Promise<void> {
  await db.deleteFrom('signal_rate').where('window_start', '<', before).execute();
}
