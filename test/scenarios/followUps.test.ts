import { FOLLOW_UP_BLOCKS as F, REVIEW_ACTIONS, VIEWS } from '../../src/slack/ids';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestHerald, type TestHerald } from '../support/harness';
import { block, clickAndWaitForAnswer, declareIncident, dmsTo, modalOpenedBy, textOf, tickAt, type DeclaredIncident } from '../support/reviewHelpers';
import { DEFAULT_USERS } from '../../src/sandbox/slack/world';

const DAY = 86_400_000;
/** Bob (U2), the usual owner: Herald counts overdue days in the owner's time zone. */
const OWNER_TZ = DEFAULT_USERS.find((u) => u.id === 'U2')!.tz!;
/** A date `days` from today where the owner is. */
const dateIn = (days: number) => new Intl.DateTimeFormat('en-CA', { timeZone: OWNER_TZ }).format(new Date(Date.now() + days * DAY));

const followUps = (t: TestHerald) => t.db.selectFrom('follow_ups').selectAll().orderBy('id').execute();
const buttonsIn = (blocks: any[]) => blocks.flatMap((b) => [b.accessory, ...(b.elements ?? [])]).filter((e) => e?.type === 'button');

describe('Follow-ups: owned, dated, listed, reminded until done', () => {
  let database: TestDatabase;
  let t: TestHerald;
  let incident: DeclaredIncident;

  /** `/incident followup <title>` in the incident channel, then the modal submitted with `answers`. */
  async function addFollowUp(title: string, answers: Record<string, unknown>, user = 'U1') {
    const view = await modalOpenedBy(t, () => t.command(`followup ${title}`, { user, channel: incident.channelId }));
    const res = await t.submitView(view, { [F.owner]: 'U2', [F.due]: dateIn(3), ...answers }, { user });
    await t.settle();
    return { view, res };
  }

  beforeEach(async () => {
    database = await createTestDatabase();
    t = await startTestHerald({ database });
    incident = await declareIncident(t, { title: 'Checkout is down' });
  });
  afterEach(async () => {
    await t.stop();
    await database.drop();
  });

  it('adds a follow-up from the incident channel and tells its owner by DM with the incident’s channel', async () => {
    const { view, res } = await addFollowUp('Alert on pool saturation', { [F.priority]: 'high' });
    expect(view.callback_id).toBe(VIEWS.followUp);
    expect(block(view, F.title).element.initial_value).toBe('Alert on pool saturation');
    expect(block(view, F.owner).element.type).toBe('users_select');
    expect(block(view, F.due).element.type).toBe('datepicker');
    expect(block(view, F.priority).element.options.map((o: any) => o.value)).toEqual(['high', 'medium', 'low']);
    expect(res.text).toBe('');

    const [row] = await followUps(t);
    expect(row).toMatchObject({ title: 'Alert on pool saturation', owner_id: 'U2', priority: 'high', status: 'open', created_by: 'U1', incident_id: incident.id });
    const [dm] = dmsTo(t, 'U2');
    expect(textOf(dm)).toContain('Alert on pool saturation');
    expect(textOf(dm)).toContain(`<#${incident.channelId}>`);
    expect(textOf(dm)).toContain(dateIn(3));
    const timeline = await t.db.selectFrom('timeline_events').select('text').where('kind', '=', 'follow_up').execute();
    expect(timeline[0].text).toMatch(/Follow-up added: Alert on pool saturation — owner <@U2>/);

    // The same submission arriving twice adds one follow-up and one DM.
    await t.submitView(view, { [F.owner]: 'U2', [F.due]: dateIn(3) });
    await t.settle();
    expect(await followUps(t)).toHaveLength(1);
    expect(dmsTo(t, 'U2')).toHaveLength(1);
  });

  it.each([
    ['a due date in the past', { [F.due]: dateIn(-2) }, F.due, /today or later/],
    ['a bot as owner', { [F.owner]: 'UBOT' }, F.owner, /choose a person/],
    ['a title that is too short', { [F.title]: 'x' }, F.title, /at least 3/],
  ])('answers %s with a field error and adds nothing', async (_label, answers, blockId, message) => {
    const { res } = await addFollowUp('Fix it', answers);
    expect(res.json.response_action).toBe('errors');
    expect(res.json.errors[blockId]).toMatch(message);
    expect(await followUps(t)).toHaveLength(0);
  });

  it('works only in an incident channel, and help lists it as ready', async () => {
    const res = await t.command('followup Fix it', { channel: 'CGENERAL' });
    expect(res.json.text).toMatch(/followup \[title\].*incident's own channel/);
    const help = (await t.command('help')).json.text as string;
    for (const usage of ['/incident review`', '/incident followup [title]`', '/incident followups [all]`']) {
      expect(help.split('\n').find((line) => line.includes(usage))).not.toMatch(/coming/);
    }
  });

  it('lists the caller’s open follow-ups anywhere, overdue first, and an incident’s follow-ups in its channel', async () => {
    await addFollowUp('Later one', { [F.due]: dateIn(10) });
    await addFollowUp('Soon one', { [F.due]: dateIn(2), [F.priority]: 'low' });
    await addFollowUp('Carol’s', { [F.owner]: 'U3' });
    // One that has gone overdue since it was added.
    await t.db.updateTable('follow_ups').set({ due_on: dateIn(-4) }).where('title', '=', 'Later one').execute();

    const mine = await t.command('followups', { user: 'U2', channel: 'CGENERAL' });
    const list = textOf(mine.json);
    expect(list).not.toContain('Carol’s');
    expect(list.indexOf('Later one')).toBeLessThan(list.indexOf('Soon one'));
    expect(list).toMatch(/overdue by 4 days/);
    expect(list).toContain(`<#${incident.channelId}>`);
    expect(buttonsIn(mine.json.blocks).map((b) => b.action_id)).toEqual([REVIEW_ACTIONS.followUpDone, REVIEW_ACTIONS.followUpDone]);

    const all = await t.command('followups all', { user: 'U3', channel: incident.channelId });
    expect(textOf(all.json)).toMatch(/3 open, 0 done/);
    for (const title of ['Later one', 'Soon one', 'Carol’s']) expect(textOf(all.json)).toContain(title);

    expect((await t.command('followups all', { channel: 'CGENERAL' })).json.text).toMatch(/in its own channel/);
    expect((await t.command('followups everything', { channel: 'CGENERAL' })).json.text).toMatch(/Usage: `\/incident followups \[all\]`/);
    expect((await t.command('followups', { user: 'U4' })).json.text).toMatch(/no open follow-ups/);
  });

  it('marks a follow-up done for its owner or the commander only, recording who and when', async () => {
    await addFollowUp('Alert on pool saturation', {});
    await addFollowUp('Second', {});
    const mine = await t.command('followups', { user: 'U2' });
    const [done] = buttonsIn(mine.json.blocks);

    const stranger = await clickAndWaitForAnswer(t, REVIEW_ACTIONS.followUpDone, done.value, { user: 'U3', channel: 'CGENERAL' });
    expect(stranger).toMatchObject({ replace_original: false, text: expect.stringMatching(/Only the owner \(<@U2>\) or the incident commander \(<@U1>\)/) });
    expect((await followUps(t))[0].status).toBe('open');

    await clickAndWaitForAnswer(t, REVIEW_ACTIONS.followUpDone, done.value, { user: 'U2', channel: 'CGENERAL' });
    const redrawn = await clickAndWaitForAnswer(t, REVIEW_ACTIONS.followUpDone, done.value, { user: 'U2', channel: 'CGENERAL' });
    const [first] = await followUps(t);
    expect(first).toMatchObject({ status: 'done', done_by: 'U2' });
    expect(first.done_at).toBeInstanceOf(Date);
    expect(redrawn.replace_original).toBe(true);
    expect(textOf(redrawn)).not.toContain('Alert on pool saturation');
    expect(textOf(redrawn)).toContain('Second');
    expect(await t.db.selectFrom('timeline_events').select('text').where('kind', '=', 'follow_up_done').execute()).toHaveLength(1);

    // The commander may close the owner's follow-up, from the incident's list.
    const all = await t.command('followups all', { channel: incident.channelId });
    const [second] = buttonsIn(all.json.blocks);
    const list = await clickAndWaitForAnswer(t, REVIEW_ACTIONS.followUpDone, second.value, { user: 'U1', channel: incident.channelId });
    expect((await followUps(t))[1]).toMatchObject({ status: 'done', done_by: 'U1' });
    expect(textOf(list)).toMatch(/0 open, 2 done/);
  });

  it('reminds the owner at 09:00 in their own time zone the morning it falls due, then weekly while open — once, whichever replica ticks', async () => {
    const second = await startTestHerald({ slack: t.slack, database });
    try {
      // Bob lives in New York: in July 09:00 there is 13:00 UTC (daylight saving time, not the -5h Slack's tz_offset said in winter).
      const year = new Date().getUTCFullYear() + 1;
      const due = `${year}-07-15`;
      t.slack.addUser({ id: 'U2', name: 'bob', tz: 'America/New_York', tz_offset: -18000 });
      await addFollowUp('Alert on pool saturation', { [F.due]: due, [F.owner]: 'U2' });
      await addFollowUp('Tokyo task', { [F.due]: due, [F.owner]: 'U3' });
      const reminders = (user: string) => dmsTo(t, user).filter((m) => /^Follow-up (is due|is overdue)/.test(m.text ?? ''));

      const askedAboutBob = () => t.slack.callsTo('users.info').filter((c) => c.args.user === 'U2').length;
      await tickAt(t, new Date(`${year}-07-15T12:59:00Z`));
      expect(reminders('U2')).toHaveLength(0);
      const asked = askedAboutBob();
      // Carol is in Tokyo: 09:00 there was midnight UTC.
      expect(reminders('U3').map((m) => m.text)).toEqual([expect.stringMatching(/is due today/)]);

      await Promise.all([tickAt(t, new Date(`${year}-07-15T13:00:00Z`)), tickAt(second, new Date(`${year}-07-15T13:00:00Z`))]);
      expect(reminders('U2').map((m) => m.text)).toEqual(['Follow-up is due today: Alert on pool saturation']);
      expect(textOf(reminders('U2')[0])).toContain(`<#${incident.channelId}>`);
      expect(buttonsIn(reminders('U2')[0].blocks!).map((b) => b.action_id)).toEqual([REVIEW_ACTIONS.followUpDone]);

      await tickAt(second, new Date(`${year}-07-16T13:00:00Z`));
      await tickAt(t, new Date(`${year}-07-22T12:59:00Z`));
      expect(reminders('U2')).toHaveLength(1);
      expect(askedAboutBob()).toBe(asked);

      await Promise.all([tickAt(t, new Date(`${year}-07-22T13:00:00Z`)), tickAt(second, new Date(`${year}-07-22T13:01:00Z`))]);
      expect(reminders('U2').map((m) => m.text)).toEqual([expect.stringMatching(/due today/), expect.stringMatching(/is overdue by 7 days/)]);

      // Done from the reminder itself: no more reminders.
      const done = buttonsIn(reminders('U2')[1].blocks!)[0];
      const note = await clickAndWaitForAnswer(t, REVIEW_ACTIONS.followUpDone, done.value, { user: 'U2', channel: reminders('U2')[1].channel });
      expect(textOf(note)).toMatch(/marked done by <@U2>/);
      await tickAt(t, new Date(`${year}-07-29T13:00:00Z`));
      expect(reminders('U2')).toHaveLength(2);

      // Time zones are cached in the database and refreshed from Slack at most weekly.
      const cached = await t.db.selectFrom('user_time_zones').select(['user_id', 'tz']).where('user_id', 'in', ['U2', 'U3']).orderBy('user_id').execute();
      expect(cached).toEqual([
        { user_id: 'U2', tz: 'America/New_York' },
        { user_id: 'U3', tz: 'Asia/Tokyo' },
      ]);
    } finally {
      await second.stop();
    }
  });
});
