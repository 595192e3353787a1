import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { Database } from '../db/client';
import type { OutboxTable } from '../db/schema';

export type OutboxRow = Selectable<OutboxTable>;

export interface NewOutboxJob {
  teamId: string;
  incidentId: number | null;
  kind: string;
  /** Unique per piece of work: enqueueing the same key twice keeps the first. */
  dedupeKey: string;
  destination?: string | null;
  payload?: Record<string, unknown>;
  notBefore: Date;
}

export async function enqueueJobs(db: Database, jobs: NewOutboxJob[], now: Date): Promise<number> {
  if (jobs.length === 0) return 0;
  const inserted = await db
    .insertInto('outbox')
    .values(
      jobs.map((job) => ({
        team_id: job.teamId,
        incident_id: job.incidentId,
        kind: job.kind,
        dedupe_key: job.dedupeKey,
        destination: job.destination ?? null,
        payload: JSON.stringify(job.payload ?? {}),
        next_attempt_at: job.notBefore,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

/** A claimed job's id and the token its claim wrote: only the claimant's writes match both. */
export interface Claim {
  id: number;
  token: string;
}

/** `where (id, claim_token) in claims`, as one statement parameter. */
const matchesClaims = (claims: Claim[]) =>
  sql<boolean>`(outbox.id, outbox.claim_token) in (select id, token from jsonb_to_recordset(${JSON.stringify(claims)}::jsonb) as c(id int, token text))`;

/**
 * Claims up to `limit` due jobs of the given kinds for `leaseMs`, writing `token` on them. SKIP LOCKED
 * lets replicas claim side by side without waiting on each other; the lease means a replica that dies
 * mid-job leaves it to be claimed again. Only kinds this replica has handlers for are claimed: during a
 * rolling deploy a job of a new kind waits for a replica that knows it.
 * The claim's commit does not wait for the disk: a claim lost in a server crash only makes the job
 * claimable again, and any later durable write (the job's own) flushes it anyway. Every job's start
 * was waiting one flush for nothing (5–10 ms here).
 */
export async function claimDueJobs(db: Database, now: Date, leaseMs: number, limit: number, kinds: string[], token: string = randomUUID()): Promise<OutboxRow[]> {
  if (kinds.length === 0) return [];
  return db.transaction().execute(async (tx) => {
    await sql`set local synchronous_commit = off`.execute(tx);
    const due = tx
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .where('kind', 'in', kinds)
      .orderBy('next_attempt_at')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    const ids = (await due.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    return tx
      .updateTable('outbox')
      .set({ locked_until: new Date(now.getTime() + leaseMs), attempts: sql`attempts + 1`, claim_token: token })
      .where('id', 'in', ids)
      .returningAll()
      .execute();
  });
}

/** Extends the leases of jobs still being worked on; returns the ids whose claim is no longer theirs. */
export async function extendLeases(db: Database, claims: Claim[], lockedUntil: Date): Promise<number[]> {
  if (claims.length === 0) return [];
  const kept = await db
    .updateTable('outbox')
    .set({ locked_until: lockedUntil })
    .where(matchesClaims(claims))
    .where('status', '=', 'pending')
    .returning('id')
    .execute();
  const keptIds = new Set(kept.map((r) => r.id));
  return claims.filter((c) => !keptIds.has(c.id)).map((c) => c.id);
}

export async function completeJob(db: Database, claim: Claim, now: Date, result: Record<string, unknown> | null): Promise<boolean> {
  const done = await db
    .updateTable('outbox')
    .set({ status: 'done', done_at: now, locked_until: null, result: result === null ? null : JSON.stringify(result), last_error: null })
    .where('id', '=', claim.id)
    .where('claim_token', '=', claim.token)
    .executeTakeFirst();
  return done.numUpdatedRows > 0n;
}

/**
 * Records several jobs done in one statement (one commit, one flush), each with its own time and result.
 * Returns the ids whose claim had passed to another claimant (nothing was written for those).
 */
export async function completeJobs(db: Database, jobs: Array<Claim & { doneAt: Date; result: Record<string, unknown> | null }>): Promise<number[]> {
  if (jobs.length === 0) return [];
  const rows = JSON.stringify(jobs.map((j) => ({ id: j.id, token: j.token, done_at: j.doneAt.toISOString(), result: j.result })));
  const written = await sql<{ id: number }>`
    update outbox set status = 'done', done_at = v.done_at, locked_until = null, result = nullif(v.result, 'null'::jsonb), last_error = null
    from jsonb_to_recordset(${rows}::jsonb) as v(id int, token text, done_at timestamptz, result jsonb)
    where outbox.id = v.id and outbox.claim_token = v.token
    returning outbox.id`.execute(db);
  const ids = new Set(written.rows.map((r) => r.id));
  return jobs.filter((j) => !ids.has(j.id)).map((j) => j.id);
}

export async function rescheduleJob(db: Database, claim: Claim, nextAttemptAt: Date, error: string, options: { refundAttempt?: boolean } = {}): Promise<boolean> {
  const updated = await db
    .updateTable('outbox')
    .set({
      next_attempt_at: nextAttemptAt,
      locked_until: null,
      last_error: error,
      ...(options.refundAttempt ? { attempts: sql`greatest(attempts - 1, 0)` } : {}),
    })
    .where('id', '=', claim.id)
    .where('claim_token', '=', claim.token)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** Hands claimed jobs back unrun (their claim does not count as an attempt). */
export async function releaseJobs(db: Database, claims: Claim[]): Promise<void> {
  if (claims.length === 0) return;
  await db
    .updateTable('outbox')
    .set({ locked_until: null, attempts: sql`greatest(attempts - 1, 0)` })
    .where(matchesClaims(claims))
    .where('status', '=', 'pending')
    .execute();
}

export async function failJob(db: Database, claim: Claim, now: Date, error: string): Promise<boolean> {
  const updated = await db
    .updateTable('outbox')
    .set({ status: 'failed', done_at: now, locked_until: null, last_error: error })
    .where('id', '=', claim.id)
    .where('claim_token', '=', claim.token)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/**
 * The earliest time a pending job of these kinds can be claimed (due, and its lease, if any, ended), so
 * the dispatcher can wake up for it rather than poll while another replica holds it.
 */
export async function nextDueAt(db: Database, kinds: string[]): Promise<Date | null> {
  if (kinds.length === 0) return null;
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min(sql<Date | string>`greatest(next_attempt_at, coalesce(locked_until, next_attempt_at))`).as('next'))
    .where('status', '=', 'pending')
    .where('kind', 'in', kinds)
    .executeTakeFirst();
  return row?.next ? new Date(row.next) : null;
}

/**
 * Whether a job of this kind is still waiting to finish for the incident (e.g. its channel setup);
 * `updateId` narrows it to the jobs of one status update.
 */
export async function hasUnfinishedJob(db: Database, incidentId: number, kind: string, updateId?: number): Promise<boolean> {
  let query = db.selectFrom('outbox').select('id').where('incident_id', '=', incidentId).where('kind', '=', kind).where('status', '=', 'pending');
  if (updateId !== undefined) query = query.where(sql<boolean>`(payload->>'updateId')::int = ${updateId}`);
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}

/** How many jobs gave up for good, by kind (a person can ask for them to be tried again). */
export async function countGivenUpJobs(db: Database): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('outbox')
    .select(['kind', (eb) => eb.fn.countAll<string | number>().as('count')])
    .where('status', '=', 'failed')
    .groupBy('kind')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.count)]));
}

/**
 * Jobs waiting to run, by kind: how many, and since when the longest-waiting one has waited (since it
 * was queued, or since a person asked for it to be tried again). Reads only pending rows (outbox_due).
 */
export async function summarizePendingJobs(db: Database): Promise<Array<{ kind: string; pending: number; waitingSince: Date }>> {
  const rows = await db
    .selectFrom('outbox')
    .select(['kind', (eb) => eb.fn.countAll<string | number>().as('pending'), (eb) => eb.fn.min(sql<Date>`coalesce(retried_at, created_at)`).as('since')])
    .where('status', '=', 'pending')
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, pending: Number(r.pending), waitingSince: new Date(r.since) }));
}

