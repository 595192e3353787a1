import type { InsightsFigures, InsightsReport } from '../../src/insights/model';
import { buildDigest, type Standards } from '../../src/insights/digest/model';
import type { OverdueItem, OverdueList } from '../../src/insights/digest/repository';
import type { WeeklyImpact } from '../../src/insights/weeklyImpact';
import { digestMessage } from '../../src/slack/blocks/digest';
import { validateMessageBlocks } from '../support/slackStub';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const END = new Date('2026-03-09T09:00:00.000Z');
const standards: Standards = {
  updateCadence: { SEV1: 15 * 60_000, SEV2: 30 * 60_000, SEV3: HOUR, SEV4: null },
  reviewDue: { SEV1: 3 * DAY, SEV2: 5 * DAY, SEV3: 10 * DAY, SEV4: null },
};

function figures(start: Date, end: Date, over: Partial<InsightsFigures> = {}): InsightsFigures {
  const none = { count: 0, medianMs: null, p90Ms: null };
  return {
    period: { start, end },
    incidents: 0,
    privateLeftOut: 0,
    impactByService: [],
    impactMinutes: 0,
    timeToFirstUpdate: none,
    timeToMitigate: none,
    timeToResolve: none,
    cadence: { due: 0, onTime: 0, byIncident: [], wentQuiet: [] },
    reviews: { owed: 0, overdue: 0, completed: 0, completedOnTime: 0 },
    followUps: { open: 0, overdue: 0, done: 0, doneOnTime: 0, byOwner: [] },
    changeCaused: { reviewed: 0, caused: 0 },
    ...over,
  };
}

function report(current: Partial<InsightsFigures>, previous: Partial<InsightsFigures> = {}): InsightsReport {
  const weekStart = new Date(END.getTime() - 7 * DAY);
  return {
    window: '7d',
    service: null,
    current: figures(weekStart, END, current),
    previous: figures(new Date(weekStart.getTime() - 7 * DAY), weekStart, previous),
  };
}

const noOverdue: OverdueList = { items: [], total: 0, privateLeftOut: 0 };
const weeks = Array.from({ length: 8 }, (_, k) => ({ start: new Date(END.getTime() - (8 - k) * 7 * DAY), end: new Date(END.getTime() - (7 - k) * 7 * DAY) }));
const noImpact: WeeklyImpact = { weeks, services: [] };
const service = (serviceId: number, name: string, impactMinutes: number, incidents = 1) => ({ serviceId, name, impactMinutes, incidents });

