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

/**
 * Claims up to `limit` due jobs for `leaseMs`. SKIP LOCKED lets replicas claim side by side without
 * waiting on each other; the lease means a replica that dies mid-job leaves it to be claimed again.
 * The claim's commit does not wait for the disk: a claim lost in a server crash only makes the job
 * claimable again, and any later durable write (the job's own) flushes it anyway. Every job's start
 * was waiting one flush for nothing (5–10 ms here).
 */
export async function claimDueJobs(db: Database, now: Date, leaseMs: number, limit: number, kinds?: string[]): Promise<OutboxRow[]> {
  return db.transaction().execute(async (tx) => {
    await sql`set local synchronous_commit = off`.execute(tx);
    let due = tx
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .orderBy('next_attempt_at')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    if (kinds) due = due.where('kind', 'in', kinds);
    const ids = (await due.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    return tx
      .updateTable('outbox')
      .set({ locked_until: new Date(now.getTime() + leaseMs), attempts: sql`attempts + 1` })
      .where('id', 'in', ids)
      .returningAll()
      .execute();
  });
}

export async function completeJob(db: Database, id: number, now: Date, result: Record<string, unknown> | null): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'done', done_at: now, locked_until: null, result: result === null ? null : JSON.stringify(result), last_error: null })
    .where('id', '=', id)
    .execute();
}

/** Records several jobs done in one statement (one commit, one flush), each with its own time and result. */
export async function completeJobs(db: Database, jobs: Array<{ id: number; doneAt: Date; result: Record<string, unknown> | null }>): Promise<void> {
  if (jobs.length === 0) return;
  const rows = JSON.stringify(jobs.map((j) => ({ id: j.id, done_at: j.doneAt.toISOString(), result: j.result })));
  await sql`
    update outbox set status = 'done', done_at = v.done_at, locked_until = null, result = nullif(v.result, 'null'::jsonb), last_error = null
    from jsonb_to_recordset(${rows}::jsonb) as v(id int, done_at timestamptz, result jsonb)
    where outbox.id = v.id`.execute(db);
}

export async function rescheduleJob(db: Database, id: number, nextAttemptAt: Date, error: string, options: { refundAttempt?: boolean } = {}): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      next_attempt_at: nextAttemptAt,
      locked_until: null,
      last_error: error,
      ...(options.refundAttempt ? { attempts: sql`greatest(attempts - 1, 0)` } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Hands claimed jobs back unrun (their claim does not count as an attempt). */
export async function releaseJobs(db: Database, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('outbox')
    .set({ locked_until: null, attempts: sql`greatest(attempts - 1, 0)` })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .execute();
}

export async function failJob(db: Database, id: number, now: Date, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'failed', done_at: now, locked_until: null, last_error: error })
    .where('id', '=', id)
    .execute();
}

/** The earliest time a pending job becomes due, so the dispatcher can wake up for it. */
export async function nextDueAt(db: Database): Promise<Date | null> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('next'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.next ? new Date(row.next as unknown as string | Date) : null;
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
