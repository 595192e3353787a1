import { DECLARE_BLOCKS as D, UPDATE_BLOCKS as U, CARD_ACTIONS } from '../../src/slack/ids';
import { ANNOUNCE_CHANNEL, startTestHerald, waitFor, type TestHerald } from '../support/harness';
import {
  blockOf,
  declare,
  dmsTo,
  modalOpenedBy,
  postUpdate,
  saveStakeholders,
  serviceId,
  updateDeliveries,
  updatesIn,
  UPDATE_TEXT,
  waitForOutboxEmpty,
  type Declared,
} from '../support/flows';

describe('Posting a status update', () => {
  let t: TestHerald;
  let payTeam: string;
  let support: string;

  beforeEach(async () => {
    t = await startTestHerald();
    payTeam = t.slack.addChannel({ name: 'payments-team', members: [t.slack.botUserId, 'U1'] }).id;
    support = t.slack.addChannel({ name: 'support', members: [t.slack.botUserId] }).id;
  });
  afterEach(async () => {
    await t.stop();
  });

  /** Payments API with two stakeholder channels and two people; a SEV1 declared on it. */
  async function incidentWithStakeholders(extra: Record<string, unknown> = {}): Promise<Declared> {
    await saveStakeholders(t, 'Payments API', { owner: 'U1', channels: [payTeam, support], people: ['U3', 'U4'] });
    return declare(t, 'Checkout is down', { [D.services]: [await serviceId(t, 'Payments API')], [D.commander]: 'U2', ...extra });
  }

  it('reaches the channel, the announcement thread, every stakeholder channel and every stakeholder and subscriber by DM — once each', async () => {
    const incident = await incidentWithStakeholders();
    // U4 is a stakeholder and also subscribes: one DM, not two. U5 only subscribes.
    for (const user of ['U4', 'U5']) {
      t.slack.channels.get(incident.channel.id)!.members.add(user);
      expect((await t.command('subscribe', { user, channel: incident.channel.id })).json.text).toMatch(/by DM/);
    }

    const { res } = await postUpdate(t, incident, { [U.status]: 'identified', [U.next]: '30m' });
    expect(res.status).toBe(200);
    expect(res.json.response_action).toBe('update');
    expect(JSON.stringify(res.json.view)).toContain('7 destinations');
    await waitForOutboxEmpty(t);
    await t.settle();

    const [announcement] = t.slack.messagesIn(ANNOUNCE_CHANNEL);
    const dm = (u: string) => t.slack.channels.get([...t.slack.channels.values()].find((c) => c.is_im && c.user === u)!.id)!.id;
    expect(updateDeliveries(t)).toEqual(
      [incident.channel.id, `${ANNOUNCE_CHANNEL}/thread`, payTeam, support, dm('U3'), dm('U4'), dm('U5')].sort(),
    );
    const reply = updatesIn(t, ANNOUNCE_CHANNEL)[0];
    expect(reply.thread_ts).toBe(announcement.ts);

    // Written for someone who was not in the room: which incident, how bad, impact, actions, when next, where.
    const stakeholderCopy = JSON.stringify(updatesIn(t, payTeam)[0].blocks);
    for (const expected of ['Checkout is down', 'SEV1', 'Identified', 'Payments API', UPDATE_TEXT.impact, UPDATE_TEXT.actions, 'Next update', `<#${incident.channel.id}>`, 'stakeholder of Payments API']) {
      expect(stakeholderCopy).toContain(expected);
    }
    expect(JSON.stringify(updatesIn(t, dm('U5'))[0].blocks)).toContain('/incident unsubscribe');

    // The author hears back once everything is settled.
    const receipt = await waitFor(() => dmsTo(t, 'U1').find((m) => (m.text ?? '').includes('reached')), 'the delivery receipt');
    expect(receipt.text).toContain('reached all 7 destinations');

    // Running the outbox again changes nothing.
    await t.settle();
    expect(updateDeliveries(t)).toHaveLength(7);
  });

  it('applies the status chosen in the modal to the incident, in the same step as the update', async () => {
    const incident = await incidentWithStakeholders();
    await postUpdate(t, incident, { [U.status]: 'monitoring' });
    const row = await t.db.selectFrom('incidents').select(['status', 'mitigated_at']).where('id', '=', incident.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('monitoring');
    expect(row.mitigated_at).not.toBeNull();
    const kinds = (await t.db.selectFrom('timeline_events').select('kind').where('incident_id', '=', incident.id).orderBy('id').execute()).map((r) => r.kind);
    expect(kinds).toEqual(['declared', 'status', 'update']);
    const changed = await t.db.selectFrom('outbox').select('kind').where('kind', '=', 'incident_changed').execute();
    expect(changed).toHaveLength(1);
  });

  it('opens from the card’s “Post update” button with the severity’s cadence as the next update and the last update’s words', async () => {
    const incident = await incidentWithStakeholders();
    await postUpdate(t, incident);
    const { view } = await modalOpenedBy(t, () => t.clickButton(CARD_ACTIONS.update, String(incident.id), { user: 'U2', channel: incident.channel.id }));
    expect(blockOf(view, U.next).element.initial_option.value).toBe('15m');
    // A SEV1 always has a next update due: there is no "No set time".
    expect(blockOf(view, U.next).element.options.map((o: any) => o.value)).not.toContain('none');
    expect(blockOf(view, U.impact).element.initial_value).toBe(UPDATE_TEXT.impact);
    expect(JSON.stringify(view.blocks)).toContain('2 stakeholder channels');
  });

  it('makes one update of a modal submitted twice', async () => {
    const incident = await incidentWithStakeholders();
    const { view } = await modalOpenedBy(t, () => t.command('update', { channel: incident.channel.id }));
    const answers = { [U.impact]: 'Slow checkout', [U.actions]: 'Scaling up' };
    const [a, b] = await Promise.all([t.submitView(view, answers), t.submitView(view, answers)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await t.submitView(view, answers);
    await waitForOutboxEmpty(t);
    expect(await t.db.selectFrom('status_updates').select('id').execute()).toHaveLength(1);
    expect(updateDeliveries(t)).toHaveLength(6);
  });

  it('keeps a private incident’s update among the members of its channel', async () => {
    const incident = await incidentWithStakeholders({ [D.options]: ['private'] });
    // U3 is a stakeholder and a member of the private channel; U4 is a stakeholder but not a member.
    t.slack.channels.get(incident.channel.id)!.members.add('U3');
    await postUpdate(t, incident);
    await waitForOutboxEmpty(t);
    expect(updatesIn(t, payTeam)).toHaveLength(0);
    expect(updatesIn(t, support)).toHaveLength(0);
    expect(updatesIn(t, ANNOUNCE_CHANNEL)).toHaveLength(0);
    expect(updatesIn(t, incident.channel.id)).toHaveLength(1);
    expect(dmsTo(t, 'U3').filter((m) => JSON.stringify(m.blocks).includes('Update on incident'))).toHaveLength(1);
    expect(dmsTo(t, 'U4')).toHaveLength(0);
  });

  it('tells the author which destinations it could not reach, and why', async () => {
    const incident = await incidentWithStakeholders();
    // A private stakeholder channel Herald was removed from (public ones take its posts without it joining).
    t.slack.channels.get(support)!.is_private = true;
    t.slack.channels.get(support)!.members.delete(t.slack.botUserId);
    await postUpdate(t, incident);
    await waitForOutboxEmpty(t);
    const receipt = await waitFor(() => dmsTo(t, 'U1').find((m) => (m.text ?? '').includes('reached')), 'the delivery receipt');
    expect(receipt.text).toContain('reached 5 of 6 destinations');
    expect(JSON.stringify(receipt.blocks)).toContain(`<#${support}>`);
    expect(JSON.stringify(receipt.blocks)).toContain('invite @Herald');
    const failed = await t.db.selectFrom('outbox').select(['status', 'last_error', 'attempts']).where('destination', '=', support).executeTakeFirstOrThrow();
    expect(failed).toEqual({ status: 'failed', last_error: 'channel_not_found', attempts: 1 });
  });

  it.each([
    ['no customer impact', { [U.impact]: '   ' }, U.impact, /customers notice/],
    ['no actions', { [U.actions]: '' }, U.actions, /team is doing/],
  ])('answers %s with a field error and sends nothing', async (_label, answers, block, message) => {
    const incident = await incidentWithStakeholders();
    const { res } = await postUpdate(t, incident, answers);
    expect(res.json.response_action).toBe('errors');
    expect(res.json.errors[block]).toMatch(message);
    await t.settle();
    expect(await t.db.selectFrom('status_updates').select('id').execute()).toHaveLength(0);
    expect(updateDeliveries(t)).toHaveLength(0);
  });

  it('lets only the incident’s roles and the people in its channel post', async () => {
    const incident = await incidentWithStakeholders();
    const { view } = await modalOpenedBy(t, () => t.clickButton(CARD_ACTIONS.update, String(incident.id), { user: 'U5', channel: incident.channel.id }));
    const res = await t.submitView(view, { [U.impact]: 'x', [U.actions]: 'y' }, { user: 'U5' });
    expect(res.json.errors[U.status]).toMatch(/roles and the people in its channel/);
    expect(await t.db.selectFrom('status_updates').select('id').execute()).toHaveLength(0);
  });

  it('after resolving offers only reopening, and refuses a form opened before that would move it back', async () => {
    const incident = await incidentWithStakeholders();
    const stale = await modalOpenedBy(t, () => t.command('update', { channel: incident.channel.id }));
    await postUpdate(t, incident, { [U.status]: 'resolved' });
    const { view } = await modalOpenedBy(t, () => t.command('update', { channel: incident.channel.id }));
    expect(blockOf(view, U.status).element.options.map((o: any) => o.value)).toEqual(['investigating', 'resolved']);

    const res = await t.submitView(stale.view, { [U.status]: 'identified', [U.impact]: 'x', [U.actions]: 'y' });
    expect(res.json.errors[U.status]).toMatch(/is resolved/);
    expect(await t.db.selectFrom('status_updates').select('id').execute()).toHaveLength(1);
    expect((await t.db.selectFrom('incidents').select('status').executeTakeFirstOrThrow()).status).toBe('resolved');
  });

  it('says where to run `/incident update` when typed elsewhere', async () => {
    const res = await t.command('update', { channel: 'CGENERAL' });
    expect(res.json.text).toMatch(/incident's own channel/);
  });
});
