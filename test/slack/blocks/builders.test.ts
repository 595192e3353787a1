import type { Incident } from '../../../src/incidents/model';
import { announcement } from '../../../src/slack/blocks/announcement';
import { declareModal } from '../../../src/slack/blocks/declareModal';
import { declaredNotice } from '../../../src/slack/blocks/declaredNotice';
import { helpMessage } from '../../../src/slack/blocks/help';
import { incidentList } from '../../../src/slack/blocks/incidentList';
import { incidentTopic } from '../../../src/slack/blocks/incidentText';
import { summaryCard } from '../../../src/slack/blocks/summaryCard';
import { cappedList, cutThenEscape, mrkdwn } from '../../../src/slack/blocks/text';
import { loadConfig } from '../../../src/config';
import { validateMessageBlocks, validateView } from '../../support/slackStub';

const huge = 'x'.repeat(10_000);

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 7,
    teamId: 'T1',
    number: 42,
    title: 'Checkout fails for card payments',
    summary: 'Customers see 502 on pay',
    severity: 'SEV1',
    status: 'investigating',
    isPrivate: false,
    declaredBy: 'U1',
    commanderId: 'U2',
    commsId: null,
    scribeId: null,
    channelId: 'C42',
    channelName: 'inc-42-checkout',
    cardTs: null,
    announcementChannelId: null,
    announcementTs: null,
    declaredAt: new Date('2026-11-25T10:00:00Z'),
    acknowledgedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
    closedAt: null,
    services: [{ id: 1, name: 'Payments API' }],
    ...overrides,
  };
}

const extreme = incident({
  title: huge.slice(0, 150),
  summary: huge,
  services: Array.from({ length: 300 }, (_, i) => ({ id: i, name: `Service number ${i} with a long name ${huge.slice(0, 80)}` })),
  commsId: 'U3',
  scribeId: 'U4',
});

describe('Block Kit builders stay inside Slack’s limits', () => {
  it('the summary card, with everything at its longest', () => {
    expect(validateMessageBlocks(summaryCard(incident()).blocks)).toEqual([]);
    expect(validateMessageBlocks(summaryCard(extreme).blocks)).toEqual([]);
  });

  it('the announcement and the declarer’s notice', () => {
    expect(validateMessageBlocks(announcement(extreme).blocks)).toEqual([]);
    expect(validateMessageBlocks(declaredNotice(extreme, Array.from({ length: 40 }, (_, i) => `step${i}:code${i}`)).blocks)).toEqual([]);
  });

  it('the declare modal with 300 known services and an over-long prefilled title', () => {
    const view = declareModal({ title: huge, declarerId: 'U1', services: extreme.services });
    expect(validateView(view, 'modal')).toEqual([]);
    const services = view.blocks.find((b) => b.block_id === 'declare_services') as any;
    expect(services.element.options).toHaveLength(100);
  });

  it('the declare modal when no service is known yet', () => {
    expect(validateView(declareModal({ declarerId: 'U1', services: [] }), 'modal')).toEqual([]);
  });

  it('the incident list, however many are open', () => {
    const many = Array.from({ length: 120 }, (_, i) => incident({ id: i, number: i, title: huge.slice(0, 150) }));
    const message = incidentList(many);
    expect(validateMessageBlocks(message.blocks)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('…and 75 more.');
  });

  it('the help', () => {
    expect(validateMessageBlocks(helpMessage(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).updateCadence, huge).blocks)).toEqual([]);
  });

  it('the channel topic stays within 250 characters and says severity, status and commander', () => {
    expect(incidentTopic(extreme).length).toBeLessThanOrEqual(250);
    expect(incidentTopic(incident())).toBe('SEV1 · Investigating | Commander: <@U2> | Checkout fails for card payments');
  });

  it('user text cannot inject mentions or links into the card', () => {
    const card = JSON.stringify(summaryCard(incident({ summary: '<!channel> see <https://evil|here>' })).blocks);
    expect(card).toContain('&lt;!channel&gt;');
    expect(card).not.toContain('<!channel>');
  });
});

describe('Long text is capped by item and cut before it is escaped', () => {
  it('cuts user text before escaping it, so "&" never ends up as a broken "&am…"', () => {
    const cut = cutThenEscape('Fish & chips & peas', 17);
    expect(cut).toBe('Fish &amp; chips…');
    expect(cut.length).toBeLessThanOrEqual(17);
    expect(cutThenEscape('A & B', 100)).toBe('A &amp; B');
  });

  it('never cuts mrkdwn inside an escape or a mention, even as a last resort', () => {
    expect(mrkdwn('&amp;'.repeat(700)).text).toMatch(/^(&amp;)+…$/);
    expect(mrkdwn(`${'x'.repeat(2990)} <@U12345678>`).text).toBe(`${'x'.repeat(2990)}…`);
  });

  it('lists whole items with how many more, within the characters given', () => {
    const names = Array.from({ length: 50 }, (_, i) => `Service number ${i + 1}`);
    const text = cappedList(names, 200);
    expect(text.length).toBeLessThanOrEqual(200);
    expect(text).toMatch(/^Service number 1, Service number 2, .*Service number \d+, and \d+ more$/);
    expect(cappedList(['a', 'b'], 200)).toBe('a, b');
  });

  it('keeps the announcement’s Join link with a hundred long service names', () => {
    const services = Array.from({ length: 100 }, (_, i) => ({ id: i, name: `Service ${i} & friends ${'x'.repeat(80)}` }));
    const [section] = announcement(incident({ services })).blocks as any[];
    expect(section.text.text).toContain('*Join:* <#C42>');
    expect(section.text.text).toMatch(/, and \d+ more\n/);
  });
});
