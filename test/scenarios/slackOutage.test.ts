import { PROVISION_JOB } from '../../src/incidents/declare';
import { SETUP_ACTIONS } from '../../src/slack/ids';
import { dmsTo, modalOpenedBy } from '../support/flows';
import { startTestHerald, waitFor, type TestHerald } from '../support/harness';

/** Long enough for every retry Herald would make within a lifetime of this test. */
const FOREVER = 1_000_000;

describe('When Slack does not answer, an incident is still set up, once, and nobody is left guessing', () => {
  let t: TestHerald;
  let now: Date;
  beforeEach(async () => {
    now = new Date('2026-11-25T09:00:00Z');
    t = await startTestHerald({ clock: () => now });
  });
  afterEach(async () => {
    await t.stop();
  });

  async function submitDeclaration(title: string): Promise<number> {
    const { view } = await modalOpenedBy(t, () => t.command(`declare ${title}`, { user: 'U1' }), 'the declare modal');
    const res = await t.submitView(view, { 'declare_severity': 'SEV1' }, { user: 'U1' });
    expect(res.status).toBe(200);
    const row = await waitFor(() => t.db.selectFrom('incidents').select('id').executeTakeFirst(), 'the incident to be recorded');
    return row.id;
  }

  /** The scheduler's minutely ticks over `minutes` of simulated time. */
  async function minutesPass(minutes: number): Promise<void> {
    for (let i = 0; i < minutes; i += 1) {
      now = new Date(now.getTime() + 60_000);
      await t.herald.scheduler.tick(now);
    }
  }

  const readiness = async (): Promise<{ outbox: { gaveUp: number } }> => (await fetch(`${t.baseUrl}/readyz`)).json() as Promise<{ outbox: { gaveUp: number } }>;
  const keepTryingNotices = (user: string) => dmsTo(t, user).filter((m) => /keeps trying/.test(m.text ?? ''));
  const incidentChannels = () => [...t.slack.channels.values()].filter((c) => c.name.startsWith('inc-1-'));

  it('keeps trying through an hour-long outage: the channel is created once Slack answers, and the declarer is told once that Herald keeps trying', async () => {
    await t.settle();
    t.slack.failNext('conversations.create', { status: 503, times: FOREVER });
    t.slack.failNext('chat.postMessage', { status: 503, times: FOREVER });
    const incidentId = await submitDeclaration('Checkout down');

    await minutesPass(60);
    expect(incidentChannels()).toHaveLength(0);
    const setup = await t.db.selectFrom('outbox').select(['status', 'attempts']).where('kind', '=', PROVISION_JOB).executeTakeFirstOrThrow();
    expect(setup.status).toBe('pending');
    expect(setup.attempts).toBeGreaterThan(10);

    // Slack answers again.
    t.slack.reset();
    await minutesPass(6);
    await t.settle();

    const channels = incidentChannels();
    expect(channels).toHaveLength(1);
    const incident = await t.db.selectFrom('incidents').select(['channel_id']).where('id', '=', incidentId).executeTakeFirstOrThrow();
    expect(incident.channel_id).toBe(channels[0].id);
    expect(channels[0].members.has('U1')).toBe(true);
    expect(keepTryingNotices('U1')).toHaveLength(1);
    // The channel says why it came late, once.
    expect(t.slack.messagesIn(channels[0].id).filter((m) => /took longer than usual/.test(m.text ?? ''))).toHaveLength(1);
    // And the declarer is told where the incident lives.
    expect(dmsTo(t, 'U1').filter((m) => /is ready/.test(m.text ?? ''))).toHaveLength(1);

    // More ticks change nothing.
    await minutesPass(30);
    expect(incidentChannels()).toHaveLength(1);
    expect(keepTryingNotices('U1')).toHaveLength(1);
  }, 120_000);

  it('shows a setup that gave up in /readyz, and "Try again" by the declarer runs it again', async () => {
    // The workspace forbids creating channels: Slack refuses, for good.
    t.slack.failNext('conversations.create', { error: 'restricted_action' });
    const incidentId = await submitDeclaration('Checkout down');
    await waitFor(async () => {
      await t.settle();
      return keepTryingNotices('U1').length === 0 && dmsTo(t, 'U1').some((m) => JSON.stringify(m.blocks ?? []).includes(SETUP_ACTIONS.retry));
    }, 'the give-up notice');

    const ready = await fetch(`${t.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ database: 'up', outbox: { gaveUp: 1, byKind: { [PROVISION_JOB]: 1 } } });
    expect(incidentChannels()).toHaveLength(0);

    // Someone else in the conversation cannot retry it.
    const before = t.slack.responses.length;
    await t.clickButton(SETUP_ACTIONS.retry, String(incidentId), { user: 'U3' });
    await waitFor(() => t.slack.responses.length > before, 'the answer to the click');
    expect(t.slack.responses.at(-1)!.body.text).toMatch(/Only the declarer or the commander/);
    expect((await readiness()).outbox.gaveUp).toBe(1);

    // The admin lifted the restriction; the declarer clicks "Try again".
    await t.clickButton(SETUP_ACTIONS.retry, String(incidentId), { user: 'U1' });
    await waitFor(async () => {
      await t.settle();
      return incidentChannels().length === 1;
    }, 'the channel to be created');
    expect(t.slack.responses.at(-1)!.body.text).toMatch(/trying again/);
    expect((await readiness()).outbox).toEqual({ gaveUp: 0, byKind: {} });
    expect(dmsTo(t, 'U1').filter((m) => /is ready/.test(m.text ?? ''))).toHaveLength(1);
  });
});
