import type { Database } from '../../src/db/client';
import { weeklyImpactByService } from '../../src/insights/weeklyImpact';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { addPastIncident, addService, DAY, HOUR, MIN } from './history';

/**
 * The digest chart's series, worked out by hand: 8 weeks ending Monday 2026-06-29 09:00 UTC, so
 * week 7 (the last) is [06-22 09:00, 06-29 09:00) and week 0 starts 56 days before the end.
 */
const end = new Date('2026-06-29T09:00:00Z');
const ago = (ms: number) => new Date(end.getTime() - ms);
const after = (at: Date, ms: number) => new Date(at.getTime() + ms);
const lastWeekStart = ago(7 * DAY);
const firstWeekStart = ago(56 * DAY);

let database: TestDatabase;
let db: Database;
let payments: number;
let checkout: number;
let search: number;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.connect();
  payments = await addService(db, 'T1', 'Payments');
  checkout = await addService(db, 'T1', 'Checkout');
  search = await addService(db, 'T1', 'Search');
  const otherTeam = await addService(db, 'T2', 'Payments');

  // #1 Payments, a day before the end, mitigated after 90 min: 90 in week 7.
  const d1 = ago(DAY);
  await addPastIncident(db, { number: 1, severity: 'SEV2', services: [payments], declaredAt: d1, mitigatedAt: after(d1, 90 * MIN), resolvedAt: after(d1, 2 * HOUR) });
  // #2 Payments + Checkout, 2 h before week 7 began, mitigated 1 h into it: 120 in week 6 and 60 in week 7, for each.
  await addPastIncident(db, {
    number: 2, severity: 'SEV1', services: [payments, checkout], declaredAt: after(lastWeekStart, -2 * HOUR), mitigatedAt: after(lastWeekStart, HOUR),
  });
  // #3 Checkout, 2 days before the end, customers still affected: 2,880 in week 7 (up to the end, not beyond).
  await addPastIncident(db, { number: 3, severity: 'SEV3', services: [checkout], declaredAt: ago(2 * DAY) });
  // #4 Search, private, in week 5: left out.
  const d4 = ago(17 * DAY);
  await addPastIncident(db, { number: 4, severity: 'SEV2', services: [search], declaredAt: d4, isPrivate: true, mitigatedAt: after(d4, 5 * HOUR) });
  // #5 Search, in week 0, impact edited to 30 min starting an hour after the declaration.
  const d5 = ago(50 * DAY);
  await addPastIncident(db, { number: 5, severity: 'SEV4', services: [search], declaredAt: d5, impactStartedAt: after(d5, HOUR), impactEndedAt: after(d5, HOUR + 30 * MIN), mitigatedAt: after(d5, 3 * HOUR) });
  // #6 Search, declared an hour before the 8 weeks, mitigated an hour into them: 60 in week 0.
  await addPastIncident(db, { number: 6, severity: 'SEV3', services: [search], declaredAt: after(firstWeekStart, -HOUR), mitigatedAt: after(firstWeekStart, HOUR) });
  // #7 Checkout, entirely before the 8 weeks: not drawn.
  const d7 = ago(60 * DAY);
  await addPastIncident(db, { number: 7, severity: 'SEV3', services: [checkout], declaredAt: d7, mitigatedAt: after(d7, 100 * MIN) });
  // Another workspace's incident in week 7: not drawn.
  await addPastIncident(db, { teamId: 'T2', number: 1, severity: 'SEV1', services: [otherTeam], declaredAt: ago(3 * DAY), mitigatedAt: ago(2 * DAY) });
});

afterAll(async () => {
  await database.drop();
});

describe("The digest chart's weekly customer impact per service", () => {
  it('clips each incident to each week, leaves private ones out and ranks services by their minutes over the 8 weeks', async () => {
    const weekly = await weeklyImpactByService(db, 'T1', end, 8);
    expect(weekly.weeks).toHaveLength(8);
    expect(weekly.weeks[0]).toEqual({ start: firstWeekStart, end: ago(49 * DAY) });
    expect(weekly.weeks[7]).toEqual({ start: lastWeekStart, end });
    expect(weekly.services).toEqual([
      { serviceId: checkout, name: 'Checkout', minutes: [0, 0, 0, 0, 0, 0, 120, 60 + 2880] },
      { serviceId: payments, name: 'Payments', minutes: [0, 0, 0, 0, 0, 0, 120, 90 + 60] },
      { serviceId: search, name: 'Search', minutes: [30 + 60, 0, 0, 0, 0, 0, 0, 0] },
    ]);
  });

  it('is empty for a workspace without impact in those weeks', async () => {
    const weekly = await weeklyImpactByService(db, 'T3', end, 8);
    expect(weekly.services).toEqual([]);
  });
});
