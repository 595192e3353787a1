import type { InsightsFigures, InsightsReport } from '../../../src/insights/model';
import { insightsMessage, SERVICE_HEALTH_MAX_BLOCKS, serviceHealthBlocks, trend } from '../../../src/slack/blocks/insights';
import { validateMessageBlocks, validateView } from '../../../src/sandbox/slack/blockKit';

const period = { start: new Date('2026-06-01T00:00:00Z'), end: new Date('2026-07-01T00:00:00Z') };
const long = (n: number) => `A very long incident title about <everything> & more `.repeat(n);

function figures(size: number): InsightsFigures {
  const refs = Array.from({ length: size }, (_, i) => ({ id: i + 1, number: i + 1, title: long(5), channelId: `C${i + 1}` }));
  return {
    period,
    incidents: size,
    privateLeftOut: 3,
    impactByService: Array.from({ length: size }, (_, i) => ({ serviceId: i, name: `Service with a long name ${i} `.repeat(6), impactMinutes: 10_000 - i, incidents: i + 1 })),
    impactMinutes: 123_456,
    timeToFirstUpdate: { count: size, medianMs: 600_000, p90Ms: 3_600_000 },
    timeToMitigate: { count: 0, medianMs: null, p90Ms: null },
    timeToResolve: { count: size, medianMs: 7_200_000, p90Ms: 86_400_000 },
    cadence: { due: size * 3, onTime: size, byIncident: refs.map((r) => ({ ...r, due: 3, onTime: 1 })), wentQuiet: refs },
    reviews: { owed: 4, overdue: 2, completed: 9, completedOnTime: 6 },
    followUps: { open: size, overdue: size, done: 7, doneOnTime: 3, byOwner: Array.from({ length: size }, (_, i) => ({ ownerId: `U${i}`, open: 1, overdue: 1, done: 1, doneOnTime: 0 })) },
    changeCaused: { reviewed: 8, caused: 3 },
  };
}

const report = (size: number): InsightsReport => ({ window: '30d', service: { id: 1, name: 'Payments '.repeat(30) }, current: figures(size), previous: figures(Math.max(0, size - 1)) });

describe('the insights blocks', () => {
  it.each([0, 1, 500])('stay within Slack’s limits with %i incidents, services and owners', (size) => {
    const blocks = serviceHealthBlocks(report(size));
    expect(blocks.length).toBeLessThanOrEqual(SERVICE_HEALTH_MAX_BLOCKS);
    expect(validateMessageBlocks(insightsMessage(report(size)).blocks)).toEqual([]);
    // The Home tab puts them in a view: valid there too.
    expect(validateView({ type: 'home', blocks }, 'home')).toEqual([]);
  });

  it('caps the lists and says how many more there are', () => {
    const text = JSON.stringify(serviceHealthBlocks(report(500)));
    expect(text).toContain('…and 490 more services');
    expect(text).toContain('and 490 more');
    expect(text).toContain('3 private incidents left out');
  });

  it('escapes incident titles, so a title cannot mention or link', () => {
    const text = JSON.stringify(serviceHealthBlocks(report(2)));
    expect(text).toContain('&lt;everything&gt; &amp; more');
    expect(text).not.toContain('<everything>');
  });

  it('marks each figure against the window before', () => {
    expect(trend(5, 3, String)).toBe('▲ _from 3_');
    expect(trend(3, 5, String)).toBe('▼ _from 5_');
    expect(trend(3, 3, String)).toBe('_= as before_');
    expect(trend(3, null, String)).toBe('_(none before)_');
  });
});
