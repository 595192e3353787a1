import { describeDestinations, planDestinations } from '../../src/comms/destinations';
import type { Incident } from '../../src/incidents/model';

const incident = (over: Partial<Incident> = {}): Incident => ({
  id: 1,
  teamId: 'T1',
  number: 7,
  title: 'Checkout is down',
  summary: '',
  severity: 'SEV1',
  status: 'investigating',
  isPrivate: false,
  declaredBy: 'U1',
  commanderId: 'U2',
  commsId: null,
  scribeId: null,
  channelId: 'CINC',
  channelName: 'inc-7-checkout-is-down',
  cardTs: '1.1',
  announcementChannelId: 'CANN',
  announcementTs: '2.2',
  declaredAt: new Date(0),
  acknowledgedAt: null,
  mitigatedAt: null,
  resolvedAt: null,
  closedAt: null,
  services: [],
  ...over,
});

const audience = {
  channels: new Map([
    ['CPAY', ['Payments API']],
    ['CANN', ['Checkout']],
  ]),
  people: new Map([
    ['U3', ['Payments API', 'Checkout']],
    ['U4', ['Checkout']],
  ]),
};

describe('Where a status update goes', () => {
  it('goes to each place once: the announcement channel is reached through its thread, a subscribed stakeholder by one DM', () => {
    const plan = planDestinations({ incident: incident(), audience, subscribers: ['U4', 'U5'] });
    expect(plan.map((d) => `${d.kind}:${d.channel}${d.threadTs ? `/${d.threadTs}` : ''}`)).toEqual([
      'incident_channel:CINC',
      'announcement:CANN/2.2',
      'stakeholder_channel:CPAY',
      'dm:U3',
      'dm:U4',
      'dm:U5',
    ]);
    expect(plan.find((d) => d.channel === 'U3')!.reason).toBe('stakeholder of Payments API, Checkout');
    expect(plan.find((d) => d.channel === 'U5')!.reason).toBe('subscriber');
    expect(describeDestinations(plan)).toBe('the incident channel, the announcement thread, 1 stakeholder channel and 3 people by DM');
  });

  it('keeps a private incident to its channel and the members among its stakeholders and subscribers', () => {
    const plan = planDestinations({ incident: incident({ isPrivate: true }), audience, subscribers: ['U5'], channelMembers: new Set(['U2', 'U4', 'U5']) });
    expect(plan.map((d) => `${d.kind}:${d.channel}`)).toEqual(['incident_channel:CINC', 'dm:U4', 'dm:U5']);
  });
});
