import { DECLARE_BLOCKS as D } from '../../src/slack/ids';
import { declare, dmsTo, waitForOutboxEmpty, type Declared } from '../support/flows';
import { ANNOUNCE_CHANNEL, startTestHerald, waitFor, type TestHerald } from '../support/harness';
import { setStatus } from '../support/reviewHelpers';

/** Herald gives up on a Slack answer after this long here (10 s in production). */
const TIMEOUT_MS = 1_000;
/** Slack answers this late: Herald has given up, yet the call takes effect — before the retry, 1 s after giving up. */
const LATE_MS = 1_500;
/** What a retry reads to find out whether Slack already did what it asked. */
const READS = ['conversations.history', 'conversations.replies', 'conversations.open', 'conversations.info', 'bookmarks.list'];

const MINUTE = 60_000;

describe('Setup, prompts and review messages reach people once, even when Slack’s answer is lost', () => {
  let t: TestHerald;
  /**
   * Herald's clock runs with real time (so retries fall due) but behind it, and jumps ahead when a test
   * needs an update to fall due: a retry looks for its post from when its job was queued, by Herald's clock.
   */
  let offset: number;
  const clock = () => new Date(Date.now() + offset);

  beforeEach(async () => {
    offset = -60 * MINUTE;
    t = await startTestHerald({ slackTimeoutMs: TIMEOUT_MS, clock, env: { UPDATE_CADENCE: 'SEV1=10m,SEV2=30m,SEV3=1h,SEV4=off' } });
  });
  afterEach(async () => {
    await t.stop();
  });

  const summaryCards = (i: Declared) => t.slack.messagesIn(i.channel.id).filter((m) => (m.text ?? '').startsWith(`Incident #${i.number} (`));
  const announcements = (i: Declared) => t.slack.messagesIn(ANNOUNCE_CHANNEL).filter((m) => (m.text ?? '').includes(`incident #${i.number} (`));
  const readyNotices = (i: Declared) => dmsTo(t, 'U1').filter((m) => m.text === `Incident #${i.number} is ready`);
  const readsSince = (since: number) => t.slack.calls.filter((c) => c.at >= since && READS.includes(c.method));
  const postsSince = (since: number) => t.slack.callsTo('chat.postMessage').filter((c) => c.at >= since);
  /** Until every late call has been answered, so what Slack took is in place before the test moves on. */
  const lateCallsAnswered = () => waitFor(() => t.slack.calls.every((c) => c.status !== 0), 'the late answers');

  /** Slack answers the card, the announcement and the declarer's DM after Herald stopped waiting. */
  it('sets up the channel with one card, pinned, one announcement and one DM to the declarer', async () => {
    const since = Date.now();
    t.slack.failNext('chat.postMessage', { delayMs: LATE_MS, times: 3 });
    const i = await declare(t, 'Checkout is down');
    await waitForOutboxEmpty(t, 20_000);

    const cards = summaryCards(i);
    expect(cards).toHaveLength(1);
    expect(i.channel.pins).toEqual([cards[0].ts]);
    expect(announcements(i)).toHaveLength(1);
    expect(readyNotices(i)).toHaveLength(1);
    // Each was posted once: the retries found what Slack had taken and did not post again.
    expect(postsSince(since)).toHaveLength(3);
    const incident = await t.db.selectFrom('incidents').selectAll().where('id', '=', i.id).executeTakeFirstOrThrow();
    expect([incident.card_ts, incident.announcement_ts]).toEqual([cards[0].ts, announcements(i)[0].ts]);
    expect(i.channel.bookmarks).toHaveLength(1);
  });

  it('does not set the topic or add the bookmark again when a retried setup finds them done', async () => {
    t.slack.failNext('conversations.setTopic', { delayMs: LATE_MS });
    t.slack.failNext('bookmarks.add', { delayMs: LATE_MS });
    const i = await declare(t, 'Checkout is down');
    await waitForOutboxEmpty(t, 20_000);

    expect(t.slack.callsTo('conversations.setTopic')).toHaveLength(1);
    expect(i.channel.topic).toContain('SEV1');
    expect(t.slack.callsTo('bookmarks.add')).toHaveLength(1);
    expect(i.channel.bookmarks).toEqual([{ title: 'Announcement', link: expect.any(String) }]);
    // The retry looked instead of acting.
    expect(t.slack.callsTo('conversations.info').map((c) => c.args.channel)).toEqual([i.channel.id]);
    expect(t.slack.callsTo('bookmarks.list').map((c) => c.args.channel_id)).toEqual([i.channel.id]);
    expect(readyNotices(i)).toHaveLength(1);
  });

  it('reads nothing back on a setup that Slack answers in time', async () => {
    const since = Date.now();
    const i = await declare(t, 'Checkout is down');
    await waitForOutboxEmpty(t);
    expect(summaryCards(i)).toHaveLength(1);
    expect(readyNotices(i)).toHaveLength(1);
    expect(readsSince(since)).toEqual([]);
  });

  it('sends the comms lead one prompt when the update falls due', async () => {
    const i = await declare(t, 'Checkout is down', { [D.commander]: 'U2' });
    await waitForOutboxEmpty(t);
    const prompts = () => dmsTo(t, 'U2').filter((m) => /stakeholder update/i.test(m.text ?? ''));
    const since = Date.now();

    t.slack.failNext('chat.postMessage', { delayMs: LATE_MS });
    offset += 10 * MINUTE;
    await t.herald.scheduler.tick(clock());
    await lateCallsAnswered();
    await waitForOutboxEmpty(t);

    expect(prompts()).toHaveLength(1);
    expect(postsSince(since)).toHaveLength(1);
    const [job] = await t.db.selectFrom('outbox').selectAll().where('kind', '=', 'update_prompt').where('incident_id', '=', i.id).execute();
    expect([job.status, job.attempts]).toEqual(['done', 2]);
  });

  it('asks the commander once, in the channel and by DM, for the review of a resolved incident', async () => {
    const i = await declare(t, 'Checkout is down', { [D.commander]: 'U2' });
    await waitForOutboxEmpty(t);
    const since = Date.now();

    // Every post of the resolution (the change note, the announcement reply, the two review prompts) is answered late.
    t.slack.failNext('chat.postMessage', { delayMs: LATE_MS, times: 4 });
    await setStatus(t, i.id, 'resolved', clock());
    await lateCallsAnswered();
    await waitForOutboxEmpty(t, 20_000);

    const reviewPrompts = (messages: Array<{ text?: string }>) => messages.filter((m) => /post-incident review/.test(m.text ?? ''));
    expect(reviewPrompts(t.slack.messagesIn(i.channel.id))).toHaveLength(1);
    expect(reviewPrompts(dmsTo(t, 'U2'))).toHaveLength(1);
    expect(postsSince(since)).toHaveLength(4);
  });
});
