import type { Database } from '../../src/db/client';
import { buildInsightsReport, type InsightsReport } from '../../src/insights';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { addFollowUp, addPastIncident, addService, DAY, HOUR, MIN } from './history';

/**
 * A seeded history whose every figure is worked out by hand below. "now" is 2026-06-30 12:00 UTC, so
 * the 30-day window is [05-31 12:00, 06-30 12:00) and the one before it [05-01 12:00, 05-31 12:00).
 */
const now = new Date('2026-06-30T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const after = (at: Date, ms: number) => new Date(at.getTime() + ms);
const boundary = ago(30 * DAY); // 2026-05-31 12:00

let database: TestDatabase;
let db: Database;
let payments: number;
let checkout: number;
let search: number;
let otherTeamService: number;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.connect();
  payments = await addService(db, 'T1', 'Payments');
  checkout = await addService(db, 'T1', 'Checkout');
  search = await addService(db, 'T1', 'Search');
  otherTeamService = await addService(db, 'T2', 'Payments');

  // #1 SEV1, Payments + Checkout, 10 days ago. Impact began 30 min before the declaration (edited),
  // mitigated after 60 min, resolved after 120. First update after 10 min. 3 of 4 updates on time,
  // one went overdue. Review due 3 days after resolution, submitted after 2: on time; a change caused it.
  const d1 = ago(10 * DAY);
  const i1 = await addPastIncident(db, {
    number: 1, severity: 'SEV1', services: [payments, checkout], declaredAt: d1,
    impactStartedAt: after(d1, -30 * MIN), mitigatedAt: after(d1, 60 * MIN), resolvedAt: after(d1, 120 * MIN),
    updatesAfter: [10, 25, 40], cadence: { due: 4, onTime: 3 }, wentQuiet: true,
    review: { createdAt: after(d1, 120 * MIN), dueAt: after(d1, 120 * MIN + 3 * DAY), status: 'submitted', submittedAt: after(d1, 120 * MIN + 2 * DAY), changeCaused: 'yes' },
  });
  // #2 SEV2, Payments, 20 days ago. Impact end edited to 45 min (mitigated at 90). First update after
  // 20 min; 3 of 3 on time. Resolved after 180 min; review due 5 days later, submitted 8 days later: late.
  const d2 = ago(20 * DAY);
  const i2 = await addPastIncident(db, {
    number: 2, severity: 'SEV2', services: [payments], declaredAt: d2,
    impactEndedAt: after(d2, 45 * MIN), mitigatedAt: after(d2, 90 * MIN), resolvedAt: after(d2, 180 * MIN),
    updatesAfter: [20], cadence: { due: 3, onTime: 3 },
    review: { createdAt: after(d2, 180 * MIN), dueAt: after(d2, 180 * MIN + 5 * DAY), status: 'submitted', submittedAt: ago(12 * DAY), changeCaused: 'no' },
  });
  // #3 SEV3, Checkout, 3 days ago, still investigating: customers still affected (3 days = 4,320 min).
  // First update after 30 min; 1 of 2 counted updates on time, and the next one, due an hour ago, missed.
  await addPastIncident(db, {
    number: 3, severity: 'SEV3', services: [checkout], declaredAt: ago(3 * DAY),
    updatesAfter: [30], cadence: { due: 2, onTime: 1, nextDueAt: ago(HOUR) }, wentQuiet: true,
  });
  // #4 private, Payments + Search, 7 days ago: left out of everything, reviews and follow-ups too.
  const d4 = ago(7 * DAY);
  const i4 = await addPastIncident(db, {
    number: 4, severity: 'SEV2', services: [payments, search], declaredAt: d4, isPrivate: true,
    mitigatedAt: after(d4, 30 * MIN), resolvedAt: after(d4, 60 * MIN), updatesAfter: [1], cadence: { due: 5, onTime: 0 }, wentQuiet: true,
    review: { createdAt: after(d4, 60 * MIN), dueAt: ago(4 * DAY), status: 'pending', changeCaused: 'yes' },
  });
  // #5 SEV4, Search, 40 days ago (the window before): impact 100 min, resolved after 200, no update.
  const d5 = ago(40 * DAY);
  const i5 = await addPastIncident(db, { number: 5, severity: 'SEV4', services: [search], declaredAt: d5, mitigatedAt: after(d5, 100 * MIN), resolvedAt: after(d5, 200 * MIN) });
  // #6 SEV1, Payments, declared 2 h before the boundary, mitigated 1 h after it: 120 impact minutes
  // fall in the window before, 60 in this one. Its review, submitted in this window, was on time.
  const d6 = after(boundary, -2 * HOUR);
  await addPastIncident(db, {
    number: 6, severity: 'SEV1', services: [payments], declaredAt: d6,
    mitigatedAt: after(boundary, HOUR), resolvedAt: after(boundary, 2 * HOUR), updatesAfter: [15], cadence: { due: 2, onTime: 2 },
    review: { createdAt: after(boundary, 2 * HOUR), dueAt: after(boundary, 2 * HOUR + 3 * DAY), status: 'submitted', submittedAt: after(boundary, DAY), changeCaused: 'yes' },
  });
  // #7 SEV3, Payments, 2 days ago, resolved yesterday; mitigated after 240 min. One update due, late.
  // Its review is owed but not due for 9 days.
  const d7 = ago(2 * DAY);
  await addPastIncident(db, {
    number: 7, severity: 'SEV3', services: [payments], declaredAt: d7,
    mitigatedAt: after(d7, 240 * MIN), resolvedAt: ago(DAY), updatesAfter: [5], cadence: { due: 1, onTime: 0 },
    review: { createdAt: ago(DAY), dueAt: after(ago(DAY), 10 * DAY), status: 'pending' },
  });
  // #8 SEV2, Checkout, 25 days ago: 30 impact minutes, resolved after 40; review drafted but overdue.
  const d8 = ago(25 * DAY);
  const i8 = await addPastIncident(db, {
    number: 8, severity: 'SEV2', services: [checkout], declaredAt: d8,
    mitigatedAt: after(d8, 30 * MIN), resolvedAt: after(d8, 40 * MIN), updatesAfter: [40], cadence: { due: 0, onTime: 0 },
    review: { createdAt: after(d8, 40 * MIN), dueAt: ago(20 * DAY), status: 'draft' },
  });
  // #9 is another workspace's, an hour old: it must not show anywhere.
  await addPastIncident(db, { teamId: 'T2', number: 9, severity: 'SEV1', services: [otherTeamService], declaredAt: ago(HOUR), updatesAfter: [1], cadence: { due: 9, onTime: 0 } });
  // #10 SEV2, Checkout, 50 days ago: 10 impact minutes, resolved after 20; review due 45 days ago
  // (overdue at the boundary), submitted 20 days ago — late, completed in this window.
  const d10 = ago(50 * DAY);
  const i10 = await addPastIncident(db, {
    number: 10, severity: 'SEV2', services: [checkout], declaredAt: d10,
    mitigatedAt: after(d10, 10 * MIN), resolvedAt: after(d10, 20 * MIN),
    review: { createdAt: after(d10, 20 * MIN), dueAt: after(d10, 20 * MIN + 5 * DAY), status: 'submitted', submittedAt: ago(20 * DAY), changeCaused: 'no' },
  });

  // Follow-ups in every state. "Today" is 2026-06-30 now, and was 2026-05-31 at the boundary.
  await addFollowUp(db, { incidentId: i1, ownerId: 'UA', dueOn: '2026-07-05', createdAt: ago(9 * DAY) }); // open
  await addFollowUp(db, { incidentId: i2, ownerId: 'UA', dueOn: '2026-06-20', createdAt: ago(19 * DAY) }); // open, overdue
  await addFollowUp(db, { incidentId: i1, ownerId: 'UB', dueOn: '2026-06-25', createdAt: ago(9 * DAY), doneAt: new Date('2026-06-24T10:00:00Z') }); // done on time
  await addFollowUp(db, { incidentId: i2, ownerId: 'UB', dueOn: '2026-06-10', createdAt: ago(19 * DAY), doneAt: new Date('2026-06-15T09:00:00Z') }); // done late
  await addFollowUp(db, { incidentId: i8, ownerId: 'UB', dueOn: '2026-06-30', createdAt: ago(24 * DAY) }); // open, due today: not overdue
  await addFollowUp(db, { incidentId: i10, ownerId: 'UC', dueOn: '2026-05-20', createdAt: ago(49 * DAY), doneAt: new Date('2026-06-02T08:00:00Z') }); // overdue at the boundary, done late since
  await addFollowUp(db, { incidentId: i5, ownerId: 'UC', dueOn: '2026-05-25', createdAt: ago(39 * DAY), doneAt: new Date('2026-05-25T23:00:00Z') }); // done on its due day, before the boundary
  await addFollowUp(db, { incidentId: i4, ownerId: 'UA', dueOn: '2026-06-01', createdAt: ago(6 * DAY) }); // private incident's
  await addFollowUp(db, { incidentId: i10, ownerId: 'UD', dueOn: '2026-04-01', createdAt: ago(49 * DAY), doneAt: new Date('2026-04-01T08:00:00Z') }); // done before both windows
});

