import type { HomeIncident, HomeWork } from '../../../src/home/model';
import type { FollowUpWithIncident } from '../../../src/reviews/model';
import { HOME_CAPS, HOME_HEALTH_BLOCK_BUDGET, HOME_MAX_BLOCKS, homeView, type HomeInput } from '../../../src/slack/blocks/home';
import { SERVICE_HEALTH_MAX_BLOCKS } from '../../../src/slack/blocks/insights';
import type { KnownBlock } from '../../../src/slack/blocks/kit';
import { HOME_ACTIONS, REVIEW_ACTIONS } from '../../../src/slack/ids';
import { validateView } from '../../support/slackStub';

const NOW = new Date('2026-03-10T12:00:00Z');
const huge = 'x'.repeat(10_000);

const incident = (n: number, extra: Partial<HomeIncident> = {}): HomeIncident => ({
  id: n,
  number: n,
  title: `Incident ${n}`,
  severity: 'SEV2',
  status: 'investigating',
  isPrivate: false,
  channelId: `C${n}`,
  declaredBy: 'U1',
  commanderId: 'U2',
  declaredAt: new Date(NOW.getTime() - 90 * 60_000),
  nextUpdateDueAt: null,
  ...extra,
});

const followUp = (n: number, dueOn: string, extra: Partial<FollowUpWithIncident> = {}): FollowUpWithIncident => ({
  id: n,
  teamId: 'T1',
  incidentId: 1,
  title: `Follow-up ${n}`,
  ownerId: 'U3',
  dueOn,
  priority: 'medium',
  status: 'open',
  createdBy: 'U1',
  createdAt: NOW,
  doneBy: null,
  doneAt: null,
  incidentNumber: 1,
  incidentTitle: 'Incident 1',
  incidentChannelId: 'C1',
  commanderId: 'U2',
  ...extra,
});

const noWork: HomeWork = { roles: { items: [], total: 0 }, reviews: { items: [], total: 0 }, followUps: { items: [], total: 0 } };
const healthBlock = (n: number): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: `Figure ${n}` } });

const input = (over: Partial<HomeInput> = {}): HomeInput => ({
  teamId: 'T1',
  userId: 'U3',
  now: NOW,
  today: '2026-03-10',
  incidents: [],
  work: noWork,
  window: '30d',
  health: [healthBlock(1)],
  ...over,
});

const textOf = (view: { blocks: unknown[] }) => JSON.stringify(view.blocks);

describe('The Home tab builder', () => {
  it('stays within 100 valid blocks with any amount of history, counting what it leaves out', () => {
    const many = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i + 1));
    const view = homeView(
      input({
        incidents: many(500, (i) => incident(i, { title: huge, isPrivate: i % 2 === 0, nextUpdateDueAt: new Date(NOW.getTime() - 1) })),
        work: {
          roles: { items: many(HOME_CAPS.roles, (i) => ({ incidentId: i, number: i, title: huge, channelId: `C${i}`, roles: ['commander', 'scribe'] })), total: 300 },
          reviews: { items: many(HOME_CAPS.reviews, (i) => ({ incidentId: i, number: i, title: huge, channelId: null, dueAt: NOW, draft: true })), total: 250 },
          followUps: { items: many(HOME_CAPS.followUps, (i) => followUp(i, '2026-03-01', { title: huge })), total: 50_000 },
        },
        health: many(SERVICE_HEALTH_MAX_BLOCKS, healthBlock),
        notice: huge,
      }),
    );
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    expect(validateView(view, 'home')).toEqual([]);
    const text = textOf(view);
    expect(text).toContain(`…and ${500 - HOME_CAPS.incidents} more.`);
    expect(text).toContain(`…and ${300 - HOME_CAPS.roles} more.`);
    expect(text).toContain(`…and ${250 - HOME_CAPS.reviews} more.`);
    expect(text).toContain(`…and ${50_000 - HOME_CAPS.followUps} more.`);
    // Every figure of service health fits, after everything else at its caps.
    expect(text).toContain(`Figure ${SERVICE_HEALTH_MAX_BLOCKS}`);
  });

  it('leaves room for every block of service health', () => {
    expect(HOME_HEALTH_BLOCK_BUDGET).toBeGreaterThanOrEqual(SERVICE_HEALTH_MAX_BLOCKS);
  });

  it('shows an open incident’s severity, status, age, commander and an overdue update', () => {
    const view = homeView(input({ incidents: [incident(7, { nextUpdateDueAt: new Date(NOW.getTime() - 60_000) }), incident(8, { nextUpdateDueAt: new Date(NOW.getTime() + 60_000) })] }));
    const [seven, eight] = view.blocks.filter((b: any) => b.type === 'section' && /Incident [78]/.test(b.text.text)) as any[];
    expect(seven.text.text).toMatch(/SEV2 · Investigating · 1h 30m old · commander <@U2> · \*:warning: update overdue\*/);
    expect(eight.text.text).not.toContain('update overdue');
    expect(seven.accessory).toMatchObject({ action_id: HOME_ACTIONS.open, url: 'https://slack.com/app_redirect?team=T1&channel=C7' });
    expect(textOf(view)).toContain('1 with an update overdue');
  });

  it('gives each follow-up a Done button for the Home tab and says which are overdue', () => {
    const view = homeView(input({ work: { ...noWork, followUps: { items: [followUp(1, '2026-03-07'), followUp(2, '2026-03-20')], total: 2 } } }));
    const rows = view.blocks.filter((b: any) => b.accessory?.action_id === REVIEW_ACTIONS.followUpDone) as any[];
    expect(rows.map((r) => r.accessory.value)).toEqual(['1|home', '2|home']);
    expect(rows[0].text.text).toContain('overdue by 3 days');
    expect(rows[1].text.text).toContain('due 2026-03-20');
  });

  it('says plainly when there is nothing to show, and keeps the window chosen', () => {
    const view = homeView(input({ window: '90d' }));
    const text = textOf(view);
    expect(text).toContain('None that you can see');
    expect(text).toContain('Roles you hold* — none');
    expect(text).toContain('Reviews you owe* — none');
    expect(text).toContain('Follow-ups you own* — none open');
    expect(view.private_metadata).toBe('90d');
    expect(validateView(view, 'home')).toEqual([]);
  });
});
