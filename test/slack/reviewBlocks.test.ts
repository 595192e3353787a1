import type { Incident } from '../../src/incidents/model';
import type { TimelineEvent } from '../../src/incidents/timelineRepository';
import { EMPTY_CONTENT, type ReviewRevision } from '../../src/reviews/model';
import { prefillReview } from '../../src/reviews/writeReview';
import { myFollowUpList } from '../../src/slack/blocks/followUps';
import { splitText } from '../../src/slack/blocks/longText';
import { reviewDocument } from '../../src/slack/blocks/reviewDocument';
import { reviewModal } from '../../src/slack/blocks/reviewModal';
import { validateMessageBlocks, validateView } from '../support/slackStub';

const incident: Incident = {
  id: 7,
  teamId: 'T1',
  number: 12,
  title: 'Payments & <checkout> fail'.padEnd(150, '!'),
  summary: 'Card payments failed',
  severity: 'SEV1',
  status: 'resolved',
  isPrivate: false,
  declaredBy: 'U1',
  commanderId: 'U1',
  commsId: null,
  scribeId: null,
  channelId: 'C1',
  channelName: 'inc-12',
  cardTs: null,
  announcementChannelId: null,
  announcementTs: null,
  declaredAt: new Date('2026-03-01T10:00:00Z'),
  acknowledgedAt: null,
  mitigatedAt: new Date('2026-03-01T10:25:00Z'),
  resolvedAt: new Date('2026-03-01T10:40:00Z'),
  closedAt: null,
  services: [{ id: 1, name: 'Payments API' }],
};

const timeline = (n: number, chars: number): TimelineEvent[] =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, at: new Date(incident.declaredAt.getTime() + i * 1000), kind: 'note', actorId: 'U1', text: `Event ${i} ${'x'.repeat(chars)}`, data: {} }));

describe('splitting long text', () => {
  it('never loses a character and keeps each piece within the limit', () => {
    const text = Array.from({ length: 40 }, (_, i) => `Paragraph ${i}. ${'word '.repeat(60 + i)}`.trim()).join('\n\n');
    const pieces = splitText(text, 500);
    expect(pieces.every((p) => p.length <= 500)).toBe(true);
    expect(pieces.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });

  it('breaks at a paragraph when one is in reach, and inside a word only when nothing else is', () => {
    expect(splitText('aaaa bbbb\n\ncccc dddd', 15)).toEqual(['aaaa bbbb', 'cccc dddd']);
    expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});

describe('review builders stay inside Slack’s limits', () => {
  it('builds a valid review modal however long the timeline and the answers', () => {
    const long = 'y'.repeat(3000);
    const view = reviewModal({
      incident,
      review: null,
      prefill: EMPTY_CONTENT,
      timeline: timeline(400, 390),
      values: { ...EMPTY_CONTENT, summary: long, impact: long, contributingFactors: long, wentWell: long, toImprove: long, changeReference: long, impactDuration: long },
    });
    expect(validateView(view, 'modal')).toEqual([]);
    expect(JSON.stringify(view)).toMatch(/later events not shown/);
  });

  it('splits a long review into valid messages, each numbered, with nothing cut', () => {
    const long = (tag: string) => `${tag} ${'z '.repeat(1400)}`.trim();
    const revision: ReviewRevision = {
      reviewId: 1,
      revision: 1,
      content: { ...EMPTY_CONTENT, summary: long('S'), impact: long('I'), contributingFactors: long('F'), wentWell: long('W'), toImprove: long('B'), changeReference: 'PR <#481> & more' },
      submittedBy: 'U1',
      submittedAt: incident.resolvedAt!,
      publishedTs: [],
    };
    const messages = reviewDocument(incident, revision, timeline(300, 480));
    expect(messages.length).toBeGreaterThan(2);
    messages.forEach((m, i) => {
      expect(validateMessageBlocks(m.blocks)).toEqual([]);
      expect(m.text).toContain(`(part ${i + 1} of ${messages.length})`);
    });
    const all = messages.flatMap((m) => m.blocks).map((b: any) => b.text?.text ?? '').join(' ');
    expect(all).toContain('Event 299');
    expect(all).toContain('PR &lt;#481&gt; &amp; more');
    expect(all.split('z').length - 1).toBeGreaterThanOrEqual(5 * 1400);
  });

  it('prefills a new review from the incident and a draft from what was saved', () => {
    expect(prefillReview(incident, null)).toMatchObject({ summary: 'Card payments failed', impact: 'Affected services: Payments API.', impactDuration: '25m', changeCaused: 'unknown' });
    const draft = { ...EMPTY_CONTENT, id: 1, incidentId: 7, status: 'draft' as const, dueAt: null, revision: 0, updatedBy: 'U1', updatedAt: null, submittedBy: null, submittedAt: null, summary: 'Mine', impactDuration: '' };
    expect(prefillReview(incident, draft)).toMatchObject({ summary: 'Mine', impactDuration: '25m' });
    expect(prefillReview(incident, draft)).not.toHaveProperty('id');
  });

  it('caps a long follow-up list under the block limit', () => {
    const many = Array.from({ length: 80 }, (_, i) => ({
      id: i,
      teamId: 'T1',
      incidentId: 7,
      title: `Task ${i} ${'t'.repeat(400)}`,
      ownerId: 'U2',
      dueOn: '2031-01-01',
      priority: 'high' as const,
      status: 'open' as const,
      createdBy: 'U1',
      createdAt: new Date(),
      doneBy: null,
      doneAt: null,
      incidentNumber: 12,
      incidentTitle: incident.title,
      incidentChannelId: 'C1',
      commanderId: 'U1',
    }));
    const list = myFollowUpList(many, '2031-02-01');
    expect(validateMessageBlocks(list.blocks)).toEqual([]);
    expect(JSON.stringify(list.blocks)).toMatch(/and 35 more/);
    expect(JSON.stringify(list.blocks)).toMatch(/overdue by 31 days/);
  });
});
