import type { Database } from '../db/client';

/** Counts one request in the minute starting at `windowStart`; returns how many that minute has had, this one included. */
export async function countSignalRequest(db: Database, windowStart: Date): Promise<number> {
  const row = await db
    .insertInto('signal_rate')
    .values({ window_start: windowStart, used: 1 })
    .onConflict((oc) => oc.column('window_start').doUpdateSet((eb) => ({ used: eb('signal_rate.used', '+', 1) })))
    .returning('used')
    .executeTakeFirstOrThrow();
  return row.used;
}

/** Forgets the minutes before `before`. */
export async function forgetSignalWindows(db: Database, before: Date): Promise<void> {
  await db.deleteFrom('signal_rate').where('window_start', '<', before).execute();
}
