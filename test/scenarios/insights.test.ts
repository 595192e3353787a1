import { DECLARE_BLOCKS, DECLARE_PRIVATE_OPTION, REVIEW_BLOCKS } from '../../src/slack/ids';
import { startTestHerald, type TestHerald } from '../support/harness';
import { declareIncident as declareThroughModal } from '../support/journeys';
import { block, declareIncident, modalOpenedBy, setStatus } from '../support/reviewHelpers';

const MIN = 60_000;
const USAGE = '`/incident insights [7d|30d|90d] [service]`';

describe('/incident insights: the service manager’s figures, anywhere', () => {
  let t: TestHerald;
  let now: Date;

  beforeEach(async () => {
    now = new Date(Date.now() - 3 * 60 * MIN);
    t = await startTestHerald({ clock: () => now });
  });
  afterEach(async () => {
    await t.stop();
  });

  async function service(name: string): Promise<number> {
    const [row] = await t.db.insertInto('services').values({ team_id: t.slack.teamId, name, name_key: name.toLowerCase() }).returning('id').execute();
    return row.id;
  }

  it('answers with impact by service, the times and the standards, leaving private incidents out by name', async () => {
    const payments = await service('Payments');
    const checkout = await service('Checkout');
    const declaredAt = now;
    const outage = await declareIncident(t, { title: 'Card payments failing', severity: 'SEV2', serviceIds: [payments, checkout] });
    await declareThroughModal(t, 'Secret vendor breach', { [DECLARE_BLOCKS.severity]: 'SEV2', [DECLARE_BLOCKS.services]: [String(payments)], [DECLARE_BLOCKS.options]: [DECLARE_PRIVATE_OPTION] });
    // Mitigated 45 minutes in, resolved at 90.
    now = new Date(declaredAt.getTime() + 45 * MIN);
    await setStatus(t, outage.id, 'monitoring', now);
    now = new Date(declaredAt.getTime() + 90 * MIN);
    await setStatus(t, outage.id, 'resolved', now);

    const res = await t.command('insights', { user: 'U3', channel: 'CRANDOM' });
    expect(res.status).toBe(200);
    expect(res.json.response_type).toBe('ephemeral');
    const shown = JSON.stringify(res.json.blocks);
    expect(res.json.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Service health, last 30 days' } });
    expect(shown).toContain('*Payments* — ');
    expect(shown).toContain('*Checkout* — 45m over 1 incident');
    expect(shown).toMatch(/Time to mitigate:\* median 45m/);
    expect(shown).toMatch(/Time to resolve:\* median 1h 30m/);
    expect(shown).toContain('1 private incident left out');
    expect(shown).not.toContain('Secret vendor breach');
    expect(shown).toContain('*Change failure rate:* no production deployments reported');
    expect(res.json.text).toContain('Service health, last 30 days');
  });

  it('takes a window and a service, in any case', async () => {
    const payments = await service('Payments API');
    await declareIncident(t, { title: 'Card payments failing', severity: 'SEV2', serviceIds: [payments] });
    now = new Date(now.getTime() + 5 * MIN);
    const res = await t.command('insights 7d payments api', { user: 'U3' });
    expect(res.json.blocks[0].text.text).toBe('Service health, last 7 days — Payments API');
    expect(JSON.stringify(res.json.blocks)).toContain('1 incident declared ▲ _from 0_');
    expect(JSON.stringify(res.json.blocks)).toContain('*Payments API* — 5m over 1 incident');
  });

  it.each([
    ['insights 14d', '`14d` is not a window: use 7d, 30d, 90d.'],
    ['insights 2w Payments', '`2w` is not a window: use 7d, 30d, 90d.'],
    ['insights 30d Nowhere', 'There is no service called “Nowhere”.'],
    ['insights Nowhere At All', 'There is no service called “Nowhere At All”.'],
  ])('answers `/incident %s` with the reason and the usage', async (typed, reason) => {
    const res = await t.command(typed, { user: 'U3' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_type: 'ephemeral', text: `${reason} Usage: ${USAGE}` });
  });

  it('counts customer impact from when it started (declare modal) to when it ended (corrected in the review)', async () => {
    const payments = await service('Payments');
    const declaredAt = now;
    const seconds = (at: Date) => Math.floor(at.getTime() / 1000);
    const began = new Date(declaredAt.getTime() - 20 * MIN);
    await declareThroughModal(t, 'Card payments failing', { [DECLARE_BLOCKS.services]: [String(payments)], [DECLARE_BLOCKS.impactStarted]: seconds(began) });
    const [row] = await t.db.selectFrom('incidents').select(['id', 'channel_id']).execute();
    now = new Date(declaredAt.getTime() + 45 * MIN);
    await setStatus(t, row.id, 'monitoring', now);
    now = new Date(declaredAt.getTime() + 90 * MIN);
    await setStatus(t, row.id, 'resolved', now);
    const impactOf = async () => JSON.stringify((await t.command('insights 7d Payments', { user: 'U3' })).json.blocks).match(/\*Payments\* — ([^ ]+ ?[^ ]*) over/)?.[1];
    expect(await impactOf()).toBe('1h 5m'); // 20 minutes before the declaration + 45 after it

    // The review shows both times and takes a correction; a nonsensical one comes back as a field error.
    const view = await modalOpenedBy(t, () => t.command('review', { user: 'U1', channel: row.channel_id! }));
    expect(block(view, REVIEW_BLOCKS.impactStarted).element.initial_date_time).toBe(seconds(began));
    expect(block(view, REVIEW_BLOCKS.impactEnded).element.initial_date_time).toBe(seconds(new Date(declaredAt.getTime() + 45 * MIN)));
    const answers = { [REVIEW_BLOCKS.summary]: 'The card processor timed out.', [REVIEW_BLOCKS.impact]: 'Card payments failed.', [REVIEW_BLOCKS.contributingFactors]: 'No timeout alert.' };
    const backwards = await t.submitView(view, { ...answers, [REVIEW_BLOCKS.impactEnded]: seconds(began) - 60 });
    expect(backwards.json).toEqual({ response_action: 'errors', errors: { [REVIEW_BLOCKS.impactEnded]: 'Customer impact cannot end before it started.' } });
    const saved = await t.submitView(view, { ...answers, [REVIEW_BLOCKS.impactEnded]: seconds(new Date(declaredAt.getTime() + 30 * MIN)) });
    expect(saved.json.response_action).toBe('update');
    expect(await impactOf()).toBe('50m'); // 20 before + 30 after
  });

  it('refuses an impact start in the future when declaring', async () => {
    const { res } = await declareThroughModal(t, 'Card payments failing', { [DECLARE_BLOCKS.impactStarted]: Math.floor(now.getTime() / 1000) + 3600 });
    expect(res.json).toMatchObject({ response_action: 'errors', errors: { [DECLARE_BLOCKS.impactStarted]: expect.stringContaining('cannot start in the future') } });
  });

  it('is listed in the help', async () => {
    const res = await t.command('help');
    expect(res.json.text).toContain('/incident insights [7d|30d|90d] [service]');
  });
});
