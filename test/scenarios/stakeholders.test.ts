import { DECLARE_BLOCKS as D, STAKEHOLDER_BLOCKS as S } from '../../src/slack/ids';
import { startTestHerald, type TestHerald } from '../support/harness';
import { blockOf, declare, dmsTo, modalOpenedBy, postUpdate, saveStakeholders, serviceId, updatesIn, waitForOutboxEmpty } from '../support/flows';

describe('Service stakeholders and subscriptions', () => {
  let t: TestHerald;
  let payTeam: string;

  beforeEach(async () => {
    t = await startTestHerald();
    payTeam = t.slack.addChannel({ name: 'payments-team', members: [t.slack.botUserId] }).id;
  });
  afterEach(async () => {
    await t.stop();
  });

  it('saves a new service’s owner and stakeholders, offers it when declaring, and sends its incidents’ updates to them', async () => {
    const { view, res } = await saveStakeholders(t, 'Payments API', { owner: 'U1', channels: [payTeam], people: ['U4'] });
    expect(JSON.stringify(view.blocks)).toContain('is a new service');
    expect(res.json.response_action).toBe('update');
    expect(JSON.stringify(res.json.view)).toContain('Payments API');
    expect(JSON.stringify(res.json.view)).toContain('appears in the declare form');

    // Opening it again shows what was saved, whatever the capitalisation.
    const again = await modalOpenedBy(t, () => t.command('stakeholders   payments   API'));
    expect(blockOf(again.view, S.owner).element.initial_user).toBe('U1');
    expect(blockOf(again.view, S.channels).element.initial_conversations).toEqual([payTeam]);
    expect(blockOf(again.view, S.people).element.initial_users).toEqual(['U4']);

    const declareModal = await modalOpenedBy(t, () => t.command('declare Checkout down'));
    expect(blockOf(declareModal.view, D.services).element.options.map((o: any) => o.text.text)).toEqual(['Payments API']);

    const incident = await declare(t, 'Checkout down', { [D.services]: [await serviceId(t, 'Payments API')] });
    await postUpdate(t, incident);
    await waitForOutboxEmpty(t);
    expect(updatesIn(t, payTeam)).toHaveLength(1);
    expect(dmsTo(t, 'U4')).toHaveLength(1);
  });

  it('refuses a bot among the stakeholder people, since Slack lets no bot be sent a DM, and saves nothing', async () => {
    t.slack.addUser({ id: 'UROBOT', name: 'robot', is_bot: true });
    const { res } = await saveStakeholders(t, 'Payments API', { people: ['U4', 'UROBOT'] });
    expect(res.json.response_action).toBe('errors');
    expect(res.json.errors[S.people]).toBe('<@UROBOT> is a bot: Slack lets Herald send no DM to a bot. Add its channel instead.');
    expect(await t.db.selectFrom('services').select('id').execute()).toEqual([]);
  });

  it('replaces the list when saved again: people taken off stop getting updates', async () => {
    await saveStakeholders(t, 'Checkout', { channels: [payTeam], people: ['U3', 'U4'] });
    await saveStakeholders(t, 'Checkout', { channels: [], people: ['U3'] });
    const incident = await declare(t, 'Checkout slow', { [D.services]: [await serviceId(t, 'Checkout')] });
    await postUpdate(t, incident);
    await waitForOutboxEmpty(t);
    expect(updatesIn(t, payTeam)).toHaveLength(0);
    expect(dmsTo(t, 'U3')).toHaveLength(1);
    expect(dmsTo(t, 'U4')).toHaveLength(0);
  });

  it('lets only the owner change a service’s list once it has one', async () => {
    await saveStakeholders(t, 'Payments API', { owner: 'U1', people: ['U4'] });
    const { res } = await saveStakeholders(t, 'Payments API', { owner: 'U2', people: [] }, 'U2');
    expect(res.json.response_action).toBe('errors');
    expect(res.json.errors[S.owner]).toMatch(/Only <@U1>, the owner of Payments API/);
    const owner = await t.db.selectFrom('services').select('owner_id').executeTakeFirstOrThrow();
    expect(owner.owner_id).toBe('U1');

    // A deactivated owner does not lock the list forever.
    t.slack.addUser({ id: 'U1', name: 'alice', deleted: true });
    const retry = await saveStakeholders(t, 'Payments API', { owner: 'U2', people: [] }, 'U2');
    expect(retry.res.json.response_action).toBe('update');
  });

  it('warns when Herald is not in a chosen channel, and refuses Herald itself as a stakeholder', async () => {
    const quiet = t.slack.addChannel({ name: 'leadership', members: ['U1'] }).id;
    const { res } = await saveStakeholders(t, 'Search', { channels: [payTeam, quiet] });
    expect(JSON.stringify(res.json.view)).toContain(`Herald is not in <#${quiet}>`);
    expect(JSON.stringify(res.json.view)).not.toContain(`Herald is not in <#${payTeam}>`);

    const bot = await saveStakeholders(t, 'Search', { people: [t.slack.botUserId] });
    expect(bot.res.json.errors[S.people]).toMatch(/Herald itself/);
  });

  it('still warns which channels Herald is not in when the list is long, listing whole mentions and how many more', async () => {
    const channels = Array.from({ length: 100 }, (_, i) => t.slack.addChannel({ name: `stakeholders-${i}`, members: ['U1'] }).id);
    const people = Array.from({ length: 100 }, (_, i) => `U${String(i).padStart(10, '0')}`);
    const { res } = await saveStakeholders(t, 'Search', { channels, people });
    expect(res.json.response_action).toBe('update');
    const text: string = res.json.view.blocks.map((b: any) => b.text?.text ?? '').join('\n');
    expect(text).toContain(`:warning: Herald is not in <#${channels[0]}>`);
    expect(text).toMatch(/Channels: <#C[0-9A-Z]+>(, <#C[0-9A-Z]+>)*, and \d+ more\n/);
    expect(text).toMatch(/People: <@U\d+>(, <@U\d+>)*, and \d+ more\n/);
    expect(text).not.toContain('…');
  });

  it('asks for the service name, with the usage', async () => {
    const res = await t.command('stakeholders');
    expect(res.json.text).toContain('/incident stakeholders <service>');
    expect(t.slack.openedViews()).toHaveLength(0);
  });

  it('subscribes and unsubscribes the caller in an incident channel', async () => {
    const incident = await declare(t, 'Search is down', {});
    const channel = incident.channel.id;
    expect((await t.command('subscribe', { user: 'U5', channel })).json.text).toMatch(/You will get incident #1's status updates by DM/);
    expect((await t.command('subscribe', { user: 'U5', channel })).json.text).toMatch(/already/);
    await postUpdate(t, incident);
    await waitForOutboxEmpty(t);
    expect(dmsTo(t, 'U5')).toHaveLength(1);

    expect((await t.command('unsubscribe', { user: 'U5', channel })).json.text).toMatch(/no longer/);
    expect((await t.command('unsubscribe', { user: 'U5', channel })).json.text).toMatch(/were not subscribed/);
    await postUpdate(t, incident);
    await waitForOutboxEmpty(t);
    expect(dmsTo(t, 'U5')).toHaveLength(1);
  });

  it('says where to subscribe when typed outside an incident channel', async () => {
    const res = await t.command('subscribe', { channel: 'CGENERAL' });
    expect(res.json.text).toMatch(/`\/incident subscribe` works in an incident's own channel/);
  });
});
