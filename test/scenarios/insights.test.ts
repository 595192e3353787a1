import { DECLARE_BLOCKS, DECLARE_PRIVATE_OPTION } from '../../src/slack/ids';
import { startTestHerald, type TestHerald } from '../support/harness';
import { declareIncident as declareThroughModal } from '../support/journeys';
import { declareIncident, setStatus } from '../support/reviewHelpers';

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
    expect(shown).toContain('not DORA’s change failure rate');
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

  it('is listed in the help', async () => {
    const res = await t.command('help');
    expect(res.json.text).toContain('/incident insights [7d|30d|90d] [service]');
  });
});
