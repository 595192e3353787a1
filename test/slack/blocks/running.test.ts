import type { Incident } from '../../../src/incidents/model';
import type { TimelineEvent } from '../../../src/incidents/timelineRepository';
import { announcement } from '../../../src/slack/blocks/announcement';
import { roleModal, severityModal, statusModal } from '../../../src/slack/blocks/changeModals';
import { announcementReply, changeNote } from '../../../src/slack/blocks/changeNote';
import { closeConfirmation } from '../../../src/slack/blocks/closeConfirmation';
import { summaryCard } from '../../../src/slack/blocks/summaryCard';
import { timelineMessage } from '../../../src/slack/blocks/timeline';
import { validateMessageBlocks, validateView } from '../../support/slackStub';

const huge = 'x'.repeat(10_000);

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 7, teamId: 'T1', number: 42, title: huge.slice(0, 150), summary: huge, severity: 'SEV1', status: 'investigating', isPrivate: false,
    declaredBy: 'U1', commanderId: 'U2', commsId: 'U3', scribeId: 'U4', channelId: 'C42', channelName: 'inc-42', cardTs: '1.000100',
    announcementChannelId: 'CANN', announcementTs: '1.000200', declaredAt: new Date('2026-11-25T10:00:00Z'),
    acknowledgedAt: new Date('2026-11-25T10:05:00Z'), mitigatedAt: new Date('2026-11-25T11:00:00Z'), resolvedAt: new Date('2026-11-25T12:00:00Z'),
    closedAt: null, services: [{ id: 1, name: 'Payments API' }],
    ...overrides,
  };
}

const event = (i: number, overrides: Partial<TimelineEvent> = {}): TimelineEvent => ({
  id: i + 1,
  at: new Date(Date.UTC(2026, 10, 25, 10, 0, i)),
  kind: 'note',
  actorId: 'U2',
  text: `entry ${i} ${huge.slice(0, 900)}`,
  data: {},
  ...overrides,
});

describe('Builders for running an incident stay inside Slack’s limits', () => {
  it('the timeline, however long: the newest that fit, oldest first, saying how many are left out', () => {
    const events = Array.from({ length: 2000 }, (_, i) => event(i));
    const message = timelineMessage(incident(), events);
    expect(validateMessageBlocks(message.blocks)).toEqual([]);
    const text = JSON.stringify(message.blocks);
    expect(text).toMatch(/\d+ earlier entries are not shown/);
    expect(text).toContain('entry 1999');
    expect(text.indexOf('entry 1998')).toBeLessThan(text.indexOf('entry 1999'));
    expect(text).not.toContain('entry 0 ');
  });

  it('the timeline with an Edit button beside each note, however many: within 50 blocks, the newest kept', () => {
    const events = Array.from({ length: 2000 }, (_, i) => event(i, { text: `entry ${i}`, kind: i % 3 === 0 ? 'status' : 'note' }));
    const message = timelineMessage(incident(), events, { canCorrect: true });
    expect(validateMessageBlocks(message.blocks)).toEqual([]);
    const buttons: any[] = message.blocks.filter((b: any) => b.accessory?.action_id === 'timeline_edit');
    expect(buttons.length).toBeGreaterThanOrEqual(20);
    // Only notes carry the button, each in its own section, with its entry's id.
    expect(buttons.every((b: any) => /entry \d+$/.test(b.text.text) && Number(b.text.text.split(' ').at(-1)) % 3 !== 0)).toBe(true);
    expect(buttons.at(-1).accessory.value).toBe(String(2000));
    expect(JSON.stringify(message.blocks)).toMatch(/\d+ earlier entries are not shown/);
    expect(timelineMessage(incident(), events).blocks.some((b: any) => b.accessory)).toBe(false);
  });

  it('the timeline never cuts a mention or link in half, and escapes the typed title', () => {
    const long = `${'a'.repeat(590)} <@U12345678> and <https://example.com/${'p'.repeat(50)}|a link>`;
    const message = timelineMessage(incident(), [
      event(1, { kind: 'declared', text: 'Declared as SEV1: <!channel> is down' }),
      event(2, { text: long }),
      event(3, { kind: 'pinned', text: 'look', data: { authorId: 'U5', permalink: 'https://stub/p1' } }),
    ]);
    const text = message.blocks.map((b: any) => b.text?.text ?? '').join('\n');
    expect(text).toContain('&lt;!channel&gt; is down');
    expect(text).not.toMatch(/<[^>]*…/);
    expect(text).toContain(':pushpin: <@U5>: look <https://stub/p1|view> — pinned by <@U2>');
    expect(timelineMessage(incident(), []).text).toBe('Timeline of incident #42 (0 entries)');
    // What a monitoring system sent is shown as it is, not as Slack formatting.
    const alert = timelineMessage(incident(), [event(4, { kind: 'alert', text: 'Alert group attached: <!here> disk full' })]);
    expect(alert.blocks.map((b: any) => b.text?.text ?? '').join('\n')).toContain('&lt;!here&gt; disk full');
  });

  it('the change modals, with every choice described', () => {
    for (const view of [statusModal(incident()), severityModal(incident()), roleModal(incident())]) {
      expect(validateView(view, 'modal')).toEqual([]);
      expect(JSON.parse(view.private_metadata!)).toEqual({ incidentId: 7 });
    }
    expect(validateView(statusModal(incident({ status: 'resolved' })), 'modal')).toEqual([]);
  });

  it('the card and announcement in every state, the notes and the close question', () => {
    for (const status of ['investigating', 'resolved', 'closed'] as const) {
      expect(validateMessageBlocks(summaryCard(incident({ status, closedAt: status === 'closed' ? new Date() : null })).blocks)).toEqual([]);
      expect(validateMessageBlocks(announcement(incident({ status })).blocks)).toEqual([]);
    }
    const closedCard = JSON.stringify(summaryCard(incident({ status: 'closed', closedAt: new Date() })).blocks);
    expect(closedCard).toContain('Closed <!date^');
    expect(closedCard).not.toContain('"actions"');
    const change = { change: 'severity' as const, from: 'SEV3' as const, to: 'SEV1' as const };
    expect(validateMessageBlocks(changeNote(change, 'U1').blocks)).toEqual([]);
    expect(validateMessageBlocks(announcementReply(incident(), change, 'U1').blocks)).toEqual([]);
    expect(validateMessageBlocks(closeConfirmation(incident(), Array.from({ length: 30 }, () => huge)).blocks)).toEqual([]);
  });
});
