import type { Database } from '../db/client';
import type { OutboxRow } from './repository';

/** What one step of an outbox job has done in Slack (see migration 0002). */
export interface StepRecord {
  state: 'started' | 'done';
  /** The ts of the message the step posted, when it posted one. */
  ts: string | null;
  at: Date;
}

export async function stepsOfJob(db: Database, jobId: number): Promise<Map<string, StepRecord>> {
  const rows = await db.selectFrom('outbox_steps').select(['step', 'state', 'ts', 'updated_at']).where('job_id', '=', jobId).execute();
  return new Map(rows.map((r) => [r.step, { state: r.state, ts: r.ts, at: r.updated_at }]));
}

export async function markStep(db: Database, jobId: number, step: string, state: StepRecord['state'], now: Date, ts: string | null = null): Promise<void> {
  await db
    .insertInto('outbox_steps')
    .values({ job_id: jobId, step, state, ts, updated_at: now })
    .onConflict((oc) => oc.columns(['job_id', 'step']).doUpdateSet({ state, ts, updated_at: now }))
    .execute();
}

/** Marks `steps` started, in one statement; a step started earlier keeps its first start, so every later look reaches back to it. */
export async function markStepsStarted(db: Database, jobId: number, steps: string[], now: Date): Promise<void> {
  if (steps.length === 0) return;
  await db
    .insertInto('outbox_steps')
    .values(steps.map((step) => ({ job_id: jobId, step, state: 'started' as const, ts: null, updated_at: now })))
    .onConflict((oc) => oc.columns(['job_id', 'step']).doNothing())
    .execute();
}

/**
 * How a post is made once although Slack has no idempotency key: the `marker` travels with the message,
 * and when an earlier attempt may have posted it without Herald hearing back, `lookSince` says from when
 * to look for it before posting. Null on a first attempt, which just posts.
 */
export interface PostOnce {
  marker: string;
  lookSince: Date | null;
}

/**
 * The one post of a job that makes exactly one (a delivery, a receipt). Only a retry can find an
 * earlier post — the answer lost, or the replica gone before it recorded the job done — so only a
 * retry looks, from when the job was queued.
 */
export function onlyPostOf(job: Pick<OutboxRow, 'id' | 'kind' | 'attempts' | 'created_at'>): PostOnce {
  return { marker: `${job.id}:${job.kind}`, lookSince: job.attempts > 1 ? job.created_at : null };
}
