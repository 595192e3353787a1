import { claimDue } from '../../src/comms/cadenceRepository';
import { claimDueJobs } from '../../src/outbox/repository';
import { UPDATE_DELIVERY_JOB } from '../../src/comms/statusUpdates';
import { DECLARE_BLOCKS as D } from '../../src/slack/ids';
import { createTestDatabase, usingServer, type TestDatabase } from '../support/database';
import { declare, dmsTo, postUpdate, saveStakeholders, serviceId, updateDeliveries, type Declared } from '../support/flows';
import { ANNOUNCE_CHANNEL, startTestHerald, waitFor, type TestHerald } from '../support/harness';
import { openDeclareModal } from '../support/journeys';
import { startSlackStub, type SlackStub } from '../support/slackStub';

const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const MINUTE = 60_000;

/**
 * Three Herald instances share one database and one Slack workspace, as replicas behind a load
 * balancer do. With TEST_DATABASE_URL each has its own connection pool to PostgreSQL and they truly
 * race; on PGlite they share the one embedded database.
 */
describe('Three Herald replicas against one database', () => {
  let slack: SlackStub;
  let database: TestDatabase;
  let replicas: TestHerald[];
  let now: Date;
  let payTeam: string;

  const everyReplica = (work: (r: TestHerald) => Promise<unknown>) => Promise.all(replicas.map(work));
  /**
   * Every replica ticks, then every replica's outbox settles: a replica whose own tick found nothing
   * may be woken a moment later for a job another replica queued, and send it after its tick returned.
   */
  const tickEveryReplica = async () => {
    await everyReplica((r) => r.herald.scheduler.tick(now));
    await everyReplica((r) => r.settle());
  };
  const tickAll = async (minutes: number) => {
    now = new Date(T0 + minutes * MINUTE);
    await tickEveryReplica();
  };
  /**
   * Counts the requests matching `match` that replicas have finished handling, listeners included
   * (Bolt answers Slack first; a global middleware's next() resolves once the listeners are done).
   */
  const handledByReplicas = (match: (body: any) => boolean) => {
    let handled = 0;
    for (const r of replicas) {
      r.herald.app.use(async ({ body, next }) => {
        try {
          await next();
        } finally {
          if (match(body)) handled += 1;
        }
      });
    }
    return () => handled;
  };
  const promptsTo = (user: string) => dmsTo(replicas[0], user).filter((m) => /stakeholder update|is overdue/i.test(m.text ?? ''));

  beforeEach(async () => {
    now = new Date(T0);
    slack = await startSlackStub();
    payTeam = slack.addChannel({ name: 'payments-team', members: [slack.botUserId] }).id;
    database = await createTestDatabase();
    replicas = [];
    for (let n = 0; n < 3; n += 1) {
      replicas.push(await startTestHerald({ slack, database, clock: () => now, env: { UPDATE_CADENCE: 'SEV1=10m,SEV2=30m,SEV3=1h,SEV4=off' } }));
    }
  });
  afterEach(async () => {
    for (const r of replicas) await r.stop();
    await database.drop();
    await slack.close();
  });

  /** Stakeholders saved through replica B, the incident declared through A (commander U2, comms lead U3). */
  async function incident(): Promise<Declared> {
    const [a, b] = replicas;
    await saveStakeholders(b, 'Payments API', { channels: [payTeam], people: ['U4', 'U5'] });
    const declared = await declare(a, 'Checkout is down', { [D.services]: [await serviceId(a, 'Payments API')], [D.commander]: 'U2' });
    await a.db.updateTable('incidents').set({ comms_id: 'U3' }).where('id', '=', declared.id).execute();
    return declared;
  }

  it('make one incident, one channel and one announcement of a declare submission two replicas receive at the same instant', async () => {
    const [a, b] = replicas;
    // On PostgreSQL each replica has its own connection pool, so their transactions truly interleave.
    expect(new Set(replicas.map((r) => r.db)).size).toBe(usingServer ? replicas.length : 1);
    const handled = handledByReplicas((body) => body.type === 'view_submission');
    const { view } = await openDeclareModal(a, 'Checkout is down');
    const answers = { [D.severity]: 'SEV1' };
    const responses = await Promise.all([a.submitView(view, answers), b.submitView(view, answers)]);
    expect(responses.map((r) => [r.status, r.json?.response_action])).toEqual([[200, undefined], [200, undefined]]);
    await waitFor(() => handled() === 2, 'both replicas to finish the submission');
    for (let round = 0; round < 2; round += 1) await everyReplica((r) => r.settle());

    const incidents = await a.db.selectFrom('incidents').select(['id', 'number', 'channel_id']).execute();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.number).toBe(1);
    const declared = await a.db.selectFrom('timeline_events').select('kind').where('kind', '=', 'declared').execute();
    expect(declared).toHaveLength(1);
    expect(slack.okCallsTo('conversations.create')).toHaveLength(1);
    expect(slack.messagesIn(incidents[0]!.channel_id!)).toHaveLength(1);
    expect(slack.messagesIn(ANNOUNCE_CHANNEL)).toHaveLength(1);
  });

  it('add one timeline entry for a 📌 that Slack retries to the other replicas at the same instant', async () => {
    const i = await incident();
    const message = slack.addMessage({ channel: i.channel.id, user: 'U1', text: 'Found it: the cache TTL' });
    const event = { type: 'reaction_added', user: 'U2', reaction: 'pushpin', item_user: 'U1', item: { type: 'message', channel: i.channel.id, ts: message.ts } };
    const handled = handledByReplicas((body) => body.event_id === 'Ev0PINRACE');
    // The first delivery and Slack's two retries, each reaching another replica, all at once.
    const responses = await Promise.all(replicas.map((r, n) => r.event(event, { eventId: 'Ev0PINRACE', ...(n > 0 ? { retryNum: n } : {}) })));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    await waitFor(() => handled() === 3, 'every replica to finish the event');
    for (let round = 0; round < 2; round += 1) await everyReplica((r) => r.settle());

    const db = replicas[0].db;
    const pinned = await db.selectFrom('timeline_events').select(['text']).where('kind', '=', 'pinned').execute();
    expect(pinned).toEqual([{ text: 'Found it: the cache TTL' }]);
    expect(await db.selectFrom('processed_events').select('event_id').execute()).toEqual([{ event_id: 'Ev0PINRACE' }]);
    expect(await db.selectFrom('outbox').select('status').where('kind', '=', 'pin_message').execute()).toEqual([{ status: 'done' }]);
    expect(slack.okCallsTo('conversations.history')).toHaveLength(1);
  });

  it('deliver every update to every destination exactly once, whichever replica sends it', async () => {
    const i = await incident();
    // Each replica takes one update, and all three dispatch side by side.
    for (const [n, replica] of replicas.entries()) {
      await replica.herald.dispatcher.stop();
      await postUpdate(replica, i, {}, ['U1', 'U2', 'U3'][n]);
    }
    const live = await Promise.all(replicas.map(() => startTestHerald({ slack, database, clock: () => now })));
    for (const r of replicas) await r.stop();
    replicas = live;
    for (let round = 0; round < 3; round += 1) await everyReplica((r) => r.settle());

    const counts = new Map<string, number>();
    for (const d of updateDeliveries(replicas[0])) counts.set(d, (counts.get(d) ?? 0) + 1);
    // Channel, announcement thread, the stakeholder channel and two DMs — three updates each, no more.
    expect(counts.size).toBe(5);
    expect([...counts.values()]).toEqual([3, 3, 3, 3, 3]);
    const rows = await replicas[0].db.selectFrom('outbox').select(['status']).where('kind', '=', 'update_delivery').execute();
    expect(rows.map((r) => r.status)).toEqual(Array(15).fill('done'));
    // And each author hears back once.
    for (const author of ['U1', 'U2', 'U3']) expect(dmsTo(replicas[0], author).filter((m) => /reached all 5/.test(m.text ?? ''))).toHaveLength(1);
  });

  it('send each prompt, escalation and channel notice exactly once when every replica ticks', async () => {
    await incident();
    await tickAll(10);
    await tickAll(10);
    expect(promptsTo('U3')).toHaveLength(1);
    expect(promptsTo('U2')).toHaveLength(0);
    await tickAll(15);
    await tickAll(15.5);
    expect(promptsTo('U2')).toHaveLength(1);
    expect(promptsTo('U3')).toHaveLength(1);
    const i = await replicas[0].db.selectFrom('incidents').select('channel_id').executeTakeFirstOrThrow();
    expect(slack.messagesIn(i.channel_id!).filter((m) => /overdue/.test(m.text ?? ''))).toHaveLength(1);
  });

  it('send a prompt missed while every replica was down once, when they all come back', async () => {
    await incident();
    await tickAll(47);
    await tickAll(47);
    await tickAll(48);
    expect(promptsTo('U3')).toHaveLength(1);
    expect(promptsTo('U2')).toHaveLength(1);
  });

  it('leave nothing stuck when a replica dies mid-tick or holding claimed deliveries', async () => {
    const i = await incident();
    const db = replicas[0].db;
    now = new Date(T0 + 10 * MINUTE);
    if (usingServer) {
      // A fourth replica claims the due prompt and hangs: the others skip it rather than wait or double it.
      const hung = database.connect();
      let die!: () => void;
      const dead = new Promise<void>((resolve) => (die = resolve));
      let claimed!: () => void;
      const claimedYet = new Promise<void>((resolve) => (claimed = resolve));
      const holder = hung.transaction().execute(async (tx) => {
        expect(await claimDue(tx, 'remind_at', now, 20)).toHaveLength(1);
        claimed();
        await dead;
        throw new Error('replica died');
      });
      await claimedYet;
      await tickEveryReplica();
      expect(promptsTo('U3')).toHaveLength(0);
      die();
      await expect(holder).rejects.toThrow('replica died');
    } else {
      // The embedded database has one session: the dying replica's claim is simply rolled back.
      await expect(
        db.transaction().execute(async (tx) => {
          expect(await claimDue(tx, 'remind_at', now, 20)).toHaveLength(1);
          throw new Error('replica died');
        }),
      ).rejects.toThrow('replica died');
    }
    await tickEveryReplica();
    expect(promptsTo('U3')).toHaveLength(1);

    // A replica claims an update's deliveries and dies before sending: once the claim lapses, they go out once.
    for (const r of replicas) await r.herald.dispatcher.stop();
    await postUpdate(replicas[1], i);
    expect((await claimDueJobs(db, now, 60_000, 100, [UPDATE_DELIVERY_JOB])).length).toBe(5);
    await everyReplica((r) => r.herald.dispatcher.runDue(now));
    expect(updateDeliveries(replicas[0])).toHaveLength(0);
    now = new Date(now.getTime() + 61_000);
    for (let round = 0; round < 2; round += 1) await everyReplica((r) => r.herald.dispatcher.runDue(now));
    expect(updateDeliveries(replicas[0])).toHaveLength(5);
  });
});
