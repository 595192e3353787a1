import { claimDueJobs } from '../../src/outbox/repository';
import { UPDATE_DELIVERY_JOB } from '../../src/comms/statusUpdates';
import { DECLARE_BLOCKS as D } from '../../src/slack/ids';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { declare, modalOpenedBy, postUpdate, saveStakeholders, serviceId, updateDeliveries, waitForOutboxEmpty, type Declared } from '../support/flows';
import { ANNOUNCE_CHANNEL, startTestHerald, type TestHerald } from '../support/harness';
import { startSlackStub, type SlackStub } from '../support/slackStub';
import { UPDATE_BLOCKS as U } from '../../src/slack/ids';

/** Where one update should land: channel, announcement thread, one stakeholder channel, two DMs. */
const EXPECTED_DESTINATIONS = 5;

describe('Delivering status updates through Slack’s limits, restarts and crashes', () => {
  let slack: SlackStub;
  let database: TestDatabase;
  let t: TestHerald;
  let payTeam: string;
  const started: TestHerald[] = [];

  async function start(options: { clock?: () => Date } = {}) {
    const h = await startTestHerald({ slack, database, ...options });
    started.push(h);
    return h;
  }

  async function incident(h: TestHerald): Promise<Declared> {
    await saveStakeholders(h, 'Payments API', { channels: [payTeam], people: ['U3', 'U4'] });
    return declare(h, 'Checkout is down', { [D.services]: [await serviceId(h, 'Payments API')] });
  }

  /** Every destination got the update exactly `times` times. */
  function expectEachDestination(times: number) {
    const counts = new Map<string, number>();
    for (const d of updateDeliveries(t)) counts.set(d, (counts.get(d) ?? 0) + 1);
    expect(counts.size).toBe(EXPECTED_DESTINATIONS);
    expect([...counts.values()]).toEqual(Array(EXPECTED_DESTINATIONS).fill(times));
  }

  beforeEach(async () => {
    slack = await startSlackStub();
    payTeam = slack.addChannel({ name: 'payments-team', members: [slack.botUserId] }).id;
    database = await createTestDatabase();
    t = await start();
  });
  afterEach(async () => {
    for (const h of started.splice(0)) await h.stop();
    await database.drop();
    await slack.close();
  });

  it('waits as long as Slack’s Retry-After says when rate-limited, then delivers each destination once', async () => {
    const i = await incident(t);
    slack.failNext('chat.postMessage', { retryAfter: 1, times: 3 });
    const submitted = Date.now();
    await postUpdate(t, i);
    await waitForOutboxEmpty(t);
    expect(slack.rateLimited).toBe(3);
    expectEachDestination(1);
    // Each refused destination was retried no sooner than Retry-After, and the rate limit did not use up attempts.
    const posts = slack.callsTo('chat.postMessage').filter((c) => c.at >= submitted);
    for (const refused of posts.filter((c) => c.status === 429)) {
      const retry = posts.find((c) => c.at > refused.at && c.args.channel === refused.args.channel && c.ok)!;
      expect(retry.at - refused.at).toBeGreaterThanOrEqual(950);
    }
    const rows = await t.db.selectFrom('outbox').select(['status', 'attempts']).where('kind', '=', 'update_delivery').execute();
    expect(rows.every((r) => r.status === 'done' && r.attempts === 1)).toBe(true);
  });

  it('keeps to about one post a second per destination, so five quick updates are not rate-limited', async () => {
    const i = await incident(t);
    slack.setPostRateLimit({ perChannelPerSecond: 1, burst: 3 });
    for (let n = 1; n <= 5; n += 1) await postUpdate(t, i, { [U.impact]: `Impact ${n}` });
    await waitForOutboxEmpty(t, 20_000);
    expectEachDestination(5);
    // Unpaced, each of the five destinations would take two 429s at once (five posts, burst of three).
    expect(slack.rateLimited).toBe(0);
    // The fourth and fifth posts to the incident channel waited their turn.
    const times = slack.okCallsTo('chat.postMessage').filter((c) => c.args.channel === i.channel.id && JSON.stringify(c.args.blocks).includes('Impact')).map((c) => c.at);
    expect(times[4] - times[0]).toBeGreaterThanOrEqual(2000);
  });

  it('sends rows left unsent when Herald stopped once another Herald starts', async () => {
    const i = await incident(t);
    // This Herald stops dispatching right after the update is committed, as a crash would.
    await t.herald.dispatcher.stop();
    await postUpdate(t, i);
    expect(updateDeliveries(t)).toHaveLength(0);
    await t.stop();
    started.splice(started.indexOf(t), 1);

    t = await start();
    await waitForOutboxEmpty(t);
    expectEachDestination(1);
  });

  it('spreads a backlog left while Herald was down at the posting pace instead of flooding each destination', async () => {
    const i = await incident(t);
    await t.herald.dispatcher.stop();
    for (let n = 1; n <= 6; n += 1) await postUpdate(t, i, { [U.impact]: `Impact ${n}` });
    await t.stop();
    started.splice(started.indexOf(t), 1);

    // Back a minute later: all six are overdue at once for every destination.
    slack.setPostRateLimit({ perChannelPerSecond: 1, burst: 3 });
    t = await start({ clock: () => new Date(Date.now() + 60_000) });
    await waitForOutboxEmpty(t, 20_000);
    expectEachDestination(6);
    // Unpaced, that is three 429s per destination at once.
    expect(slack.rateLimited).toBe(0);
  });

  it('leaves nothing stuck when a replica dies holding claimed rows: they go out once the claim lapses', async () => {
    const i = await incident(t);
    await t.herald.dispatcher.stop();
    await postUpdate(t, i);
    // A replica claims the rows and dies before sending any.
    const claimed = await claimDueJobs(t.db, new Date(), 60_000, 100, [UPDATE_DELIVERY_JOB]);
    expect(claimed.length).toBeGreaterThanOrEqual(EXPECTED_DESTINATIONS);

    let offsetMs = 0;
    const survivor = await start({ clock: () => new Date(Date.now() + offsetMs) });
    await survivor.settle();
    expect(updateDeliveries(t)).toHaveLength(0);
    offsetMs = 61_000;
    await waitForOutboxEmpty(survivor);
    expectEachDestination(1);
  });

  it('measures one update to 200 destinations at Slack’s per-channel limit', async () => {
    const channels = Array.from({ length: 100 }, (_, n) => slack.addChannel({ name: `stakeholders-${n}`, members: [slack.botUserId] }).id);
    const people = Array.from({ length: 98 }, (_, n) => `U${1000 + n}`);
    for (const id of people) slack.addUser({ id, name: `person-${id}` });
    const [service] = await t.db.insertInto('services').values({ team_id: slack.teamId, name: 'Everything', name_key: 'everything' }).returning('id').execute();
    await t.db
      .insertInto('service_stakeholders')
      .values([
        ...channels.map((target_id) => ({ service_id: service.id, kind: 'channel' as const, target_id })),
        ...people.map((target_id) => ({ service_id: service.id, kind: 'user' as const, target_id })),
      ])
      .execute();
    const i = await declare(t, 'Everything is down', { [D.services]: [String(service.id)] });
    slack.setPostRateLimit({ perChannelPerSecond: 1, burst: 3 });

    const { view } = await modalOpenedBy(t, () => t.command('update', { channel: i.channel.id }));
    const started = performance.now();
    const res = await t.submitView(view, { [U.impact]: 'All customers', [U.actions]: 'Failing over' });
    const answeredMs = performance.now() - started;
    await waitForOutboxEmpty(t, 60_000);
    const deliveredMs = performance.now() - started;

    expect(res.json.response_action).toBe('update');
    expect(JSON.stringify(res.json.view)).toContain('200 destinations');
    const delivered = updateDeliveries(t);
    expect(delivered).toHaveLength(200);
    expect(new Set(delivered).size).toBe(200);
    expect(delivered).toContain(`${ANNOUNCE_CHANNEL}/thread`);
    process.stdout.write(
      `\n[measure] one update to 200 destinations (postRateLimit 1/s/channel, burst 3, ${database.url ? 'PostgreSQL' : 'PGlite'}): ` +
        `modal answered in ${Math.round(answeredMs)} ms, all delivered in ${Math.round(deliveredMs)} ms, ${slack.rateLimited} rate-limited answers\n`,
    );
  });
});
