import { DECLARE_BLOCKS as B } from '../../src/slack/ids';
import { startTestHerald, waitFor, type TestHerald } from '../support/harness';
import { openDeclareModal } from '../support/journeys';
import { startSlackStub } from '../support/slackStub';

/**
 * Slack's Tier 2 methods (conversations.create, setTopic, pins.add, bookmarks.add) allow about 20 calls
 * a minute per workspace. Here the stand-in's workspace allows 2 a second, and pins.add 1 a second, so a
 * handful of incidents declared together is a storm, and Retry-After stays at 1 second instead of minutes.
 * Pins are wanted as fast as channels are made (2 a second) but granted half as fast, so some pin
 * must be refused whatever the machine's speed.
 */
const TIER_2_IN_SETUP = ['conversations.create', 'conversations.setTopic', 'conversations.setPurpose', 'pins.add', 'bookmarks.add'];
const INCIDENTS = 6;

describe('Declaring several incidents at once while Slack rate-limits channel set-up', () => {
  let t: TestHerald;
  beforeEach(async () => {
    const slack = await startSlackStub({
      methodRateLimits: { windowMs: 1000, perWindow: { ...Object.fromEntries(TIER_2_IN_SETUP.map((m) => [m, 2])), 'pins.add': 1 } },
    });
    t = await startTestHerald({ slack });
  });
  afterEach(async () => {
    await t.stop();
    await t.slack.close();
  });

  it('gives every incident exactly one channel and one pinned card once Slack lets the calls through', async () => {
    const titles = Array.from({ length: INCIDENTS }, (_, n) => `Outage ${n + 1}`);
    const modals = [];
    for (const title of titles) modals.push((await openDeclareModal(t, title)).view);
    const answers = await Promise.all(modals.map((view) => t.submitView(view, { [B.severity]: 'SEV2' })));
    expect(answers.map((a) => a.status)).toEqual(Array(INCIDENTS).fill(200));

    const setUp = async () => {
      const rows = await t.db.selectFrom('incidents').select(['number', 'title', 'channel_id', 'card_ts']).orderBy('number').execute();
      return rows.length === INCIDENTS && rows.every((r) => r.channel_id && t.slack.channels.get(r.channel_id)?.pins.length) ? rows : undefined;
    };
    // Herald retries after each Retry-After by itself; nothing here nudges it.
    const rows = await waitFor(setUp, 'every incident to have its channel and pinned card', 20_000);

    // The storm happened: Slack refused both the channel creations and the pins at least once…
    expect(t.slack.rateLimitedTo('conversations.create')).toBeGreaterThan(0);
    expect(t.slack.rateLimitedTo('pins.add')).toBeGreaterThan(0);
    // …and still each incident has one channel, named for it, with its card posted once and pinned once.
    expect(t.slack.okCallsTo('conversations.create')).toHaveLength(INCIDENTS);
    expect(rows.map((r) => r.title).sort()).toEqual(titles);
    for (const r of rows) expect(t.slack.channels.get(r.channel_id!)!.name).toBe(`inc-${r.number}-${r.title.toLowerCase().replace(' ', '-')}`);
    for (const row of rows) {
      const channel = t.slack.channels.get(row.channel_id!)!;
      expect(t.slack.messagesIn(channel.id).map((m) => m.ts)).toEqual([row.card_ts]);
      expect(channel.pins).toEqual([row.card_ts]);
    }
    expect(t.slack.okCallsTo('pins.add')).toHaveLength(INCIDENTS);
  });
});