afterAll(async () => {
  await database.drop();
});

/** A distribution in minutes: [count, median, p90] (interpolation leaves floating-point crumbs). */
const inMinutes = (d: { count: number; medianMs: number | null; p90Ms: number | null }) => [
  d.count,
  d.medianMs === null ? null : Math.round((d.medianMs / MIN) * 1000) / 1000,
  d.p90Ms === null ? null : Math.round((d.p90Ms / MIN) * 1000) / 1000,
];
let report: InsightsReport;

describe('the last 30 days against the 30 before, for the whole workspace', () => {
  beforeAll(async () => {
    report = await buildInsightsReport(db, { teamId: 'T1', window: '30d' }, now);
  });

  it('counts the shared incidents declared in each window and how many private ones were left out', () => {
    expect(report.current.period).toEqual({ start: boundary, end: now });
    expect(report.current.incidents).toBe(5); // #1 #2 #3 #7 #8
    expect(report.current.privateLeftOut).toBe(1); // #4
    expect(report.previous.incidents).toBe(3); // #5 #6 #10
    expect(report.previous.privateLeftOut).toBe(0);
  });

  it('ranks services by customer-impact minutes, clipped to the window, without private incidents', () => {
    // Checkout: #1 90 + #3 4,320 (still going) + #8 30. Payments: #1 90 + #2 45 + #6 60 (after the boundary) + #7 240.
    expect(report.current.impactByService).toEqual([
      { serviceId: checkout, name: 'Checkout', impactMinutes: 4440, incidents: 3 },
      { serviceId: payments, name: 'Payments', impactMinutes: 435, incidents: 4 },
    ]);
    expect(report.current.impactMinutes).toBe(90 + 45 + 4320 + 60 + 240 + 30);
    // Before: #6 120 before the boundary, #5 100, #10 10.
    expect(report.previous.impactByService).toEqual([
      { serviceId: payments, name: 'Payments', impactMinutes: 120, incidents: 1 },
      { serviceId: search, name: 'Search', impactMinutes: 100, incidents: 1 },
      { serviceId: checkout, name: 'Checkout', impactMinutes: 10, incidents: 1 },
    ]);
  });

  it('gives median and p90 of time to first update, to mitigate and to resolve', () => {
    // First updates 5, 10, 20, 30, 40 → median 20, p90 at rank 3.6: 30 + 0.6 × 10 = 36.
    expect(inMinutes(report.current.timeToFirstUpdate)).toEqual([5, 20, 36]);
    // Mitigated 30, 45 (edited), 60, 240 (#3 never) → median 52.5, p90 at rank 2.7: 60 + 0.7 × 180 = 186.
    expect(inMinutes(report.current.timeToMitigate)).toEqual([4, 52.5, 186]);
    // Resolved 40, 120, 180, 1440 → median 150, p90 180 + 0.7 × 1260 = 1062.
    expect(inMinutes(report.current.timeToResolve)).toEqual([4, 150, 1062]);
    // Before: one first update (15); mitigated 10, 100, 180 → p90 100 + 0.8 × 80; resolved 20, 200, 240 → p90 200 + 0.8 × 40.
    expect(inMinutes(report.previous.timeToFirstUpdate)).toEqual([1, 15, 15]);
    expect(inMinutes(report.previous.timeToMitigate)).toEqual([3, 100, 164]);
    expect(inMinutes(report.previous.timeToResolve)).toEqual([3, 200, 232]);
  });

  it('measures cadence adherence overall and per incident, and names the incidents that went quiet', () => {
    // #1 3/4, #2 3/3, #3 1/(2 + the one missed an hour ago), #7 0/1, #8 nothing due.
    expect(report.current.cadence.due).toBe(11);
    expect(report.current.cadence.onTime).toBe(7);
    // Per incident, those that fell short, worst first (#2 kept to every deadline).
    expect(report.current.cadence.byIncident.map((i) => [i.number, i.onTime, i.due])).toEqual([
      [7, 0, 1],
      [3, 1, 3],
      [1, 3, 4],
    ]);
    expect(report.current.cadence.wentQuiet.map((i) => i.number)).toEqual([1, 3]);
    expect(report.previous.cadence).toMatchObject({ due: 2, onTime: 2, wentQuiet: [] });
  });

  it('counts reviews owed and overdue at the end of each window, and completed ones on time', () => {
    // Now: #7 owed (due in 9 days), #8 owed and overdue; #4's is private. Completed here: #1 and #6 on
    // time, #2 and #10 late.
    expect(report.current.reviews).toEqual({ owed: 2, overdue: 1, completed: 4, completedOnTime: 2 });
    // At the boundary only #10's was owed (and overdue); none was completed before it.
    expect(report.previous.reviews).toEqual({ owed: 1, overdue: 1, completed: 0, completedOnTime: 0 });
  });

  it('counts follow-ups open, overdue and done on time, by owner', () => {
    expect(report.current.followUps).toEqual({
      open: 3,
      overdue: 1,
      done: 3,
      doneOnTime: 1,
      byOwner: [
        { ownerId: 'UA', open: 2, overdue: 1, done: 0, doneOnTime: 0 },
        { ownerId: 'UB', open: 1, overdue: 0, done: 2, doneOnTime: 1 },
        { ownerId: 'UC', open: 0, overdue: 0, done: 1, doneOnTime: 0 },
      ],
    });
    expect(report.previous.followUps).toEqual({
      open: 1,
      overdue: 1,
      done: 1,
      doneOnTime: 1,
      byOwner: [{ ownerId: 'UC', open: 1, overdue: 1, done: 1, doneOnTime: 1 }],
    });
  });

  it('gives the change-caused share of reviewed incidents', () => {
    expect(report.current.changeCaused).toEqual({ reviewed: 2, caused: 1 }); // #1 yes, #2 no
    expect(report.previous.changeCaused).toEqual({ reviewed: 2, caused: 1 }); // #6 yes, #10 no
  });
});

