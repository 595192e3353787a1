import { sql } from 'kysely';
import type { Database } from '../../src/db/client';
import { claimEvent } from '../../src/db/processedEventsRepository';
import { reserveSendTimes } from '../../src/outbox/pace';
import { pruneOldRows } from '../../src/outbox/retention';
import { claimDueJobs, completeJob, enqueueJobs, failJob } from '../../src/outbox/repository';
import { markStep } from '../../src/outbox/steps';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestHerald } from '../support/harness';

const DAY = 86_400_000;

describe('Retention', () => {
  let database: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    database = await createTestDatabase();
    db = database.connect();
  });
  afterEach(async () => {
    await database.drop();
  });

  /** A job enqueued and finished `daysAgo` days before `now`, as `outcome`. */
  async function jobFinished(key: string, at: Date, outcome: 'done' | 'failed' | 'pending'): Promise<void> {
    await enqueueJobs(db, [{ teamId: 'T1', incidentId: null, kind: 'note', dedupeKey: key, destination: `D-${key}`, notBefore: at }], at);
    if (outcome === 'pending') return;
    const [job] = await claimDueJobs(db, at, 60_000, 1, ['note']);
    const claim = { id: job.id, token: job.claim_token! };
    await markStep(db, job.id, 'post', 'done', at, '1700000000.000100');
    if (outcome === 'done') await completeJob(db, claim, at, { ts: '1700000000.000100' });
    else await failJob(db, claim, at, 'channel_not_found');
  }

  it('deletes delivered jobs, their steps, event ids and pacing rows older than RETENTION, in small batches, and keeps the rest', async () => {
    const now = new Date('2026-11-25T09:00:00Z');
    const old = new Date(now.getTime() - 31 * DAY);
    const recent = new Date(now.getTime() - 29 * DAY);
    for (let i = 0; i < 7; i += 1) await jobFinished(`old-done-${i}`, old, 'done');
    await jobFinished('old-failed', old, 'failed');
    await jobFinished('old-pending', old, 'pending');
    await jobFinished('recent-done', recent, 'done');
    await claimEvent(db, 'Ev-old', old);
    await claimEvent(db, 'Ev-recent', recent);
    await reserveSendTimes(db, ['C-idle'], old);
    await reserveSendTimes(db, ['C-busy'], recent);

    // Batches of 3: the seven old delivered jobs take three statements.
    const pruned = await pruneOldRows(db, 30 * DAY, 3)(now);
    expect(pruned).toEqual({ jobs: 7, events: 1, pace: 1 });

    const keys = (await db.selectFrom('outbox').select('dedupe_key').orderBy('dedupe_key').execute()).map((r) => r.dedupe_key);
    expect(keys).toEqual(['old-failed', 'old-pending', 'recent-done']);
    const steps = await sql<{ n: number }>`select count(*)::int as n from outbox_steps`.execute(db);
    expect(steps.rows[0].n).toBe(2);
    expect((await db.selectFrom('processed_events').select('event_id').execute()).map((r) => r.event_id)).toEqual(['Ev-recent']);
    expect((await db.selectFrom('destination_pace').select('destination').execute()).map((r) => r.destination)).toEqual(['C-busy']);

    // Nothing more to do next time.
    expect(await pruneOldRows(db, 30 * DAY, 3)(now)).toEqual({ jobs: 0, events: 0, pace: 0 });
  });

  it('runs on the scheduler\'s tick with the configured RETENTION', async () => {
    const now = new Date('2026-11-25T09:00:00Z');
    const t = await startTestHerald({ database, clock: () => now, env: { RETENTION: '2d' } });
    try {
      await jobFinished('three-days-old', new Date(now.getTime() - 3 * DAY), 'done');
      await jobFinished('yesterday', new Date(now.getTime() - 1 * DAY), 'done');
      await t.herald.scheduler.tick(now);
      const keys = (await db.selectFrom('outbox').select('dedupe_key').execute()).map((r) => r.dedupe_key);
      expect(keys).toEqual(['yesterday']);
    } finally {
      await t.stop();
    }
  });
});