describe('the digest of a week', () => {
  it('ranks the five services with most customer impact, each against the week before', () => {
    const digest = buildDigest({
      report: report(
        {
          incidents: 6,
          impactMinutes: 400,
          impactByService: [service(1, 'Payments API', 150.4, 2), service(2, 'Checkout', 90), service(3, 'Search', 60), service(4, 'Login', 50), service(5, 'Email', 30), service(6, 'Reports', 20)],
        },
        { incidents: 2, impactMinutes: 100, impactByService: [service(2, 'Checkout', 100, 2)] },
      ),
      overdue: noOverdue,
      weekly: noImpact,
      standards,
      timeZone: 'UTC',
    });
    expect(digest.topServices.map((s) => [s.name, s.minutes, s.previousMinutes])).toEqual([
      ['Payments API', 150, 0],
      ['Checkout', 90, 100],
      ['Search', 60, 0],
      ['Login', 50, 0],
      ['Email', 30, 0],
    ]);
    const text = JSON.stringify(digestMessage(digest).blocks);
    expect(text).toContain('Incidents: *6* (▲ 4 from 2)');
    expect(text).toContain('Customer impact: *400 min* (▲ 300 from 100)');
    expect(text).toContain('2. Checkout — *90 min* in 1 incident (▼ 10 from 100)');
    expect(text).not.toContain('Reports');
  });

  it('says whether each standard was met', () => {
    const digest = buildDigest({
      report: report({
        incidents: 2,
        impactMinutes: 10,
        cadence: { due: 4, onTime: 3, byIncident: [], wentQuiet: [{ id: 7, number: 7, title: 'Search is slow', channelId: 'C7' }] },
        reviews: { owed: 1, overdue: 0, completed: 2, completedOnTime: 2 },
        followUps: { open: 3, overdue: 1, done: 2, doneOnTime: 1, byOwner: [] },
      }),
      overdue: noOverdue,
      weekly: noImpact,
      standards,
      timeZone: 'UTC',
    });
    expect([digest.cadence.met, digest.reviews.met, digest.followUps.met]).toEqual([false, true, false]);
    const text = JSON.stringify(digestMessage(digest).blocks);
    expect(text).toContain(':warning: *Updates on cadence* (SEV1 every 15m, SEV2 every 30m, SEV3 every 1h): 3 of 4 updates on time');
    expect(text).toContain('Went quiet: #7 Search is slow');
    expect(text).toContain(':white_check_mark: *Reviews by their due date* (SEV1 3d, SEV2 5d, SEV3 10d after resolution): 2 of 2 reviews completed on time, none overdue');
    expect(text).toContain(':warning: *Follow-ups by their due date*: 1 of 2 follow-ups done on time, 1 overdue');
  });

  it('names who holds each overdue item without blame, counts the rest and stays within Slack’s limits', () => {
    const items: OverdueItem[] = Array.from({ length: 15 }, (_, k) => ({
      kind: k % 3 === 0 ? 'review' : 'followUp',
      ownerId: `U${k + 1}`,
      incidentNumber: 100 + k,
      incidentTitle: `Incident ${'x'.repeat(500)}`,
      title: k % 3 === 0 ? null : `Follow-up <${'y'.repeat(500)}>`,
      due: k % 3 === 0 ? '2026-03-01T10:00:00.000Z' : '2026-03-02',
    }));
    const digest = buildDigest({
      report: report({ incidents: 1, impactMinutes: 5, followUps: { open: 40, overdue: 40, done: 0, doneOnTime: 0, byOwner: [] } }),
      overdue: { items, total: 40, privateLeftOut: 3 },
      weekly: noImpact,
      standards,
      timeZone: 'UTC',
    });
    const message = digestMessage(digest);
    expect(validateMessageBlocks(message.blocks)).toEqual([]);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('<@U1>, due 1 Mar');
    expect(text).toContain('<@U2>, due 2 Mar');
    expect(text).toContain('…and 25 more');
    expect(text).toContain('3 overdue items of private incidents');
    expect(text).not.toMatch(/\bfault|\bfailed|\bmissed|\bblame(?!less)|\blazy|\bshould have/i);
  });

  it('leaves private incidents out and says how many', () => {
    const digest = buildDigest({ report: report({ incidents: 1, privateLeftOut: 2, impactMinutes: 1 }), overdue: noOverdue, weekly: noImpact, standards, timeZone: 'UTC' });
    expect(JSON.stringify(digestMessage(digest).blocks)).toContain('Left out of this digest: 2 private incidents declared this week.');
  });

  it('is one line for a quiet week, in the digest’s time zone', () => {
    const digest = buildDigest({ report: report({}, { incidents: 3 }), overdue: noOverdue, weekly: noImpact, standards, timeZone: 'Pacific/Auckland' });
    expect(digest.quiet).toBe(true);
    expect(digest.chart).toBeNull();
    const message = digestMessage(digest);
    expect(message.blocks).toHaveLength(1);
    // 2 Mar 09:00 UTC is 22:00 in Auckland that day; 9 Mar 09:00 UTC likewise.
    expect(message.text).toBe('Weekly risk digest, 2 Mar – 9 Mar 2026: a quiet week — no incidents, no customer impact, nothing overdue.');
  });

  it('is not quiet while something is overdue, even with no incident', () => {
    const digest = buildDigest({
      report: report({ reviews: { owed: 1, overdue: 1, completed: 0, completedOnTime: 0 } }),
      overdue: { items: [{ kind: 'review', ownerId: 'U2', incidentNumber: 4, incidentTitle: 'Old one', title: null, due: '2026-03-05T00:00:00.000Z' }], total: 1, privateLeftOut: 0 },
      weekly: noImpact,
      standards,
      timeZone: 'UTC',
    });
    expect(digest.quiet).toBe(false);
    expect(JSON.stringify(digestMessage(digest).blocks)).toContain('• Review of #4 Old one — <@U2>, due 5 Mar');
  });

  it('draws the eight services with most impact and sums the rest as one', () => {
    const services = Array.from({ length: 10 }, (_, k) => ({ serviceId: k, name: `Service ${k}`, minutes: weeks.map(() => 10 - k) }));
    const digest = buildDigest({ report: report({ incidents: 1, impactMinutes: 1 }), overdue: noOverdue, weekly: { weeks, services }, standards, timeZone: 'UTC' });
    expect(digest.chart!.weeks).toEqual(weeks.map((w) => w.start));
    expect(digest.chart!.series.map((s) => s.service)).toEqual([...Array.from({ length: 8 }, (_, k) => `Service ${k}`), '2 other services']);
    expect(digest.chart!.series[8].minutes).toEqual(weeks.map(() => 2 + 1));
  });

  it('carries a line saying the chart could not be attached', () => {
    const digest = buildDigest({ report: report({ incidents: 1, impactMinutes: 1 }), overdue: noOverdue, weekly: noImpact, standards, timeZone: 'UTC' });
    const message = digestMessage(digest, 'not_in_channel');
    expect(JSON.stringify(message.blocks)).toContain('could not be attached (not_in_channel)');
    expect(message.text).toContain('(chart not attached)');
  });
});
