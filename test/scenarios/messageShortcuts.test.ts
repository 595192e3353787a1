import { ADD_TO_TIMELINE_BLOCKS, DECLARE_BLOCKS, DECLARE_PRIVATE_OPTION, SHORTCUTS, VIEWS } from '../../src/slack/ids';
import { startTestHerald, waitFor, type TestHerald } from '../support/harness';
import { blockOf, declare, dmsTo, modalOpenedBy } from '../support/flows';

/** The permalink the stand-in gives a message (chat.getPermalink). */
const permalinkOf = (channel: string, ts: string) => `https://stub.slack.com/archives/${channel}/p${ts.replace('.', '')}`;

describe('Message shortcuts: declaring from a message, and adding one to a timeline', () => {
  let t: TestHerald;
  let payTeam: string;

  beforeEach(async () => {
    t = await startTestHerald();
    payTeam = t.slack.addChannel({ name: 'payments-team', members: [t.slack.botUserId, 'U1', 'U2'] }).id;
  });
  afterEach(async () => {
    await t.stop();
  });

  const timelineMessages = (incidentId: number) =>
    t.db.selectFrom('timeline_events').select(['text', 'actor_id', 'data', 'at']).where('incident_id', '=', incidentId).where('kind', '=', 'message').execute();
  const repliesTo = (channel: string, ts: string) => t.slack.messagesIn(channel).filter((m) => m.thread_ts === ts && m.user === t.slack.botUserId);

  it('Declare incident on a message opens the declare modal titled from its first line; the incident links the message and its thread is told once', async () => {
    const message = t.slack.addMessage({
      channel: payTeam,
      user: 'U2',
      text: '> *Checkout* returns 502 for <https://status.example.com|EU customers> &amp; <!here> `cards`\nSeen since 09:40 by <@U3>',
    });
    const { res, view } = await modalOpenedBy(t, () => t.messageShortcut(SHORTCUTS.declare, message), 'the declare modal');
    expect(res.status).toBe(200);
    expect(view.callback_id).toBe(VIEWS.declare);
    expect(blockOf(view, DECLARE_BLOCKS.title).element.initial_value).toBe('Checkout returns 502 for EU customers & cards');
    expect(blockOf(view, DECLARE_BLOCKS.summary).element.initial_value).toContain('Seen since 09:40');

    const submitted = await t.submitView(view, { [DECLARE_BLOCKS.severity]: 'SEV2' });
    expect(submitted.json?.response_action).toBeUndefined();
    // Slack may deliver the same submission twice: still one incident, one reply.
    await t.submitView(view, { [DECLARE_BLOCKS.severity]: 'SEV2' });
    await t.settle();
    await t.settle();

    const incident = await t.db.selectFrom('incidents').selectAll().executeTakeFirstOrThrow();
    expect(incident.title).toBe('Checkout returns 502 for EU customers & cards');
    expect(incident.source_channel_id).toBe(payTeam);
    const link = permalinkOf(payTeam, message.ts);
    // The incident's channel links the message…
    expect(t.slack.channels.get(incident.channel_id!)!.bookmarks).toContainEqual({ title: 'Declared from this message', link });
    // …so does its timeline, with who wrote it…
    const [entry] = await timelineMessages(incident.id);
    expect(entry.data).toMatchObject({ permalink: link, authorId: 'U2', channelId: payTeam, ts: message.ts, source: true });
    expect(entry.at.getTime()).toBe(Math.round(Number(message.ts) * 1000));
    const timeline = await t.command('timeline', { channel: incident.channel_id! });
    expect(JSON.stringify(timeline.json.blocks)).toContain(`<${link}|view> — declared from it by <@U1>`);
    // …and the message's thread is told where the incident is run, once.
    const replies = repliesTo(payTeam, message.ts);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0].blocks)).toContain(`is run in <#${incident.channel_id}>`);
  });

  it('declares from a message Herald cannot see: the incident runs, the timeline keeps the message unlinked, and the declarer is told why the thread heard nothing', async () => {
    const hidden = t.slack.addChannel({ name: 'leadership', is_private: true, members: ['U1', 'U2'] }).id;
    const message = t.slack.addMessage({ channel: hidden, user: 'U2', text: 'Payroll export is leaking' });
    const { view } = await modalOpenedBy(t, () => t.messageShortcut(SHORTCUTS.declare, message), 'the declare modal');
    await t.submitView(view, { [DECLARE_BLOCKS.severity]: 'SEV3' });
    await t.settle();
    const incident = await waitFor(() => t.db.selectFrom('incidents').selectAll().where('channel_id', 'is not', null).executeTakeFirst(), 'the incident');
    const [entry] = await timelineMessages(incident.id);
    expect(entry).toMatchObject({ text: 'Payroll export is leaking' });
    expect(entry.data.permalink).toBeNull();
    expect(t.slack.messagesIn(hidden).filter((m) => m.user === t.slack.botUserId)).toHaveLength(0);
    const notice = await waitFor(() => dmsTo(t, 'U1').find((m) => JSON.stringify(m.blocks).includes('reply in the thread')), 'the declarer’s notice');
    expect(JSON.stringify(notice.blocks)).toContain('Herald could not reply in the thread of the message you declared it from');
  });

  it('opens the modal within the trigger’s 3 seconds even for a message with no text', async () => {
    const message = t.slack.addMessage({ channel: payTeam, user: 'U2', blocks: [{ type: 'divider' }] });
    const { view } = await modalOpenedBy(t, () => t.messageShortcut(SHORTCUTS.declare, message), 'the declare modal');
    expect(blockOf(view, DECLARE_BLOCKS.title).element.initial_value).toBeUndefined();
    expect(t.slack.callsTo('views.open').every((c) => c.ok)).toBe(true);
  });

  it('Add to timeline in an incident’s channel puts the message on that incident’s timeline and says so, once', async () => {
    const incident = await declare(t, 'Checkout down');
    const message = t.slack.addMessage({ channel: incident.channel.id, user: 'U2', text: 'Rolled back the 09:40 deploy' });
    const before = t.slack.responses.length;
    await t.messageShortcut(SHORTCUTS.addToTimeline, message, { user: 'U3' });
    const told = await waitFor(() => t.slack.responses.slice(before).find((r) => JSON.stringify(r.body).includes('timeline')), 'the confirmation');
    expect(told.body).toMatchObject({ response_type: 'ephemeral' });
    expect(told.body.text).toContain(`Added to the timeline of incident *#${incident.number} Checkout down*`);
    const [entry] = await timelineMessages(incident.id);
    expect(entry).toMatchObject({ text: 'Rolled back the 09:40 deploy', actor_id: 'U3' });
    expect(entry.data).toMatchObject({ authorId: 'U2', permalink: permalinkOf(incident.channel.id, message.ts) });

    const again = t.slack.responses.length;
    await t.messageShortcut(SHORTCUTS.addToTimeline, message, { user: 'U3' });
    const second = await waitFor(() => t.slack.responses.slice(again)[0], 'the second answer');
    expect(second.body.text).toContain('already on the timeline');
    expect(await timelineMessages(incident.id)).toHaveLength(1);
  });

  it('Add to timeline elsewhere offers the open incidents the person may see, private ones only to their members', async () => {
    const shared = await declare(t, 'Checkout down');
    const secret = await declare(t, 'Payroll export leaks', { [DECLARE_BLOCKS.options]: [DECLARE_PRIVATE_OPTION], [DECLARE_BLOCKS.commander]: 'U3' }, 'U3');
    const message = t.slack.addMessage({ channel: payTeam, user: 'U2', text: 'Card errors spiking in EU' });

    const chooser = await openedChooser(message, 'U1');
    const offered = blockOf(chooser, ADD_TO_TIMELINE_BLOCKS.incident).element.options.map((o: any) => o.value);
    expect(offered).toEqual([String(shared.id)]);
    expect(offered).not.toContain(String(secret.id));

    const res = await t.submitView(chooser, { [ADD_TO_TIMELINE_BLOCKS.incident]: String(shared.id) });
    expect(res.json.response_action).toBe('update');
    expect(JSON.stringify(res.json.view)).toContain(`Added to the timeline of incident *#${shared.number} Checkout down*`);
    const [entry] = await timelineMessages(shared.id);
    expect(entry.data).toMatchObject({ authorId: 'U2', channelId: payTeam, permalink: permalinkOf(payTeam, message.ts) });

    // A member of the private incident's channel is offered it.
    const forMember = await openedChooser(message, 'U3');
    expect(blockOf(forMember, ADD_TO_TIMELINE_BLOCKS.incident).element.options.map((o: any) => o.value)).toContain(String(secret.id));
    // A choice someone may not see is refused, and nothing is added.
    const forged = await t.submitView(forMember, { [ADD_TO_TIMELINE_BLOCKS.incident]: String(secret.id) }, { user: 'U4' });
    expect(forged.json).toMatchObject({ response_action: 'errors', errors: { [ADD_TO_TIMELINE_BLOCKS.incident]: 'That incident is not one you can add to.' } });
    expect(await timelineMessages(secret.id)).toHaveLength(0);
  });

  it('Add to timeline with no open incident says so plainly', async () => {
    const message = t.slack.addMessage({ channel: payTeam, user: 'U2', text: 'Is checkout down?' });
    const before = t.slack.callsTo('views.update').length;
    await t.messageShortcut(SHORTCUTS.addToTimeline, message);
    await waitFor(() => t.slack.okCallsTo('views.update').length > before, 'the modal to be filled');
    const shown = t.slack.okCallsTo('views.update').at(-1)!.args.view;
    expect(JSON.stringify(shown.blocks)).toContain('There is no open incident you can see to add this message to');
    expect(shown.submit).toBeUndefined();
  });

  /** Uses *Add to timeline* outside any incident channel and returns the choice it fills in. */
  async function openedChooser(message: Parameters<TestHerald['messageShortcut']>[1], user: string) {
    const opened = t.slack.openedViews().length;
    await t.messageShortcut(SHORTCUTS.addToTimeline, message, { user });
    await waitFor(() => t.slack.openedViews().length > opened, 'the loading modal');
    const stored = await waitFor(() => [...t.slack.views.values()].reverse().find((v) => v.user === user && v.view.callback_id === VIEWS.addToTimeline && v.view.blocks.length > 0), 'the choice');
    return { ...stored.view, id: stored.id, hash: stored.hash };
  }
});