/**
 * Queues an incident's jobs that gave up to run again now, with a fresh retry window. Their attempts
 * start at 1, not 0: an earlier attempt may have posted without hearing back, so the next one looks first.
 */
export async function retryGivenUpJobs(db: Database, incidentId: number, now: Date): Promise<number> {
  const rows = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 1, next_attempt_at: now, locked_until: null, done_at: null, claim_token: null, retried_at: now })
    .where('incident_id', '=', incidentId)
    .where('status', '=', 'failed')
    .returning('id')
    .execute();
  return rows.length;
}

/**
 * Deletes up to `limit` delivered jobs (and, by cascade, their steps) finished before `before`; returns
 * how many. One short statement: rows another transaction holds are skipped, not waited for.
 */
export async function deleteDeliveredJobs(db: Database, before: Date, limit: number): Promise<number> {
  const deleted = await sql<{ id: number }>`
    delete from outbox where id in (
      select id from outbox where status = 'done' and done_at < ${before}::timestamptz
      order by done_at limit ${limit} for update skip locked
    ) returning id`.execute(db);
  return deleted.rows.length;
}

/**
 * Whether a job of `kind` for `teamId` whose payload holds `payload`'s one field is queued and not yet
 * taken by a replica; the row stays locked until the caller's transaction ends, so no replica takes it
 * in between (and runs it without the caller's change). Lets a domain fold a burst of requests for the
 * same work into the job already waiting.
 */
export async function lockWaitingJob(tx: Database, job: { kind: string; teamId: string; payload: Record<string, string> }, now: Date): Promise<boolean> {
  const [[field, value]] = Object.entries(job.payload);
  const row = await tx
    .selectFrom('outbox')
    .select('id')
    .where('status', '=', 'pending')
    .where('kind', '=', job.kind)
    .where('team_id', '=', job.teamId)
    .where(sql<string>`payload->>${field}`, '=', value)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/** Jobs still waiting or given up, by the error that last stopped them (what Slack refused, mostly). */
export async function countJobsByLastError(db: Database): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('outbox')
    .select(['last_error', (eb) => eb.fn.countAll<string | number>().as('count')])
    .where('status', 'in', ['pending', 'failed'])
    .where('last_error', 'is not', null)
    .groupBy('last_error')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.last_error!, Number(r.count)]));
}
