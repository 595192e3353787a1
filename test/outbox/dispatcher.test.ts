import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { z } from 'zod';
import { createOutboxDispatcher } from '../../src/outbox/dispatcher';
import { defineJob } from '../../src/outbox/registry';
import { claimDueJobs, completeJob, enqueueJobs, failJob, rescheduleJob } from '../../src/outbox/repository';
import type { Database } from '../../src/db/client';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { waitFor } from '../support/harness';
import { silentLogger } from '../support/logger';

/** Holds back the answer of the dispatcher's "when is the next job due?" query until released. */
function holdNextDueQuery() {
  const held = new WeakSet<object>();
  let release: () => void = () => undefined;
  let reached: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const hit = new Promise<void>((resolve) => (reached = resolve));
  let armed = true;
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      if (armed && args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node).includes('"min"')) {
        armed = false;
        held.add(args.queryId);
      }
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      if (held.has(args.queryId)) {
        reached();
        await gate;
      }
      return args.result;
    },
  };
  return { plugin, hit, release };
}

describe('The outbox dispatcher', () => {
  let database: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    database = await createTestDatabase();
    db = database.connect();
  });
  afterEach(async () => {
    await database.drop();
  });

  it('runs what became due while it was finishing a pass when asked, instead of leaving it for the next tick', async () => {
    const ran: string[] = [];
    const hold = holdNextDueQuery();
    let now = new Date('2026-11-25T09:00:00Z');
    await enqueueJobs(db, [{ teamId: 'T1', incidentId: null, kind: 'note', dedupeKey: 'note:1', notBefore: new Date(now.getTime() + 60_000) }], now);
    const dispatcher = createOutboxDispatcher({
      db: db.withPlugin(hold.plugin),
      log: silentLogger,
      clock: () => now,
      handlers: [defineJob({ kind: 'note', schema: z.object({}), run: async (job) => (ran.push(job.dedupe_key), null) })],
    });
    // Nothing is due yet; the pass ends by looking up when to wake next, and that answer is held back.
    const first = dispatcher.runDue();
    await hold.hit;
    // Meanwhile the job becomes due and someone asks for a pass (as after a commit that enqueued work).
    now = new Date(now.getTime() + 120_000);
    const second = dispatcher.runDue();
    hold.release();
    await Promise.all([first, second]);
    expect(ran).toEqual(['note:1']);
    await dispatcher.stop();
  });

  /** A handler that records each run and holds it until released. */
  function heldNote() {
    const runs: number[] = [];
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const handler = defineJob({
      kind: 'note',
      schema: z.object({ text: z.string() }),
      async run(job) {
        runs.push(job.id);
        await released;
        return { said: job.payload.text };
      },
    });
    return { runs, release, handler };
  }

  const jobRow = (id: string) => db.selectFrom('outbox').selectAll().where('dedupe_key', '=', id).executeTakeFirstOrThrow();

  it('keeps a job that runs longer than its lease to the replica running it: another replica passing by does not run it again', async () => {
    let now = new Date('2026-11-25T09:00:00Z');
    await enqueueJobs(db, [{ teamId: 'T1', incidentId: null, kind: 'note', dedupeKey: 'note:slow', payload: { text: 'hi' }, notBefore: now }], now);
    const slow = heldNote();
    const other = heldNote();
    other.release();
    const a = createOutboxDispatcher({ db, log: silentLogger, clock: () => now, leaseMs: 60_000, heartbeatMs: 10, handlers: [slow.handler] });
    const b = createOutboxDispatcher({ db, log: silentLogger, clock: () => now, leaseMs: 60_000, heartbeatMs: 10, handlers: [other.handler] });
    const running = a.runDue();
    await waitFor(() => slow.runs.length === 1, 'the job to start');
    // Two and a half leases go by while the job works; each time, the heartbeat extends its lease.
    for (let i = 0; i < 5; i += 1) {
      now = new Date(now.getTime() + 30_000);
      await waitFor(async () => (await jobRow('note:slow')).locked_until!.getTime() > now.getTime() + 30_000, 'the lease to be extended');
      await b.runDue();
    }
    slow.release();
    await running;
    expect(slow.runs).toHaveLength(1);
    expect(other.runs).toHaveLength(0);
    const row = await jobRow('note:slow');
    expect(row.status).toBe('done');
    expect(row.result).toEqual({ said: 'hi' });
    await Promise.all([a.stop(), b.stop()]);
  });

  it('lets only the latest claimant record a job: a replica whose lease lapsed cannot complete, reschedule or fail it', async () => {
    const now = new Date('2026-11-25T09:00:00Z');
    await enqueueJobs(db, [{ teamId: 'T1', incidentId: null, kind: 'note', dedupeKey: 'note:1', payload: { text: 'hi' }, notBefore: now }], now);
    const [stale] = await claimDueJobs(db, now, 60_000, 10, ['note']);
    const later = new Date(now.getTime() + 61_000);
    const [fresh] = await claimDueJobs(db, later, 60_000, 10, ['note']);
    expect(fresh.id).toBe(stale.id);
    const staleClaim = { id: stale.id, token: stale.claim_token! };
    expect(await rescheduleJob(db, staleClaim, new Date(later.getTime() + 5_000), 'late failure')).toBe(false);
    expect(await failJob(db, staleClaim, later, 'late failure')).toBe(false);
    expect(await completeJob(db, staleClaim, later, { by: 'stale' })).toBe(false);
    let row = await jobRow('note:1');
    expect(row).toMatchObject({ status: 'pending', last_error: null, claim_token: fresh.claim_token });
    expect(await completeJob(db, { id: fresh.id, token: fresh.claim_token! }, later, { by: 'fresh' })).toBe(true);
    row = await jobRow('note:1');
    expect(row).toMatchObject({ status: 'done', result: { by: 'fresh' } });
  });

  it('never queues a job still running on this replica a second time, even when its lease lapsed', async () => {
    let now = new Date('2026-11-25T09:00:00Z');
    await enqueueJobs(
      db,
      [
        { teamId: 'T1', incidentId: null, kind: 'note', dedupeKey: 'note:dm', destination: 'U1', payload: { text: 'a' }, notBefore: now },
        { teamId: 'T1', incidentId: null, kind: 'note', dedupeKey: 'note:solo', payload: { text: 'b' }, notBefore: now },
      ],
      now,
    );
    const held = heldNote();
    // The heartbeat never comes in time (as when the database is slow): the leases lapse while both run.
    const dispatcher = createOutboxDispatcher({ db, log: silentLogger, clock: () => now, leaseMs: 60_000, heartbeatMs: 3_600_000, handlers: [held.handler] });
    const first = dispatcher.runDue();
    await waitFor(() => held.runs.length === 2, 'both jobs to start');
    now = new Date(now.getTime() + 61_000);
    const second = dispatcher.runDue();
    await waitFor(async () => (await jobRow('note:dm')).locked_until!.getTime() > now.getTime(), 'the jobs to be claimed again');
    held.release();
    await Promise.all([first, second]);
    await dispatcher.runDue();
    expect(held.runs.sort()).toEqual([(await jobRow('note:dm')).id, (await jobRow('note:solo')).id].sort());
    // The outcome is recorded under the newer claim.
    expect((await jobRow('note:dm')).status).toBe('done');
    expect((await jobRow('note:solo')).status).toBe('done');
    await dispatcher.stop();
  });

  it('leaves a job of a kind this replica does not know for a replica that knows it (a rolling deploy)', async () => {
    const now = new Date('2026-11-25T09:00:00Z');
    await enqueueJobs(db, [{ teamId: 'T1', incidentId: null, kind: 'note', dedupeKey: 'note:new', payload: { text: 'new' }, notBefore: now }], now);
    const old = createOutboxDispatcher({ db, log: silentLogger, clock: () => now, handlers: [defineJob({ kind: 'other', schema: z.object({}), run: async () => null })] });
    await old.runDue();
    expect(await jobRow('note:new')).toMatchObject({ status: 'pending', attempts: 0, last_error: null });
    const held = heldNote();
    held.release();
    const upgraded = createOutboxDispatcher({ db, log: silentLogger, clock: () => now, handlers: [held.handler] });
    await upgraded.runDue();
    expect(held.runs).toHaveLength(1);
    expect(await jobRow('note:new')).toMatchObject({ status: 'done', result: { said: 'new' } });
    await Promise.all([old.stop(), upgraded.stop()]);
  });

  it('fails a job whose payload does not match its kind for good, saying why, without running it', async () => {
    const now = new Date('2026-11-25T09:00:00Z');
    await enqueueJobs(db, [{ teamId: 'T1', incidentId: null, kind: 'note', dedupeKey: 'note:bad', payload: { text: 42 }, notBefore: now }], now);
    const held = heldNote();
    held.release();
    const dispatcher = createOutboxDispatcher({ db, log: silentLogger, clock: () => now, handlers: [held.handler] });
    await dispatcher.runDue();
    expect(held.runs).toHaveLength(0);
    const row = await jobRow('note:bad');
    expect(row.status).toBe('failed');
    expect(row.last_error).toMatch(/payload of note does not match its schema \(text: /);
    await dispatcher.stop();
  });
});
