import { CARD_ACTIONS, CHANGE_BLOCKS as B } from '../../src/slack/ids';
import { waitFor, type TestHerald } from '../support/harness';
import { announcementThread, cardOf, incidentRow, notesIn, openFromCard, setMember, startWithIncident, timelineKinds, type RunningIncident } from '../support/running';

describe('The summary card’s buttons', () => {
  let t: TestHerald;
  let incident: RunningIncident;
  beforeEach(async () => {
    ({ t, incident } = await startWithIncident());
  });
  afterEach(async () => {
    await t.stop();
  });

  /** Clicks a card button and waits for Herald's ephemeral answer. */
  async function clickForAnswer(actionId: string, user: string) {
    const before = t.slack.responses.length;
    const res = await t.clickButton(actionId, String(incident.id), { user, channel: incident.channel, messageTs: incident.cardTs });
    expect(res.status).toBe(200);
    await waitFor(() => t.slack.responses.length > before, 'the answer to the click');
    return t.slack.responses.at(-1)!.body;
  }

  it('"Change status" opens a modal with the current status chosen; saving changes it everywhere', async () => {
    const view = await openFromCard(t, incident, CARD_ACTIONS.status, 'U2');
    const status = view.blocks.find((b: any) => b.block_id === B.status);
    expect(status.element.options.map((o: any) => o.value)).toEqual(['investigating', 'identified', 'monitoring', 'resolved']);
    expect(status.element.initial_option.value).toBe('investigating');

    const res = await t.submitView(view, { [B.status]: 'identified' }, { user: 'U2' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await t.settle();
    expect((await incidentRow(t, incident.id)).status).toBe('identified');
    expect(JSON.stringify(cardOf(t, incident).blocks)).toContain('Identified');
    expect(notesIn(t, incident)).toEqual([expect.stringContaining('<@U2> changed the status from Investigating to *Identified*')]);
  });

  it('"Change severity" offers every severity with its description; raising it is announced', async () => {
    const view = await openFromCard(t, incident, CARD_ACTIONS.severity, 'U2');
    const severity = view.blocks.find((b: any) => b.block_id === B.severity);
    expect(severity.element.initial_option.value).toBe('SEV3');
    for (const option of severity.element.options) expect(option.description.text.length).toBeGreaterThan(10);
    await t.submitView(view, { [B.severity]: 'SEV2' }, { user: 'U2' });
    await t.settle();
    expect((await incidentRow(t, incident.id)).severity).toBe('SEV2');
    expect(announcementThread(t, incident)).toEqual([expect.stringContaining('raised the severity from SEV3 to *SEV2*')]);
  });

  it('"Assign role" picks a role and a person, who is invited', async () => {
    const view = await openFromCard(t, incident, CARD_ACTIONS.role, 'U2');
    expect(JSON.stringify(view.blocks)).toContain('Commander: <@U1>');
    await t.submitView(view, { [B.role]: 'comms', [B.user]: 'U5' }, { user: 'U2' });
    await t.settle();
    expect((await incidentRow(t, incident.id)).comms_id).toBe('U5');
    expect(t.slack.channels.get(incident.channel)!.members.has('U5')).toBe(true);
  });

  it('the role modal answers a missing choice or a bot with a field error and changes nothing', async () => {
    const view = await openFromCard(t, incident, CARD_ACTIONS.role, 'U2');
    const noRole = await t.submitView(view, { [B.user]: 'U5' }, { user: 'U2' });
    expect(noRole.json).toEqual({ response_action: 'errors', errors: { [B.role]: 'Choose a role.' } });
    const bot = await t.submitView(view, { [B.role]: 'scribe', [B.user]: 'UBOT' }, { user: 'U2' });
    expect(bot.json).toEqual({ response_action: 'errors', errors: { [B.user]: 'Herald cannot be the scribe — choose a person.' } });
    expect(await timelineKinds(t, incident.id)).toEqual(['declared']);
  });

  it('"Resolve" asks first, then resolves', async () => {
    const resolve = cardOf(t, incident).blocks!.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === CARD_ACTIONS.resolve);
    expect(resolve.confirm.confirm.text).toBe('Resolve');
    await t.clickButton(CARD_ACTIONS.resolve, String(incident.id), { user: 'U2', channel: incident.channel, messageTs: incident.cardTs });
    await waitFor(async () => (await incidentRow(t, incident.id)).status === 'resolved', 'the incident to be resolved');
    await t.settle();
    expect(announcementThread(t, incident)).toEqual([expect.stringContaining('<@U2> resolved the incident')]);
    expect(JSON.stringify(cardOf(t, incident).blocks)).not.toContain(CARD_ACTIONS.resolve);

    // A second click on a card that had not been redrawn yet changes nothing more.
    const again = await clickForAnswer(CARD_ACTIONS.resolve, 'U2');
    expect(again.text).toMatch(/already resolved/);
    expect(await timelineKinds(t, incident.id)).toEqual(['declared', 'status']);
  });

  it.each([[CARD_ACTIONS.status], [CARD_ACTIONS.severity], [CARD_ACTIONS.role], [CARD_ACTIONS.resolve]])(
    'a click on %s by someone not in the incident channel is refused, to them only, and changes nothing',
    async (actionId) => {
      const answer = await clickForAnswer(actionId, 'U4');
      expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: `Only people in <#${incident.channel}> can change incident #1. Join the channel first.` });
      expect(t.slack.openedViews()).toHaveLength(1); // only the declare modal
      expect(await incidentRow(t, incident.id)).toMatchObject({ status: 'investigating', severity: 'SEV3' });
      expect(await timelineKinds(t, incident.id)).toEqual(['declared']);
    },
  );

  it('a modal saved by someone who left the channel since opening it is refused in the modal', async () => {
    const view = await openFromCard(t, incident, CARD_ACTIONS.severity, 'U2');
    setMember(t, incident, 'U2', false);
    const res = await t.submitView(view, { [B.severity]: 'SEV1' }, { user: 'U2' });
    expect(res.json).toEqual({ response_action: 'errors', errors: { [B.severity]: expect.stringContaining('Only people in') } });
    expect((await incidentRow(t, incident.id)).severity).toBe('SEV3');
  });

  it('the same modal submitted twice changes the incident once', async () => {
    const view = await openFromCard(t, incident, CARD_ACTIONS.severity, 'U2');
    const [a, b] = await Promise.all([t.submitView(view, { [B.severity]: 'SEV1' }, { user: 'U2' }), t.submitView(view, { [B.severity]: 'SEV1' }, { user: 'U2' })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await t.settle();
    expect(await timelineKinds(t, incident.id)).toEqual(['declared', 'severity']);
    expect(announcementThread(t, incident)).toHaveLength(1);
  });

  it('buttons on the card of a closed incident are refused', async () => {
    await t.command('resolve', { channel: incident.channel });
    await t.command('close', { channel: incident.channel });
    const answer = await clickForAnswer(CARD_ACTIONS.status, 'U1');
    expect(answer.text).toBe('Incident #1 is closed; nothing more can change.');
  });
});
