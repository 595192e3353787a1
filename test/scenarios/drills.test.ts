import { gatherDigest } from '../../src/insights/digest/service';
import { buildInsightsReport } from '../../src/insights/report';
import { DECLARE_BLOCKS as D, DECLARE_DRILL_OPTION } from '../../src/slack/ids';
import { ANNOUNCE_CHANNEL, startTestHerald, waitFor, type TestHerald } from '../support/harness';
import { declare, dmsTo, postUpdate, saveStakeholders, serviceId, updateDeliveries, waitForOutboxEmpty } from '../support/flows';
import { setStatus } from '../support/reviewHelpers';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

describe('Drills: run like an incident, marked 🧪, kept to their channel and left out of every figure', () => {
  let t: TestHerald;
  let now: Date;
  let payTeam: string;

  beforeEach(async () => {
    now = new Date(Date.now() - 2 * DAY);
    t = await startTestHerald({ clock: () => now });
    payTeam = t.slack.addChannel({ name: 'payments-team', members: [t.slack.botUserId] }).id;
    await saveStakeholders(t, 'Payments API', { channels: [payTeam], people: ['U4'] });
  });
  afterEach(async () => {
    await t.stop();
  });

  const drillOptions = async () => ({ [D.services]: [await serviceId(t, 'Payments API')], [D.options]: [DECLARE_DRILL_OPTION] });

  it('gets a channel and card marked 🧪, is never announced, and its update reaches only its channel', async () => {
    const drill = await declare(t, 'Checkout down', await drillOptions());
    expect(drill.channel.name).toBe(`inc-${drill.number}-drill-checkout-down`);
    expect(drill.channel.topic).toMatch(/^🧪 DRILL · SEV1 · Investigating/);
    const card = t.slack.messagesIn(drill.channel.id).find((m) => m.blocks?.[0]?.type === 'header')!;
    expect(card.blocks![0].text.text).toBe(`Drill 🧪 #${drill.number} Checkout down`);
    expect(JSON.stringify(card.blocks)).toContain('This is a drill.');
    expect(t.slack.messagesIn(ANNOUNCE_CHANNEL)).toHaveLength(0);

    const { res } = await postUpdate(t, drill);
    expect(res.json.response_action).toBe('update');
    await waitForOutboxEmpty(t);
    // Not the announcement channel, not the stakeholder channel, not the stakeholder outside the channel.
    expect(updateDeliveries(t)).toEqual([drill.channel.id]);
    expect(t.slack.messagesIn(payTeam)).toHaveLength(0);
    expect(t.slack.messagesIn(ANNOUNCE_CHANNEL)).toHaveLength(0);
    expect(dmsTo(t, 'U4')).toHaveLength(0);

    const list = await t.command('list', { user: 'U2' });
    expect(JSON.stringify(list.json.blocks)).toContain(`*🧪 #${drill.number}*`);
    const timeline = await t.command('timeline', { channel: drill.channel.id });
    expect(JSON.stringify(timeline.json.blocks)).toContain(`Timeline of incident 🧪 #${drill.number} Checkout down`);
    expect(JSON.stringify(timeline.json.blocks)).toContain('Drill declared as SEV1');

    const before = t.slack.okCallsTo('views.publish').length;
    await t.event({ type: 'app_home_opened', user: 'U1', channel: 'DU1', tab: 'home' });
    await waitFor(() => t.slack.okCallsTo('views.publish').length > before, 'the Home tab');
    expect(JSON.stringify(t.slack.okCallsTo('views.publish').at(-1)!.args.view.blocks)).toContain(`*🧪 #${drill.number}* Checkout down · drill`);
  });

  it('changes no figure: insights, the Home tab’s service health and the weekly digest read the same with or without it', async () => {
    const declaredAt = now;
    const real = await declare(t, 'Card payments failing', { [D.services]: [await serviceId(t, 'Payments API')] });
    await setStatus(t, real.id, 'monitoring', new Date(declaredAt.getTime() + 45 * MIN));
    await setStatus(t, real.id, 'resolved', new Date(declaredAt.getTime() + 90 * MIN));
    // Measured when the reviews are overdue, so the digest's overdue list has something in it.
    const at = new Date(declaredAt.getTime() + 4 * DAY);
    const measure = async () => {
      const teamId = t.slack.teamId;
      const digestDeps = { db: t.db, settings: t.config.digest, standards: { updateCadence: t.config.updateCadence, reviewDue: t.config.reviewDue } };
      return {
        insights: await buildInsightsReport(t.db, { teamId, window: '30d' }, at),
        forService: await buildInsightsReport(t.db, { teamId, window: '7d', serviceId: Number(await serviceId(t, 'Payments API')) }, at),
        digest: await gatherDigest(digestDeps, teamId, at),
      };
    };
    const without = await measure();
    expect(without.insights.current.incidents).toBe(1);
    expect(without.digest.overdue.items).toHaveLength(1);

    now = new Date(declaredAt.getTime() + 10 * MIN);
    const drill = await declare(t, 'Checkout down', await drillOptions());
    await postUpdate(t, drill);
    await t.settle();
    await setStatus(t, drill.id, 'monitoring', new Date(declaredAt.getTime() + 70 * MIN));
    await setStatus(t, drill.id, 'resolved', new Date(declaredAt.getTime() + 200 * MIN));

    expect(await measure()).toEqual(without);
  });
});
