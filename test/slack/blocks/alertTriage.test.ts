import { alertTriageMessage } from '../../../src/slack/blocks/alertTriage';
import { declareModal } from '../../../src/slack/blocks/declareModal';
import { ALERT_ACTIONS } from '../../../src/slack/ids';
import type { TriageView } from '../../../src/signals/ports';
import { validateMessageBlocks, validateView } from '../../../src/sandbox/slack/blockKit';

const long = (n: number) => 'x'.repeat(n);

function view(overrides: Partial<TriageView> = {}): TriageView {
  return {
    groupId: 7,
    revision: 1,
    source: 'alertmanager',
    title: long(400),
    status: 'firing',
    service: long(300),
    severityLabel: long(100),
    sourceUrl: `https://prometheus.example.com/graph?g0.expr=${long(300)}`,
    firstFiredAt: new Date('2026-11-27T10:00:00Z'),
    alerts: Array.from({ length: 15 }, (_, i) => ({ id: i, fingerprint: `f${i}`, name: long(500), status: i % 2 ? 'resolved' : 'firing', summary: long(2000), startsAt: new Date(), endsAt: null })),
    firing: 600,
    resolved: 400,
    incident: null,
    attachedBy: null,
    dismissedBy: null,
    attachable: [1, 2, 3, 4].map((n) => ({ id: n, number: n, title: long(200), channelId: null, commanderId: 'U1' })),
    ...overrides,
  };
}

describe('The triage message of an alert group', () => {
  it('stays within Block Kit limits whatever the group holds, and counts what it does not list', () => {
    const message = alertTriageMessage(view());
    expect(validateMessageBlocks(message.blocks)).toEqual([]);
    const list = (message.blocks[2] as any).text.text as string;
    const listed = list.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(listed).toBeGreaterThan(3);
    expect(list).toMatch(new RegExp(`…and ${1000 - listed} more$`));
    const actions = message.blocks.find((b) => b.type === 'actions') as any;
    expect(actions.elements.map((e: any) => e.action_id)).toEqual([ALERT_ACTIONS.declare, ...ALERT_ACTIONS.attach, ALERT_ACTIONS.dismiss]);
  });

  it('prefills a valid declare modal from an alert', () => {
    const modal = declareModal({ title: long(400), declarerId: 'U1', services: [{ id: 3, name: 'Payments API' }], severity: 'SEV1', serviceIds: [3], summary: long(5000), alertGroupId: 7 });
    expect(validateView(modal, 'modal')).toEqual([]);
    expect(JSON.parse(modal.private_metadata!)).toEqual({ alertGroupId: 7 });
  });
});
