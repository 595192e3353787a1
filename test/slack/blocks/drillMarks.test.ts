import type { Incident } from '../../../src/incidents/model';
import { EMPTY_CONTENT } from '../../../src/reviews/model';
import { incidentTopic } from '../../../src/slack/blocks/incidentText';
import { incidentList } from '../../../src/slack/blocks/incidentList';
import { reviewDocument } from '../../../src/slack/blocks/reviewDocument';
import { summaryCard } from '../../../src/slack/blocks/summaryCard';
import { timelineMessage } from '../../../src/slack/blocks/timeline';
import { validateMessageBlocks } from '../../support/slackStub';

const drill: Incident = {
  id: 7, teamId: 'T1', number: 12, title: 'Checkout down', summary: 'Rehearsal', severity: 'SEV2', status: 'resolved',
  isPrivate: false, isDrill: true, declaredBy: 'U1', commanderId: 'U1', commsId: null, scribeId: null,
  channelId: 'C1', channelName: 'inc-12-drill-checkout-down', cardTs: null, announcementChannelId: null, announcementTs: null,
  declaredAt: new Date('2026-03-01T10:00:00Z'), acknowledgedAt: null, mitigatedAt: null, resolvedAt: new Date('2026-03-01T10:40:00Z'), closedAt: null,
  services: [],
};

describe('A drill is marked 🧪 wherever Herald shows it', () => {
  it('on its card, topic, list line, timeline and review', () => {
    const card = summaryCard(drill);
    expect(card.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Drill 🧪 #12 Checkout down' } });
    expect(validateMessageBlocks(card.blocks)).toEqual([]);
    expect(incidentTopic(drill)).toMatch(/^🧪 DRILL · SEV2/);
    expect(JSON.stringify(incidentList([drill]).blocks)).toContain('*🧪 #12*');
    expect(JSON.stringify(timelineMessage(drill, []).blocks)).toContain('Timeline of incident 🧪 #12');
    const revision = { reviewId: 1, revision: 1, content: EMPTY_CONTENT, submittedBy: 'U1', submittedAt: drill.resolvedAt!, publishedTs: [] };
    expect(JSON.stringify(reviewDocument(drill, revision, [])[0].blocks)).toContain('🧪 #12 Checkout down');
  });

  it('and an incident is not', () => {
    const incident = { ...drill, isDrill: false };
    expect(JSON.stringify(summaryCard(incident).blocks)).not.toContain('🧪');
    expect(incidentTopic(incident)).not.toContain('🧪');
  });
});
