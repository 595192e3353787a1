import { claimDue } from '../../src/comms/cadenceRepository';
import { claimDueJobs } from '../../src/outbox/repository';
import { UPDATE_DELIVERY_JOB } from '../../src/comms/statusUpdates';
import { DECLARE_BLOCKS as D } from '../../src/slack/ids';
import { createTestDatabase, usingServer, type TestDatabase } from '../support/database';
import { declare, dmsTo, postUpdate, saveStakeholders, serviceId, updateDeliveries, type Declared } from '../support/flows';
import { startTestHerald, type TestHerald } from '../support/harness';
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
