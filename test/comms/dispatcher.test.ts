import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { createOutboxDispatcher } from '../../src/comms/dispatcher';
import { enqueueJobs } from '../../src/comms/outboxRepository';
import type { Database } from '../../src/db/client';
import { createTestDatabase, type TestDatabase } from '../support/database';
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
      handlers: [{ kind: 'note', run: async (job) => (ran.push(job.dedupe_key), null) }],
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
});
