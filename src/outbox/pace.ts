import { sql } from 'kysely';
import type { Database } from '../db/client';
import { releaseJobs, type Claim } from './repository';

/**
 * Slack posts about one message a second to a channel (or a person's DM), with short bursts. Every
 * replica reserves its send times here, so the pace holds across replicas and 429s stay rare.
 */
// A tenth over a second: a post reserved for exactly 1 s later can reach Slack a little early relative
// to its predecessor (which queued in the network), and Slack's own window would then refuse it.
export const POST_INTERVAL_MS = 1_100;
export const POST_BURST = 3;
const BURST_TOLERANCE_MS = (POST_BURST - 1) * POST_INTERVAL_MS;

/**
 * Reserves a send time for each entry of `destinations` (a destination listed twice gets two times).
 * A generic cell rate algorithm keeps one "theoretical arrival time" per destination: the first
 * POST_BURST sends may go at once, the rest one POST_INTERVAL_MS apart. Rows are locked in sorted order
 * so two transactions reserving overlapping destinations cannot deadlock.
 */
export async function reserveSendTimes(db: Database, destinations: string[], now: Date): Promise<Date[]> {
  if (destinations.length === 0) return [];
  const counts = new Map<string, number>();
  for (const d of destinations) counts.set(d, (counts.get(d) ?? 0) + 1);
  const sorted = [...counts.keys()].sort();
  const rows = await db
    .insertInto('destination_pace')
    .values(sorted.map((destination) => ({ destination, tat: new Date(now.getTime() + counts.get(destination)! * POST_INTERVAL_MS) })))
    .onConflict((oc) =>
      oc.column('destination').doUpdateSet({
        // excluded.tat - now is this reservation's share: count × interval.
        tat: sql`greatest(destination_pace.tat, ${now}::timestamptz) + (excluded.tat - ${now}::timestamptz)`,
      }),
    )
    .returning(['destination', 'tat'])
    .execute();
  const next = new Map<string, number>();
  for (const row of rows) {
    const count = counts.get(row.destination)!;
    // Where this reservation's run of slots starts.
    next.set(row.destination, new Date(row.tat).getTime() - count * POST_INTERVAL_MS);
  }
  return destinations.map((d) => {
    const start = next.get(d)!;
    next.set(d, start + POST_INTERVAL_MS);
    return new Date(Math.max(now.getTime(), start - BURST_TOLERANCE_MS));
  });
}

/**
 * The earliest time the next post to `destination` keeps to the pace, judged by the posts that really
 * went (their done_at, recorded just after Slack answered — never earlier than the post). Send times
 * reserved at enqueue can slip when a post leaves late; this check at send time catches that.
 */
export async function nextAllowedSend(db: Database, destination: string, now: Date): Promise<Date> {
  const window = new Date(now.getTime() - (POST_BURST + 8) * POST_INTERVAL_MS);
  const rows = await db
    .selectFrom('outbox')
    .select('done_at')
    .where('destination', '=', destination)
    .where('status', '=', 'done')
    .where('done_at', '>', window)
    .orderBy('done_at', 'desc')
    .limit(POST_BURST + 8)
    .execute();
  // The j-th most recent post (1-based) allows the next one (j - burst + 1) intervals after it.
  let allowed = now.getTime();
  rows.forEach((row, index) => {
    const j = index + 1;
    if (j >= POST_BURST) allowed = Math.max(allowed, new Date(row.done_at!).getTime() + (j - POST_BURST + 1) * POST_INTERVAL_MS);
  });
  return new Date(allowed);
}

/**
 * Spreads the destination's pending, unclaimed rows that are due before `from` out from it, one
 * interval apart, and makes later reservations start after them. Used when Slack said "wait", and when
 * posts came faster than the pace (a backlog after downtime, a post that left late).
 */
export async function spreadDestination(db: Database, destination: string, from: Date, now: Date, release: Claim[] = []): Promise<void> {
  await db.transaction().execute(async (tx) => {
    // Claimed rows handed back unrun (the claim not counted as an attempt), in the same transaction: a
    // claim running beside it cannot take them between their release and their new time.
    if (release.length > 0) await releaseJobs(tx, release);
    const moved = await sql<{ id: number }>`
      update outbox set next_attempt_at = ${from}::timestamptz + ((ranked.rn - 1) * ${POST_INTERVAL_MS}) * interval '1 millisecond'
      from (
        select id, row_number() over (order by next_attempt_at, id) as rn
        from outbox
        where destination = ${destination} and status = 'pending'
          and next_attempt_at <= ${from}::timestamptz
          and (locked_until is null or locked_until < ${now}::timestamptz)
      ) ranked
      where outbox.id = ranked.id
      returning outbox.id`.execute(tx);
    const tat = new Date(from.getTime() + moved.rows.length * POST_INTERVAL_MS);
    await tx
      .insertInto('destination_pace')
      .values({ destination, tat })
      .onConflict((oc) => oc.column('destination').doUpdateSet({ tat: sql`greatest(destination_pace.tat, excluded.tat)` }))
      .execute();
  });
}

/** nextAllowedSend for several destinations in one query (a fan-out's first post to each). */
export async function nextAllowedSends(db: Database, destinations: string[], now: Date): Promise<Map<string, Date>> {
  const unique = [...new Set(destinations)];
  const allowed = new Map(unique.map((d) => [d, now.getTime()]));
  if (unique.length === 0) return new Map();
  const window = new Date(now.getTime() - (POST_BURST + 8) * POST_INTERVAL_MS);
  const rows = await sql<{ destination: string; done_at: Date | string; j: number }>`
    select destination, done_at, j::int as j from (
      select destination, done_at, row_number() over (partition by destination order by done_at desc) as j
      from outbox
      where destination = any(${unique}::text[]) and status = 'done' and done_at > ${window}::timestamptz
    ) recent
    where j <= ${POST_BURST + 8}`.execute(db);
  for (const row of rows.rows) {
    if (row.j >= POST_BURST) {
      const at = new Date(row.done_at).getTime() + (row.j - POST_BURST + 1) * POST_INTERVAL_MS;
      allowed.set(row.destination, Math.max(allowed.get(row.destination)!, at));
    }
  }
  return new Map([...allowed].map(([d, t]) => [d, new Date(t)]));
}

/** Deletes up to `limit` pacing rows whose last reserved send is before `before`; returns how many. */
export async function deleteIdlePace(db: Database, before: Date, limit: number): Promise<number> {
  const deleted = await sql<{ destination: string }>`
    delete from destination_pace where destination in (
      select destination from destination_pace where tat < ${before}::timestamptz
      limit ${limit} for update skip locked
    ) returning destination`.execute(db);
  return deleted.rows.length;
}
