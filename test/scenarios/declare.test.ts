import { DECLARE_BLOCKS as B } from '../../src/slack/ids';
import { ANNOUNCE_CHANNEL, startTestHerald, waitFor, type TestHerald } from '../support/harness';
import { declareIncident, openDeclareModal } from '../support/journeys';

const openDeclare = openDeclareModal;
const declare = (t: TestHerald, title: string, answers: Record<string, unknown> = {}, user = 'U1') =>
  declareIncident(t, title, { [B.summary]: 'Card payments fail with 502', ...answers }, user);

const incidentCount = async (t: TestHerald) => Number((await t.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('Declaring an incident', () => {
  let t: TestHerald;
  const blockIn = (viewId: string, blockId: string) => t.slack.views.get(viewId)!.view.blocks.find((b: any) => b.block_id === blockId);
  beforeEach(async () => {
    t = await startTestHerald();
  });
  afterEach(async () => {
    await t.stop();
  });

  it('opens the declare modal with the title prefilled, every severity described and the declarer as commander', async () => {
    const { view } = await openDeclare(t, 'Checkout is down');
    const title = view.blocks.find((b: any) => b.block_id === B.title);
    expect(title.element.initial_value).toBe('Checkout is down');
    expect(title.element.max_length).toBe(150);
    const severity = view.blocks.find((b: any) => b.block_id === B.severity);
    expect(severity.element.options.map((o: any) => o.value)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    for (const option of severity.element.options) expect(option.description.text.length).toBeGreaterThan(10);
    expect(view.blocks.find((b: any) => b.block_id === B.commander).element.initial_user).toBe('U1');
    expect(view.blocks.find((b: any) => b.block_id === B.options).element.options[0].text.text).toMatch(/private/i);
  });

  it('offers the known services in the modal', async () => {
    await t.db.insertInto('services').values([
      { team_id: t.slack.teamId, name: 'Payments API', name_key: 'payments api' },
      { team_id: t.slack.teamId, name: 'Checkout', name_key: 'checkout' },
    ]).execute();
    const { view } = await openDeclare(t, 'x');
    const services = view.blocks.find((b: any) => b.block_id === B.services);
    expect(services.optional).toBe(true);
    expect(services.element.options.map((o: any) => o.text.text)).toEqual(['Checkout', 'Payments API']);
  });

  it('creates the channel with the right people, a pinned live summary, an announcement and tells the declarer where to go', async () => {
    const [service] = await t.db.insertInto('services').values({ team_id: t.slack.teamId, name: 'Payments API', name_key: 'payments api' }).returning('id').execute();
    const { res } = await declare(t, 'Checkout is down', { [B.commander]: 'U2', [B.services]: [String(service.id)] });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');

    const channel = t.slack.channelByName('inc-1-checkout-is-down')!;
    expect(channel).toBeDefined();
    expect(channel.is_private).toBe(false);
    expect([...channel.members]).toEqual(expect.arrayContaining(['U1', 'U2']));
    expect(channel.topic).toContain('SEV1');
    expect(channel.topic).toContain('Investigating');
    expect(channel.topic).toContain('<@U2>');

    const [card] = t.slack.messagesIn(channel.id);
    expect(channel.pins).toEqual([card.ts]);
    const cardText = JSON.stringify(card.blocks);
    for (const expected of ['Checkout is down', 'SEV1', 'Investigating', '<@U2>', 'Payments API', 'Card payments fail with 502', '<!date^']) {
      expect(cardText).toContain(expected);
    }
    expect(card.blocks!.some((b: any) => b.type === 'actions' && b.elements.length >= 3)).toBe(true);

    const [announcement] = t.slack.messagesIn(ANNOUNCE_CHANNEL);
    expect(JSON.stringify(announcement.blocks)).toContain(`<#${channel.id}>`);
    expect(JSON.stringify(announcement.blocks)).toContain('Checkout is down');
    expect(channel.bookmarks).toEqual([{ title: 'Announcement', link: expect.stringContaining(announcement.ts.replace('.', '')) }]);

    const dm = t.slack.messages.find((m) => m.channel.startsWith('D') && JSON.stringify(m.blocks).includes(`<#${channel.id}>`));
    expect(dm).toBeDefined();
    expect(t.slack.okCallsTo('conversations.open').length + t.slack.messages.filter((m) => m.channel.startsWith('D')).length).toBeGreaterThan(0);

    const row = await t.db.selectFrom('incidents').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ number: 1, severity: 'SEV1', status: 'investigating', commander_id: 'U2', declared_by: 'U1', channel_id: channel.id });
  });

  it('looks up a commander when picked in the modal, so the submission declares without asking Slack again', async () => {
    const { view } = await openDeclare(t, 'Checkout is down');
    const picked = await t.pickUser(view.id, B.commander, 'U2');
    expect(picked.status).toBe(200);
    await waitFor(() => t.slack.calls.some((c) => c.method === 'users.info' && c.args.user === 'U2' && c.ok), 'the pick looked up');

    const submittedAt = Date.now();
    const { res } = await declare(t, 'Checkout is down', { [B.commander]: 'U2' });
    expect(res.text).toBe('');
    expect(t.slack.calls.filter((c) => c.method === 'users.info' && c.at >= submittedAt)).toEqual([]);
    // A person who can lead leaves the modal as it was.
    expect(t.slack.calls.filter((c) => c.method === 'views.update')).toEqual([]);
    const row = await t.db.selectFrom('incidents').select(['commander_id']).executeTakeFirstOrThrow();
    expect(row.commander_id).toBe('U2');
    expect([...t.slack.channelByName('inc-1-checkout-is-down')!.members]).toContain('U2');
  });

  it('shows under the commander field at once that a bot was picked, and still refuses it on submission', async () => {
    t.slack.addUser({ id: 'UROBOT', name: 'robot', is_bot: true });
    const { view } = await openDeclare(t, 'Checkout is down');
    const commanderHint = () => blockIn(view.id, B.commander).hint.text;
    const usualHint = commanderHint();
    const blockIds = t.slack.views.get(view.id)!.view.blocks.map((b: any) => b.block_id);

    expect((await t.pickUser(view.id, B.commander, 'UROBOT')).status).toBe(200);
    await waitFor(() => commanderHint() !== usualHint, 'the hint under the commander field');
    expect(commanderHint()).toBe('That is a bot — choose a person as the commander.');
    // Same blocks, same ids: Slack keeps what was typed in the other fields.
    expect(t.slack.views.get(view.id)!.view.blocks.map((b: any) => b.block_id)).toEqual(blockIds);
    expect(blockIn(view.id, B.title).element.initial_value).toBe('Checkout is down');

    const stored = t.slack.views.get(view.id)!;
    const res = await t.submitView({ ...stored.view, id: stored.id, hash: stored.hash }, { [B.severity]: 'SEV1', [B.commander]: 'UROBOT' });
    expect(res.json).toEqual({ response_action: 'errors', errors: { [B.commander]: 'That is a bot — choose a person as the commander.' } });
    expect(await incidentCount(t)).toBe(0);

    // Picking a person then puts the usual hint back.
    await t.pickUser(view.id, B.commander, 'U2');
    await waitFor(() => commanderHint() === usualHint, 'the usual hint back');
  });

  it('keeps the announcement’s Join link however many services the incident has, listing as many whole names as fit', async () => {
    // Sixty services with long names, one with an ampersand: together far past a section's 3,000 characters.
    const names = Array.from({ length: 60 }, (_, i) => `Service ${String(i + 1).padStart(2, '0')} & partners — a rather long name for a service`);
    const services = await t.db.insertInto('services').values(names.map((name) => ({ team_id: t.slack.teamId, name, name_key: name.toLowerCase() }))).returning('id').execute();
    await declare(t, 'Everything is slow', { [B.services]: services.map((r) => String(r.id)) });
    await t.settle();
    const channel = await waitFor(() => t.slack.channelByName('inc-1-everything-is-slow'), 'the incident channel');
    const [announcement] = await waitFor(() => (t.slack.messagesIn(ANNOUNCE_CHANNEL).length > 0 ? t.slack.messagesIn(ANNOUNCE_CHANNEL) : null), 'the announcement');
    const text: string = announcement.blocks![0].text.text;
    expect(text).toContain(`*Join:* <#${channel.id}>`);
    expect(text).toMatch(/Service 01 &amp; partners.*, and \d+ more\n/);
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });

  it('numbers incidents one after another within the workspace', async () => {
    await declare(t, 'First');
    await declare(t, 'Second');
    expect(t.slack.channelByName('inc-1-first')).toBeDefined();
    expect(t.slack.channelByName('inc-2-second')).toBeDefined();
  });

  it('makes one incident and one channel when the same submission arrives twice', async () => {
    const { view } = await openDeclare(t, 'Double click');
    const answers = { [B.severity]: 'SEV2' };
    const [a, b] = await Promise.all([t.submitView(view, answers), t.submitView(view, answers)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await t.submitView(view, answers);
    await t.settle();
    expect(await incidentCount(t)).toBe(1);
    expect(t.slack.okCallsTo('conversations.create')).toHaveLength(1);
    expect(t.slack.messagesIn(ANNOUNCE_CHANNEL)).toHaveLength(1);
  });

  it('picks a free name when the channel name is taken by someone else', async () => {
    t.slack.addChannel({ name: 'inc-1-db-latency', creator: 'U3' });
    await declare(t, 'DB latency');
    const channel = t.slack.channelByName('inc-1-db-latency-2');
    expect(channel).toBeDefined();
    const row = await t.db.selectFrom('incidents').select(['channel_id', 'channel_name']).executeTakeFirstOrThrow();
    expect(row).toEqual({ channel_id: channel!.id, channel_name: 'inc-1-db-latency-2' });
  });

  it('adopts the channel an earlier attempt created when Slack’s answer was lost, instead of making a second', async () => {
    // Slack made the channel but the answer never reached Herald: the next attempt finds it by name.
    t.slack.addChannel({ name: 'inc-1-lost-answer', creator: t.slack.botUserId, members: [t.slack.botUserId] });
    t.slack.failNext('conversations.create', { status: 500 });
    await declare(t, 'Lost answer');
    await new Promise((r) => setTimeout(r, 1100));
    await t.settle();
    const created = t.slack.okCallsTo('conversations.create');
    expect(created).toHaveLength(0);
    const row = await t.db.selectFrom('incidents').select(['channel_id']).executeTakeFirstOrThrow();
    expect(row.channel_id).toBe(t.slack.channelByName('inc-1-lost-answer')!.id);
    expect(t.slack.messagesIn(row.channel_id!)).toHaveLength(1);
  });

  it('keeps the incident and finishes the setup later when Slack rate-limits part-way', async () => {
    t.slack.failNext('chat.postMessage', { retryAfter: 1, times: 2 });
    const { res } = await declare(t, 'Rate limited');
    expect(res.status).toBe(200);
    expect(await incidentCount(t)).toBe(1);
    // Retry-After is honoured: the dispatcher wakes itself once it has passed.
    await new Promise((r) => setTimeout(r, 2500));
    await t.settle();
    const channel = t.slack.channelByName('inc-1-rate-limited')!;
    expect(t.slack.okCallsTo('conversations.create')).toHaveLength(1);
    expect(t.slack.messagesIn(channel.id)).toHaveLength(1);
    expect(channel.pins).toHaveLength(1);
    expect(t.slack.messagesIn(ANNOUNCE_CHANNEL)).toHaveLength(1);
  });

  it('tells the declarer in plain words what it could not do', async () => {
    // With chat:write.public Herald posts in any public channel; a private one it was removed from refuses.
    const announce = t.slack.channels.get(ANNOUNCE_CHANNEL)!;
    announce.is_private = true;
    announce.members.delete(t.slack.botUserId);
    await declare(t, 'Announce fails');
    const channel = t.slack.channelByName('inc-1-announce-fails')!;
    expect(t.slack.messagesIn(channel.id)).toHaveLength(1);
    const dm = t.slack.messages.find((m) => m.channel.startsWith('D'))!;
    expect(JSON.stringify(dm.blocks)).toContain('could not post the announcement');
    expect(JSON.stringify(dm.blocks)).toContain('invite @Herald');
  });

  it('makes a private incident: private channel, no announcement', async () => {
    await declare(t, 'Security issue', { [B.options]: ['private'] });
    const channel = t.slack.channelByName('inc-1-security-issue')!;
    expect(channel.is_private).toBe(true);
    expect(t.slack.messagesIn(ANNOUNCE_CHANNEL)).toHaveLength(0);
    expect(channel.bookmarks).toHaveLength(0);
  });

  it.each([
    ['a title that is too short', { [B.title]: 'ab' }, B.title, /at least 3/],
    ['no severity', { [B.severity]: null }, B.severity, /Choose a severity/],
    ['a bot as commander', { [B.commander]: 'UBOT' }, B.commander, /person/],
  ])('answers %s with a field error and stores nothing', async (_label, answers, block, message) => {
    const { view } = await openDeclare(t, 'Broken');
    const res = await t.submitView(view, { [B.severity]: 'SEV3', ...answers });
    expect(res.status).toBe(200);
    expect(res.json.response_action).toBe('errors');
    expect(res.json.errors[block]).toMatch(message);
    await t.settle();
    expect(await incidentCount(t)).toBe(0);
    expect(t.slack.callsTo('conversations.create')).toHaveLength(0);
  });
});