describe('one service, and the other windows', () => {
  it('keeps to the chosen service’s incidents, their reviews and follow-ups', async () => {
    const r = await buildInsightsReport(db, { teamId: 'T1', window: '30d', serviceId: payments }, now);
    expect(r.service).toEqual({ id: payments, name: 'Payments' });
    expect(r.current.incidents).toBe(3); // #1 #2 #7
    expect(r.current.privateLeftOut).toBe(1); // #4 is Payments' too
    expect(r.current.impactByService).toEqual([{ serviceId: payments, name: 'Payments', impactMinutes: 435, incidents: 4 }]);
    // 5, 10, 20 → median 10, p90 10 + 0.8 × 10.
    expect(inMinutes(r.current.timeToFirstUpdate)).toEqual([3, 10, 18]);
    expect(r.current.cadence).toMatchObject({ due: 8, onTime: 6 });
    expect(r.current.reviews).toEqual({ owed: 1, overdue: 0, completed: 3, completedOnTime: 2 });
    expect(r.current.followUps).toMatchObject({ open: 2, overdue: 1, done: 2, doneOnTime: 1 });
    expect(r.current.changeCaused).toEqual({ reviewed: 2, caused: 1 });
  });

  it('over 7 days sees only the last week', async () => {
    const r = await buildInsightsReport(db, { teamId: 'T1', window: '7d' }, now);
    // #3 and #7 declared in the week; #4, declared exactly at the week's start, is private: left out.
    expect(r.current.incidents).toBe(2);
    expect(r.current.privateLeftOut).toBe(1);
    // Checkout: #3's 4,320; Payments: #7's 240.
    expect(r.current.impactByService.map((s) => [s.name, s.impactMinutes])).toEqual([
      ['Checkout', 4320],
      ['Payments', 240],
    ]);
    // The week before: #1 (10 days ago) only.
    expect(r.previous.incidents).toBe(1);
    expect(r.previous.impactByService.map((s) => [s.name, s.impactMinutes])).toEqual([
      ['Checkout', 90],
      ['Payments', 90],
    ]);
  });

  it('shows nothing of another workspace', async () => {
    const r = await buildInsightsReport(db, { teamId: 'T2', window: '90d' }, now);
    expect(r.current.incidents).toBe(1);
    // #9 is still going: an hour of impact on that workspace's own Payments.
    expect(r.current.impactByService).toEqual([{ serviceId: otherTeamService, name: 'Payments', impactMinutes: 60, incidents: 1 }]);
  });
});
