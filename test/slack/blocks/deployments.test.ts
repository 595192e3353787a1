import type { Incident, LinkedDeployment } from '../../../src/incidents/model';
import { EMPTY_CONTENT } from '../../../src/reviews/model';
import { recentDeploymentsMessage } from '../../../src/slack/blocks/deployments';
import { reviewModal } from '../../../src/slack/blocks/reviewModal';
import { summaryCard } from '../../../src/slack/blocks/summaryCard';
import { REVIEW_BLOCKS } from '../../../src/slack/ids';
import { validateMessageBlocks, validateView } from '../../support/slackStub';

const incident: Incident = {
  id: 7, teamId: 'T1', number: 12, title: 'Payments fail', summary: 'Card payments failed', severity: 'SEV1', status: 'resolved', isPrivate: false,
  declaredBy: 'U1', commanderId: 'U1', commsId: null, scribeId: null, channelId: 'C1', channelName: 'inc-12', cardTs: null,
  announcementChannelId: null, announcementTs: null, declaredAt: new Date('2026-03-01T10:00:00Z'), acknowledgedAt: null,
  mitigatedAt: null, resolvedAt: new Date('2026-03-01T10:40:00Z'), closedAt: null, services: [{ id: 1, name: 'Payments API' }],
};

/** Deployments with every field as long and as hostile as a pipeline could send. */
const deployments = (n: number): LinkedDeployment[] =>
  Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    service: `Payments <API> & ${'s'.repeat(80)}`.slice(0, 80),
    version: `v${i}-${'`x|>'.repeat(50)}`,
    environment: 'production',
    summary: `<!channel> ${'long summary '.repeat(40)}`,
    author: 'a'.repeat(200),
    url: `https://ci.example.com/runs/${i}?a=1|b>2 ${'p'.repeat(400)}`,
    deployedAt: new Date(Date.UTC(2026, 2, 1, 9, 59 - (i % 60))),
    caused: i === 1,
  }));

describe('deployments in Block Kit', () => {
  it.each([1, 5, 6, 200])('the card and the channel message stay valid with %i long deployments, and say how many are not listed', (n) => {
    const card = summaryCard({ ...incident, status: 'investigating', deployments: deployments(n) });
    expect(validateMessageBlocks(card.blocks)).toEqual([]);
    const message = recentDeploymentsMessage(incident, deployments(n));
    expect(validateMessageBlocks(message.blocks)).toEqual([]);
    const cardText = JSON.stringify(card.blocks);
    if (n > 5) expect(cardText).toContain(`…and ${n - 5} more`);
    if (n > 15) expect(JSON.stringify(message.blocks)).toContain(`…and ${n - 15} more`);
    // Nothing a pipeline sends can mention people or break out of a link.
    expect(cardText).not.toContain('<!channel>');
    expect(cardText).not.toContain('<API>');
  });

  it('the card shows no deployments section when none were deployed', () => {
    expect(JSON.stringify(summaryCard(incident).blocks)).not.toContain('Deployed shortly before');
  });

  it.each([[3, 'checkboxes'], [10, 'checkboxes'], [11, 'multi_static_select'], [150, 'multi_static_select']])(
    'the review offers %i deployments as %s, within Slack’s limits, with the saved cause ticked',
    (n, type) => {
      const view = reviewModal({ incident: { ...incident, deployments: deployments(n as number) }, review: null, prefill: EMPTY_CONTENT, timeline: [], values: EMPTY_CONTENT });
      expect(validateView(view, 'modal')).toEqual([]);
      const offered = view.blocks.find((b: any) => b.block_id === REVIEW_BLOCKS.causeDeployments) as any;
      expect(offered.element.type).toBe(type);
      expect(offered.element.options.length).toBe(Math.min(n as number, 100));
      expect(offered.element.initial_options.map((o: any) => o.value)).toEqual(['2']);
    },
  );

  it('the review asks nothing about deployments when none were linked', () => {
    const view = reviewModal({ incident, review: null, prefill: EMPTY_CONTENT, timeline: [], values: EMPTY_CONTENT });
    expect(view.blocks.some((b: any) => b.block_id === REVIEW_BLOCKS.causeDeployments)).toBe(false);
  });
});
