import { CadencePolicy, createCadenceHooks } from '../../src/comms/cadence';
import { changeSeverity, changeStatus } from '../../src/incidents/changes';
import { composeHooks } from '../../src/incidents/lifecycle';
import { DECLARE_BLOCKS as D, PROMPT_ACTIONS, UPDATE_BLOCKS as U } from '../../src/slack/ids';
import { startTestHerald, waitFor, type TestHerald } from '../support/harness';
import { declare, dmOf, dmsTo, modalOpenedBy, postUpdate, UPDATE_TEXT, type Declared } from '../support/flows';

const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const MINUTE = 60_000;

describe('Prompts for stakeholder updates on a cadence', () => {
  let t: TestHerald;
  let now: Date;
  let incident: Declared;

  /** Moves Herald's clock to `minutes` after the declaration and runs the scheduler's tick there. */
  async function tickAt(minutes: number) {
    now = new Date(T0 + minutes * MINUTE);
    await t.herald.scheduler.tick(now);
  }
  const at = (minutes: number) => (now = new Date(T0 + minutes * MINUTE));
  const promptsTo = (user: string) => dmsTo(t, user).filter((m) => /stakeholder update/i.test(m.text ?? '') || /is overdue/.test(m.text ?? ''));
  const overdueNotices = () => t.slack.messagesIn(incident.channel.id).filter((m) => /overdue/.test(m.text ?? ''));
  const cadence = () => t.db.selectFrom('update_cadence').selectAll().where('incident_id', '=', incident.id).executeTakeFirstOrThrow();
  /** The same lifecycle hooks Herald composes, for changes made through the domain's use cases. */
  const changeDeps = () => ({ db: t.db, hooks: composeHooks(createCadenceHooks(new CadencePolicy(t.config.updateCadence))) });

  beforeEach(async () => {
    now = new Date(T0);
    t = await startTestHerald({ clock: () => now, env: { UPDATE_CADENCE: 'SEV1=10m,SEV2=30m,SEV3=1h,SEV4=off' } });
  });
  afterEach(async () => {
    await t.stop();
  });

  async function declareSev(severity = 'SEV1') {
    incident = await declare(t, 'Checkout is down', { [D.severity]: severity, [D.commander]: 'U2' });
  }

  it('prompts the commander, when there is no comms lead, once the update is due — and only once', async () => {
    await declareSev();
    await tickAt(9);
    expect(promptsTo('U2')).toHaveLength(0);
    await tickAt(10);
    const [prompt] = promptsTo('U2');
    expect(prompt.text).toMatch(/stakeholder update on incident #1 is due/);
    const buttons = prompt.blocks!.find((b: any) => b.type === 'actions').elements;
    expect(buttons.map((b: any) => b.action_id)).toEqual([PROMPT_ACTIONS.write, PROMPT_ACTIONS.snooze]);
    expect(buttons[1].text.text).toBe('No change — remind me in 3 minutes');
    await tickAt(10.5);
    await tickAt(11);
    expect(promptsTo('U2')).toHaveLength(1);
  });

  it('resets the next prompt to the “next update in” of each update, and counts updates that went out on time', async () => {
    await declareSev();
    at(4);
    await postUpdate(t, incident, { [U.next]: '15m' });
    await tickAt(10);
    await tickAt(18);
    expect(promptsTo('U2')).toHaveLength(0);
    await tickAt(19);
    expect(promptsTo('U2')).toHaveLength(1);
    expect(await cadence()).toMatchObject({ updates_due: 1, updates_on_time: 1 });
  });

  it('escalates to the commander and tells the channel once when the update is overdue by half a cadence', async () => {
    await declareSev();
    await t.db.updateTable('incidents').set({ comms_id: 'U3' }).where('id', '=', incident.id).execute();
    await tickAt(10);
    expect(promptsTo('U3')).toHaveLength(1);
    expect(promptsTo('U2')).toHaveLength(0);
    await tickAt(14);
    expect(overdueNotices()).toHaveLength(0);
    await tickAt(15);
    await tickAt(16);
    await tickAt(30);
    const escalations = promptsTo('U2');
    expect(escalations).toHaveLength(1);
    expect(escalations[0].text).toMatch(/overdue/);
    const [notice] = overdueNotices();
    expect(overdueNotices()).toHaveLength(1);
    expect(JSON.stringify(notice.blocks)).toContain('<@U3>');
    expect(JSON.stringify(notice.blocks)).toContain('<@U2>');
    const overdueEvents = await t.db.selectFrom('timeline_events').select('text').where('kind', '=', 'update_overdue').execute();
    expect(overdueEvents).toHaveLength(1);

    // The late update still counts, as late.
    at(31);
    await postUpdate(t, incident, {}, 'U3');
    expect(await cadence()).toMatchObject({ updates_due: 1, updates_on_time: 0 });
    const row = await t.db.selectFrom('status_updates').select(['on_time', 'due_at']).executeTakeFirstOrThrow();
    expect(row).toEqual({ on_time: false, due_at: new Date(T0 + 10 * MINUTE) });
  });

  it('puts the prompt off with “No change — remind me in N minutes”, for the comms lead or commander only', async () => {
    await declareSev();
    await tickAt(10);
    const prompt = promptsTo('U2')[0];
    const snooze = prompt.blocks!.find((b: any) => b.type === 'actions').elements[1];

    const answer = async (user: string) => {
      const before = t.slack.responses.length;
      await t.clickButton(PROMPT_ACTIONS.snooze, snooze.value, { user, channel: dmOf(t, 'U2'), messageTs: prompt.ts });
      return (await waitFor(() => t.slack.responses[before], 'the answer to the click')).body;
    };
    expect((await answer('U5')).text).toMatch(/Only the comms lead or the commander/);
    expect(await answer('U2')).toMatchObject({ replace_original: true, text: expect.stringMatching(/remind you .* \(in 3 min\)/) });
    await tickAt(12);
    expect(promptsTo('U2')).toHaveLength(1);
    await tickAt(13);
    expect(promptsTo('U2')).toHaveLength(2);
    expect(promptsTo('U2')[1].text).toMatch(/stakeholder update/);
    expect(JSON.stringify(promptsTo('U2')[1].blocks)).toContain('Reminder');
  });

  it('opens the update form from the prompt’s “Write the update”, and the update stops the escalation', async () => {
    await declareSev();
    await tickAt(10);
    at(11);
    const { view } = await modalOpenedBy(t, () => t.clickButton(PROMPT_ACTIONS.write, String(incident.id), { user: 'U2' }));
    expect(view.callback_id).toBe('herald_update');
    await t.submitView(view, { [U.impact]: UPDATE_TEXT.impact, [U.actions]: UPDATE_TEXT.actions }, { user: 'U2' });
    await tickAt(15);
    expect(overdueNotices()).toHaveLength(0);
    expect(promptsTo('U2')).toHaveLength(1);
    await tickAt(21);
    expect(promptsTo('U2')).toHaveLength(2);
  });

  it('sends no prompts for a severity whose cadence is off', async () => {
    await declareSev('SEV4');
    await tickAt(60);
    await tickAt(24 * 60);
    expect(promptsTo('U2')).toHaveLength(0);
    expect((await cadence()).next_due_at).toBeNull();
    // Its update form promises no time unless the author picks one.
    const { view } = await modalOpenedBy(t, () => t.command('update', { channel: incident.channel.id }));
    expect(view.blocks.find((b: any) => b.block_id === U.next).element.initial_option.value).toBe('none');
  });

  it('restarts the cadence from a severity change, counting a due time it replaced as missed', async () => {
    await declareSev();
    at(12);
    await changeSeverity(changeDeps(), { incidentId: incident.id, actorId: 'U2', severity: 'SEV2' }, now);
    expect(await cadence()).toMatchObject({ updates_due: 1, updates_on_time: 0, next_due_at: new Date(T0 + 42 * MINUTE) });
    await tickAt(41);
    expect(promptsTo('U2')).toHaveLength(0);
    await tickAt(42);
    expect(promptsTo('U2')).toHaveLength(1);
  });

  it('stops prompting when the incident is resolved and starts again when it is reopened', async () => {
    await declareSev();
    at(5);
    await postUpdate(t, incident, { [U.status]: 'resolved' });
    await tickAt(60);
    expect(promptsTo('U2')).toHaveLength(0);
    await changeStatus(changeDeps(), { incidentId: incident.id, actorId: 'U2', status: 'investigating' }, now);
    await tickAt(69);
    expect(promptsTo('U2')).toHaveLength(0);
    await tickAt(70);
    expect(promptsTo('U2')).toHaveLength(1);
  });

  it('sends a prompt missed while Herald was down once when it is back, not once per missed tick', async () => {
    await declareSev();
    await tickAt(47);
    await tickAt(47.01);
    await tickAt(48);
    // Past the escalation already: the commander gets the overdue prompt (not a plain one too), the channel one notice.
    expect(promptsTo('U2')).toHaveLength(1);
    expect(promptsTo('U2')[0].text).toMatch(/overdue/);
    expect(overdueNotices()).toHaveLength(1);
  });

  it('says in the help how often each severity’s updates are due', async () => {
    const res = await t.command('help');
    expect(JSON.stringify(res.json.blocks)).toContain('SEV1 every 10m · SEV2 every 30m · SEV3 every 1h · SEV4 every — (no prompts)');
  });
});
