import { DECLARE_BLOCKS as D } from '../../src/slack/ids';
import { declare, dmOf, dmsTo, postUpdate, saveStakeholders, serviceId, updateDeliveries, waitForOutboxEmpty, type Declared } from '../support/flows';
import { ANNOUNCE_CHANNEL, startTestHerald, type TestHerald } from '../support/harness';

/** Herald gives up on a Slack answer after this long here (10 s in production). */
const TIMEOUT_MS = 1_000;
/** Slack answers this late: Herald has given up, yet the message is posted — before the retry, 1 s after giving up. */
const LATE_MS = 1_500;
/** What a lookup for a lost post reads. */
const READS = ['conversations.history', 'conversations.replies', 'conversations.open'];

describe('A status update reaches each stakeholder once, even when Slack’s answer is lost', () => {
  let t: TestHerald;
  let payTeam: string;

  beforeEach(async () => {
    t = await startTestHerald({ slackTimeoutMs: TIMEOUT_MS });
    payTeam = t.slack.addChannel({ name: 'payments-team', members: [t.slack.botUserId] }).id;
  });
  afterEach(async () => {
    await t.stop();
  });

  /** Payments API has a stakeholder channel and a stakeholder person (U3); an incident is declared on it. */
  async function incident(): Promise<Declared> {
    await saveStakeholders(t, 'Payments API', { channels: [payTeam], people: ['U3'] });
    return declare(t, 'Checkout is down', { [D.services]: [await serviceId(t, 'Payments API')] });
  }

  /** The incident channel, the announcement thread, the stakeholder channel and U3's DM: once each. */
  function expectEachDestinationOnce(i: Declared) {
    expect(updateDeliveries(t)).toEqual([i.channel.id, `${ANNOUNCE_CHANNEL}/thread`, payTeam, dmOf(t, 'U3')].sort());
  }

  const receipts = () => dmsTo(t, 'U1').filter((m) => (m.text ?? '').includes('reached'));
  const readsSince = (since: number) => t.slack.calls.filter((c) => c.at >= since && READS.includes(c.method));
  const jobs = () =>
    t.db.selectFrom('outbox').selectAll().where('kind', 'in', ['update_delivery', 'update_receipt']).orderBy('id').execute();

  it('goes out in one post per destination, with no history read, when Slack answers in time', async () => {
    const i = await incident();
    const since = Date.now();
    await postUpdate(t, i);
    await waitForOutboxEmpty(t);

    expectEachDestinationOnce(i);
    expect(receipts().map((m) => m.text)).toEqual([expect.stringContaining('reached all 4 destinations')]);
    expect(readsSince(since)).toEqual([]);
    expect(t.slack.okCallsTo('chat.postMessage').filter((c) => c.at >= since)).toHaveLength(5);
  });

  it('finds the posts Slack took but answered too late, in channels, the thread and DMs, instead of posting again', async () => {
    const i = await incident();
    const since = Date.now();
    // The four deliveries, then the author's receipt: each taken by Slack after Herald stopped waiting.
    t.slack.failNext('chat.postMessage', { delayMs: LATE_MS, times: 5 });
    await postUpdate(t, i);
    await waitForOutboxEmpty(t, 20_000);

    expectEachDestinationOnce(i);
    expect(receipts().map((m) => m.text)).toEqual([expect.stringContaining('reached all 4 destinations')]);
    // Every post went once: the retries adopted what Slack had, they did not post.
    expect(t.slack.callsTo('chat.postMessage').filter((c) => c.at >= since)).toHaveLength(5);
    const rows = await jobs();
    expect(rows.map((r) => [r.status, r.attempts, r.last_error])).toEqual(Array(5).fill(['done', 2, null]));
    // Each delivery recorded the message it found, so the record points at what people see.
    for (const row of rows.filter((r) => r.kind === 'update_delivery')) {
      const { channel, ts } = row.result as { channel: string; ts: string };
      expect(t.slack.messagesIn(channel).map((m) => m.ts)).toContain(ts);
    }
    const reads = readsSince(since);
    expect(new Set(reads.filter((c) => c.method === 'conversations.history').map((c) => c.args.channel))).toEqual(
      new Set([i.channel.id, payTeam, dmOf(t, 'U3'), dmOf(t, 'U1')]),
    );
    expect(reads.filter((c) => c.method === 'conversations.replies').map((c) => c.args.channel)).toEqual([ANNOUNCE_CHANNEL]);
    expect(reads.filter((c) => c.method === 'conversations.open').map((c) => c.args.users).sort()).toEqual(['U1', 'U3']);
  });

  it('does not send a delivery or the receipt again when Herald died after Slack took them', async () => {
    const i = await incident();
    await postUpdate(t, i);
    await waitForOutboxEmpty(t);
    expect(receipts()).toHaveLength(1);

    // As if the replica died between Slack's answers and recording them: the rows are due again.
    await t.db
      .updateTable('outbox')
      .set({ status: 'pending', done_at: null, result: null, next_attempt_at: new Date(0) })
      .where('kind', 'in', ['update_delivery', 'update_receipt'])
      .where('destination', 'in', [payTeam, 'U3', 'U1'])
      .execute();
    const since = Date.now();
    await waitForOutboxEmpty(t);

    expectEachDestinationOnce(i);
    expect(receipts()).toHaveLength(1);
    expect(t.slack.callsTo('chat.postMessage').filter((c) => c.at >= since)).toEqual([]);
    expect(readsSince(since).filter((c) => c.method === 'conversations.history').map((c) => c.args.channel).sort()).toEqual(
      [payTeam, dmOf(t, 'U3'), dmOf(t, 'U1')].sort(),
    );
  });

  it('posts on the retry when Slack never took the first attempt', async () => {
    const i = await incident();
    const since = Date.now();
    t.slack.failNext('chat.postMessage', { status: 500, times: 4 });
    await postUpdate(t, i);
    await waitForOutboxEmpty(t);

    expectEachDestinationOnce(i);
    expect(readsSince(since).length).toBeGreaterThan(0);
    expect(receipts().map((m) => m.text)).toEqual([expect.stringContaining('reached all 4 destinations')]);
  });
});
