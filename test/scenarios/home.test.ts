import { DECLARE_BLOCKS, FOLLOW_UP_BLOCKS as F, HOME_ACTIONS, REVIEW_ACTIONS } from '../../src/slack/ids';
import { declare, modalOpenedBy } from '../support/flows';
import { validateView } from '../support/slackStub';
import { startTestHerald, waitFor, type TestHerald } from '../support/harness';
import { declareIncident, setStatus, type DeclaredIncident } from '../support/reviewHelpers';
import { DEFAULT_USERS } from '../../src/sandbox/slack/world';
import { EMPTY_CONTENT } from '../../src/reviews/model';
import { saveReview } from '../../src/reviews/writeReview';
import { addPastIncident, addService, HOUR, MIN } from '../insights/history';

const DAY = 86_400_000;
/** A date `days` from today where the owner (U2, bob) is. */
const dateIn = (days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: DEFAULT_USERS.find((u) => u.id === 'U2')!.tz! }).format(new Date(Date.now() + days * DAY));

/** Every Home tab Herald published for this person, oldest first. */
const publishedFor = (t: TestHerald, user: string) => t.slack.okCallsTo('views.publish').filter((c) => c.args.user_id === user);

/** The person's Home tab as the stand-in holds it now (id for clicks, the view as Slack returns it). */
function homeOf(t: TestHerald, user: string): { id: string; view: any; text: string } {
  const stored = [...t.slack.views.values()].find((v) => v.view.type === 'home' && v.user === user);
  if (!stored) throw new Error(`No Home tab published for ${user}`);
  return { id: stored.id, view: stored.view, text: JSON.stringify(stored.view.blocks) };
}

const buttons = (view: any) => view.blocks.flatMap((b: any) => [b.accessory, ...(b.elements ?? [])]).filter((e: any) => e?.type === 'button');

