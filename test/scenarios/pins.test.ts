import { waitFor, type TestHerald } from '../support/harness';
import { inChannel, startWithIncident, type RunningIncident } from '../support/running';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Pinning messages to the timeline with 📌', () => {
  let t: TestHerald;
  let incident: RunningIncident;
  beforeEach(async () => {
    ({ t, incident } = await startWithIncident());
  });
  afterEach(async () => {
    await t.stop();
  });

  const reaction = (channel: string, ts: string, user = 'U2', name = 'pushpin') => ({
    type: 'reaction_added',
    user,
    reaction: name,
    item_user: 'U1',
    item: { type: 'message', channel, ts },
  });
  const pinned = () => t.db.selectFrom('timeline_events').selectAll().where('kind', '=', 'pinned').execute();
  const processed = async () => (await t.db.selectFrom('processed_events').select('event_id').execute()).map((r) => r.event_id);

  /** Lets listeners that run after Bolt's acknowledgement finish, then the outbox. */
  async function afterDelivery(): Promise<void> {
    await pause(150);
    await t.settle();
  }

  it('adds the message with its author, text and link to the timeline, shown by /incident timeline', async () => {
    const message = t.slack.addMessage({ channel: incident.channel, user: 'U1', text: 'Error rate back to 0.1% after rollback' });
    const res = await t.event(reaction(incident.channel, message.ts));
    expect(res.status).toBe(200);
    await waitFor(async () => (await processed()).length === 1, 'the event to be handled');
    await afterDelivery();

    const [entry] = await pinned();
    expect(entry).toMatchObject({ actor_id: 'U2', text: 'Error rate back to 0.1% after rollback' });
    expect(entry.data).toMatchObject({ authorId: 'U1', permalink: expect.stringContaining(message.ts.replace('.', '')) });
    expect(entry.at.getTime()).toBe(Math.round(Number(message.ts) * 1000));

    const timeline = await inChannel(t, incident, 'timeline', 'U2');
    const text = JSON.stringify(timeline.json.blocks);
    expect(text).toContain(':pushpin: <@U1>: Error rate back to 0.1% after rollback');
    expect(text).toContain('|view> — pinned by <@U2>');
  });

  it('handles Slack’s retries of one event once, and a second 📌 on the same message adds nothing', async () => {
    const message = t.slack.addMessage({ channel: incident.channel, user: 'U1', text: 'Found it: the cache TTL' });
    const event = reaction(incident.channel, message.ts);
    await t.event(event, { eventId: 'Ev0PIN1' });
    await waitFor(async () => (await processed()).includes('Ev0PIN1'), 'the event to be handled');
    const retries = await Promise.all([t.event(event, { eventId: 'Ev0PIN1', retryNum: 1 }), t.event(event, { eventId: 'Ev0PIN1', retryNum: 2 })]);
    expect(retries.map((r) => r.status)).toEqual([200, 200]);
    await t.event(reaction(incident.channel, message.ts, 'U1'), { eventId: 'Ev0PIN2' });
    await waitFor(async () => (await processed()).includes('Ev0PIN2'), 'the second 📌');
    await afterDelivery();

    expect(await pinned()).toHaveLength(1);
    expect((await processed()).sort()).toEqual(['Ev0PIN1', 'Ev0PIN2']);
    expect(t.slack.okCallsTo('conversations.history')).toHaveLength(1);
    expect(await t.db.selectFrom('outbox').select('id').where('kind', '=', 'pin_message').execute()).toHaveLength(1);
  });

  it('finds a message written in a thread', async () => {
    const parent = t.slack.addMessage({ channel: incident.channel, user: 'U1', text: 'Thread for the DB' });
    const reply = t.slack.addMessage({ channel: incident.channel, user: 'U2', text: 'Replica lag is 40s', thread_ts: parent.ts });
    await t.event(reaction(incident.channel, reply.ts, 'U1'));
    await waitFor(async () => (await processed()).length === 1, 'the event to be handled');
    await afterDelivery();
    const [entry] = await pinned();
    expect(entry).toMatchObject({ text: 'Replica lag is 40s', data: expect.objectContaining({ authorId: 'U2' }) });
  });

  it('ignores 📌 outside incident channels, and other reactions, without asking Slack or recording anything', async () => {
    const elsewhere = t.slack.addChannel({ name: 'random', members: [t.slack.botUserId, 'U1'] });
    const there = t.slack.addMessage({ channel: elsewhere.id, user: 'U1', text: 'lunch?' });
    const here = t.slack.addMessage({ channel: incident.channel, user: 'U1', text: 'nice' });
    const calls = t.slack.calls.length;
    await t.event(reaction(elsewhere.id, there.ts));
    await t.event(reaction(incident.channel, here.ts, 'U2', 'thumbsup'));
    await afterDelivery();
    expect(await processed()).toEqual([]);
    expect(await pinned()).toEqual([]);
    expect(t.slack.calls.slice(calls)).toEqual([]);
  });

  it('skips a message deleted before Herald could read it', async () => {
    await t.event(reaction(incident.channel, '1700000000.000100'));
    await waitFor(async () => (await processed()).length === 1, 'the event to be handled');
    await afterDelivery();
    expect(await pinned()).toEqual([]);
    const [job] = await t.db.selectFrom('outbox').selectAll().where('kind', '=', 'pin_message').execute();
    expect(job).toMatchObject({ status: 'done', result: { skipped: 'message_not_found' } });
  });

  it('refuses an unsigned event', async () => {
    const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev0FORGED', event: reaction(incident.channel, '1.000100') });
    const res = await t.post(body, 'application/json', { signature: 'v0=forged' });
    expect(res.status).toBe(401);
    await afterDelivery();
    expect(await processed()).toEqual([]);
  });
});