describe('The Home tab: open incidents, your work and service health', () => {
  let t: TestHerald;
  let checkout: DeclaredIncident;

  /** Opens the Home tab as `user` (Slack's app_home_opened) and waits for the tab Herald publishes. */
  async function openHome(user: string, options: { eventId?: string; retryNum?: number; view?: any } = {}) {
    const before = publishedFor(t, user).length;
    const res = await t.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', ...(options.view ? { view: options.view } : {}) }, options);
    expect(res.status).toBe(200);
    await waitFor(() => publishedFor(t, user).length > before, `${user}'s Home tab`);
    return homeOf(t, user);
  }

  async function addFollowUp(incident: DeclaredIncident, title: string, owner: string, user = 'U1', due = dateIn(3)) {
    // Counted by views.open, so a Home tab pushed meanwhile is not taken for the modal.
    const { view } = await modalOpenedBy(t, () => t.command(`followup ${title}`, { user, channel: incident.channelId }));
    const res = await t.submitView(view, { [F.owner]: owner, [F.due]: due }, { user });
    expect(res.json?.response_action).toBeUndefined();
  }

  beforeEach(async () => {
    t = await startTestHerald();
    checkout = await declareIncident(t, { title: 'Checkout is down', user: 'U1' });
  });
  afterEach(async () => {
    await t.stop();
  });

  it('shows each person the incidents they may see and their own work', async () => {
    // Carol (U3) runs a private incident; Bob (U2) is not in its channel.
    const declared = await declare(t, 'Payroll export leaks', { [DECLARE_BLOCKS.options]: ['private'], [DECLARE_BLOCKS.commander]: 'U3' }, 'U3');
    const payroll = { ...checkout, id: declared.id, number: declared.number, channelId: declared.channel.id };
    expect(declared.channel.members.has('U2')).toBe(false);
    await addFollowUp(checkout, 'Alert on pool saturation', 'U2');
    await addFollowUp(payroll, 'Rotate the export keys', 'U3', 'U3');

    const bob = await openHome('U2');
    expect(validateView(bob.view, 'home')).toEqual([]);
    expect(buttons(bob.view).map((b: any) => b.action_id)).toContain(HOME_ACTIONS.declare);
    expect(bob.text).toContain('Checkout is down');
    expect(bob.text).toContain('SEV1');
    expect(bob.text).toContain('Investigating');
    expect(bob.text).toContain('commander <@U1>');
    expect(bob.text).not.toContain('Payroll export leaks');
    expect(bob.text).toContain('Alert on pool saturation');
    expect(bob.text).not.toContain('Rotate the export keys');
    expect(bob.text).toContain('Roles you hold* — none');

    const carol = await openHome('U3');
    expect(carol.text).toContain('Payroll export leaks');
    expect(carol.text).toContain('🔒 private');
    expect(carol.text).toContain('Checkout is down');
    expect(carol.text).toContain('Rotate the export keys');
    expect(carol.text).not.toContain('Alert on pool saturation');
    expect(carol.text).toMatch(/Payroll export leaks — Commander/);
    expect(carol.text).not.toMatch(/Checkout is down — Commander/);
  });

  it('flags an incident whose stakeholder update is overdue', async () => {
    await t.db.updateTable('update_cadence').set({ next_due_at: new Date(Date.now() - 60_000) }).where('incident_id', '=', checkout.id).execute();
    const home = await openHome('U4');
    expect(home.text).toContain('update overdue');
  });

  it('lists a review owed to its commander, republished when the incident is resolved', async () => {
    const before = publishedFor(t, 'U1').length;
    await setStatus(t, checkout.id, 'resolved');
    await waitFor(() => publishedFor(t, 'U1').length > before, 'the commander’s Home tab to be pushed');
    const home = homeOf(t, 'U1');
    expect(home.text).toContain('Reviews you owe (1)');
    expect(home.text).toContain('Checkout is down');
    expect(buttons(home.view).find((b: any) => b.action_id === REVIEW_ACTIONS.start)?.value).toBe(String(checkout.id));
    // The incident is no longer open.
    expect(home.text).toContain('None that you can see');
  });

  it('pushes a new follow-up to its owner’s Home tab without them opening it', async () => {
    await openHome('U2');
    const before = publishedFor(t, 'U2').length;
    await addFollowUp(checkout, 'Add a circuit breaker', 'U2');
    await t.settle();
    await waitFor(() => publishedFor(t, 'U2').length > before, 'the owner’s Home tab to be pushed');
    expect(homeOf(t, 'U2').text).toContain('Add a circuit breaker');
  });

  it('pushes the owner’s Home tab again when the commander marks their follow-up done elsewhere', async () => {
    await addFollowUp(checkout, 'Alert on pool saturation', 'U2');
    await t.settle();
    expect((await openHome('U2')).text).toContain('Alert on pool saturation');
    const before = publishedFor(t, 'U2').length;
    const [row] = await t.db.selectFrom('follow_ups').select('id').execute();
    // Alice (U1), the commander, from `/incident followups all` in the incident channel.
    await t.clickButton(REVIEW_ACTIONS.followUpDone, `${row.id}|incident`, { user: 'U1', channel: checkout.channelId });
    await waitFor(async () => (await t.db.selectFrom('follow_ups').select('status').executeTakeFirstOrThrow()).status === 'done', 'the follow-up done');
    await t.settle();
    await waitFor(() => publishedFor(t, 'U2').length > before, 'the owner’s Home tab to be pushed');
    expect(homeOf(t, 'U2').text).not.toContain('Alert on pool saturation');
  });

  it('pushes the commander’s Home tab again once the review they owed is submitted', async () => {
    await setStatus(t, checkout.id, 'resolved');
    await t.settle();
    expect((await openHome('U1')).text).toContain('Reviews you owe (1)');
    const before = publishedFor(t, 'U1').length;
    await saveReview(t.db, { incidentId: checkout.id, actorId: 'U1', content: { ...EMPTY_CONTENT, summary: 'Pool exhausted' }, submit: true, saveKey: 'home-test' }, new Date());
    await t.settle();
    await waitFor(() => publishedFor(t, 'U1').length > before, 'the commander’s Home tab to be pushed');
    expect(homeOf(t, 'U1').text).toContain('Reviews you owe* — none');
  });

  it('marks a follow-up done from the Home tab for its owner, and refuses anyone else', async () => {
    await addFollowUp(checkout, 'Alert on pool saturation', 'U2');
    const bob = await openHome('U2');
    const done = buttons(bob.view).find((b: any) => b.action_id === REVIEW_ACTIONS.followUpDone);
    expect(done.text.text).toBe('Mark done');

    // Dave (U4) is neither its owner nor the commander.
    await openHome('U4');
    let before = publishedFor(t, 'U4').length;
    await t.clickButton(REVIEW_ACTIONS.followUpDone, done.value, { user: 'U4', viewId: homeOf(t, 'U4').id });
    await waitFor(() => publishedFor(t, 'U4').length > before, 'the refusal in Dave’s Home tab');
    expect(homeOf(t, 'U4').text).toContain('Only the owner (<@U2>) or the incident commander (<@U1>)');
    expect((await t.db.selectFrom('follow_ups').select('status').executeTakeFirstOrThrow()).status).toBe('open');

    before = publishedFor(t, 'U2').length;
    await t.clickButton(REVIEW_ACTIONS.followUpDone, done.value, { user: 'U2', viewId: bob.id });
    await waitFor(() => publishedFor(t, 'U2').length > before, 'Bob’s Home tab redrawn');
    expect((await t.db.selectFrom('follow_ups').select('status').executeTakeFirstOrThrow()).status).toBe('done');
    const after = homeOf(t, 'U2').text;
    expect(after).toContain('Marked done: *Alert on pool saturation*');
    expect(after).toContain('Follow-ups you own* — none open');
  });

  it('ranks services by customer impact over the window chosen, redrawn on a choice and kept on the next opening', async () => {
    // Payments API hurt customers for 90 minutes, 20 days ago: inside 30 days, outside 7.
    const payments = await addService(t.db, t.slack.teamId, 'Payments API');
    const at = new Date(Date.now() - 20 * DAY);
    await addPastIncident(t.db, { teamId: t.slack.teamId, number: 900, severity: 'SEV2', services: [payments], declaredAt: at, mitigatedAt: new Date(at.getTime() + 90 * MIN), resolvedAt: new Date(at.getTime() + 2 * HOUR), status: 'closed' });

    const first = await openHome('U2');
    const select = first.view.blocks.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === HOME_ACTIONS.window);
    expect(select.options.map((o: any) => o.value)).toEqual(['7d', '30d', '90d']);
    expect(select.initial_option.value).toBe('30d');
    expect(first.text).toMatch(/1\. \*Payments API\* — 1h 30m over 1 incident/);
    expect(first.text.indexOf('Customer impact by service')).toBeLessThan(first.text.indexOf('Time to first update'));

    const before = publishedFor(t, 'U2').length;
    await t.chooseOption(HOME_ACTIONS.window, '7d', { user: 'U2', viewId: first.id });
    await waitFor(() => publishedFor(t, 'U2').length > before, 'the tab redrawn for 7 days');
    const redrawn = homeOf(t, 'U2');
    expect(redrawn.text).toContain('last 7 days');
    expect(redrawn.text).not.toContain('Payments API');
    expect(redrawn.text).toContain('No customer impact recorded in this window');
    expect(redrawn.view.private_metadata).toBe('7d');

    // Slack sends the tab's current view with the next opening.
    const reopened = await openHome('U2', { view: redrawn.view });
    expect(reopened.text).toContain('last 7 days');
    expect(reopened.text).not.toContain('Payments API');

    // A tab pushed to Bob because his work changed keeps the window he chose.
    const beforePush = publishedFor(t, 'U2').length;
    await addFollowUp(checkout, 'Add a circuit breaker', 'U2');
    await t.settle();
    await waitFor(() => publishedFor(t, 'U2').length > beforePush, 'the owner’s Home tab to be pushed');
    expect(homeOf(t, 'U2').text).toContain('Add a circuit breaker');
    expect(homeOf(t, 'U2').text).toContain('last 7 days');
  });

  it('publishes once however often Slack retries the same event', async () => {
    await openHome('U2', { eventId: 'EvHOME1' });
    const res = await t.event({ type: 'app_home_opened', user: 'U2', channel: 'DU2', tab: 'home' }, { eventId: 'EvHOME1', retryNum: 1 });
    expect(res.status).toBe(200);
    // A different person's opening, sent after the retry, is published: once it is, the retry had its chance.
    await openHome('U3');
    expect(publishedFor(t, 'U2')).toHaveLength(1);
  });

  it('opens the declare modal from the Home tab’s button', async () => {
    const home = await openHome('U2');
    const { view } = await modalOpenedBy(t, () => t.clickButton(HOME_ACTIONS.declare, 'declare', { user: 'U2', viewId: home.id }));
    expect(view.blocks.some((b: any) => b.block_id === DECLARE_BLOCKS.title)).toBe(true);
  });
});
