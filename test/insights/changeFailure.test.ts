import type { Database } from '../../src/db/client';
import { buildInsightsReport } from '../../src/insights';
import { changeFailureText } from '../../src/slack/blocks/changeFailure';
import { insightsMessage } from '../../src/slack/blocks/insights';
import { validateMessageBlocks } from '../../src/sandbox/slack/blockKit';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { addPastIncident, addService, DAY, HOUR, MIN } from './history';

/**
 * Change failure rate (DORA): production deployments in the window, and those a submitted review that
 * says a change caused its incident picked as the cause. "now" is 2026-06-30 12:00 UTC, so the 30-day
 * window is [05-31 12:00, 06-30 12:00) and the one before it [05-01 12:00, 05-31 12:00). Every figure
 * below is worked out by hand from this history.
 */
const now = new Date('2026-06-30T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

let database: TestDatabase;
let db: Database;
let payments: number;
let checkout: number;

let seq = 0;
async function deploy(teamId: string, serviceId: number, at: Date, environment = 'production'): Promise<number> {
  seq += 1;
  const row = await db
    .insertInto('deployments')
    .values({ team_id: teamId, service_id: serviceId, version: `v${seq}`, environment, url: null, deployed_at: at, received_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

let incidentNo = 0;
/** An incident declared an hour after `at`, whose review (in `status`, saying `changeCaused`) picked `caused` and was shown `shown`. */
async function incidentBlaming(p: {
  teamId?: string; services: number[]; at: Date; caused: number[]; shown?: number[]; status?: 'submitted' | 'draft'; changeCaused?: 'yes' | 'no'; isPrivate?: boolean; isDrill?: boolean;
}) {
  incidentNo += 1;
  const declaredAt = new Date(p.at.getTime() + HOUR);
  const id = await addPastIncident(db, {
    teamId: p.teamId,
    number: incidentNo,
    severity: 'SEV2',
    services: p.services,
    declaredAt,
    isPrivate: p.isPrivate,
    isDrill: p.isDrill,
    mitigatedAt: new Date(declaredAt.getTime() + 30 * MIN),
    resolvedAt: new Date(declaredAt.getTime() + HOUR),
    review: { createdAt: declaredAt, dueAt: null, status: p.status ?? 'submitted', submittedAt: p.status === 'draft' ? undefined : new Date(declaredAt.getTime() + DAY), changeCaused: p.changeCaused ?? 'yes' },
  });
  const links = [...p.caused.map((d) => ({ incident_id: id, deployment_id: d, caused: true })), ...(p.shown ?? []).map((d) => ({ incident_id: id, deployment_id: d, caused: false }))];
  await db.insertInto('incident_deployments').values(links).execute();
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.connect();
  payments = await addService(db, 'T1', 'Payments');
  checkout = await addService(db, 'T1', 'Checkout');
  await addService(db, 'T1', 'Search');
  const otherTeam = await addService(db, 'T2', 'Payments');

  // Payments, this window: 4 production deployments, 1 failed.
  await deploy('T1', payments, ago(25 * DAY)); // P1: nothing happened
  const p2 = await deploy('T1', payments, ago(10 * DAY)); // P2: caused #1 (submitted, yes) and #2 — counts once
  const p3 = await deploy('T1', payments, ago(10 * DAY - 30 * MIN)); // P3: shown on #1, not picked
  const p4 = await deploy('T1', payments, ago(5 * DAY)); // P4: picked in a review still in draft — not counted
  await incidentBlaming({ services: [payments], at: ago(10 * DAY - 30 * MIN), caused: [p2], shown: [p3] });
  await incidentBlaming({ services: [payments], at: ago(9 * DAY), caused: [p2] });
  await incidentBlaming({ services: [payments], at: ago(5 * DAY), caused: [p4], status: 'draft' });
  await deploy('T1', payments, ago(9 * DAY), 'staging'); // not production: not counted

  // Checkout, this window: 3 production deployments, 1 failed.
  await deploy('T1', checkout, ago(30 * DAY)); // C1: exactly at the window's start — in it
  const c2 = await deploy('T1', checkout, ago(3 * DAY)); // C2: blamed only by a private incident and a drill — left out
  const c3 = await deploy('T1', checkout, ago(2 * DAY)); // C3: caused #5
  await incidentBlaming({ services: [checkout], at: ago(3 * DAY), caused: [c2], isPrivate: true });
  await incidentBlaming({ services: [checkout], at: ago(3 * DAY), caused: [c2], isDrill: true });
  await incidentBlaming({ services: [checkout], at: ago(2 * DAY), caused: [c3] });

  // The window before: Payments 1 of 1 failed, Checkout 0 of 1 → 1 of 2.
  const p5 = await deploy('T1', payments, ago(40 * DAY));
  await incidentBlaming({ services: [payments], at: ago(40 * DAY), caused: [p5] });
  await deploy('T1', checkout, ago(45 * DAY));
  // Older than both windows: not counted.
  await deploy('T1', payments, ago(61 * DAY));

  // Another workspace's deployment and incident: never in T1's figures.
  const t2 = await deploy('T2', otherTeam, ago(5 * DAY));
  await incidentBlaming({ teamId: 'T2', services: [otherTeam], at: ago(5 * DAY), caused: [t2] });
});

afterAll(async () => {
  await database.drop();
});

describe('Change failure rate, as DORA defines it', () => {
  it('counts production deployments in the window and those a submitted review picked as the cause, per service', async () => {
    const report = await buildInsightsReport(db, { teamId: 'T1', window: '30d' }, now);
    expect(report.current.changeFailure).toEqual({
      deployments: 7,
      failed: 2,
      byService: [
        { serviceId: checkout, name: 'Checkout', deployments: 3, failed: 1 },
        { serviceId: payments, name: 'Payments', deployments: 4, failed: 1 },
      ],
    });
    expect(report.previous.changeFailure).toEqual({
      deployments: 2,
      failed: 1,
      byService: [
        { serviceId: payments, name: 'Payments', deployments: 1, failed: 1 },
        { serviceId: checkout, name: 'Checkout', deployments: 1, failed: 0 },
      ],
    });
  });

  it('for one service, counts only its deployments', async () => {
    const report = await buildInsightsReport(db, { teamId: 'T1', window: '30d', serviceId: payments }, now);
    expect(report.current.changeFailure).toMatchObject({ deployments: 4, failed: 1 });
    expect(report.previous.changeFailure).toMatchObject({ deployments: 1, failed: 1 });
  });

  it('shows beside the change-caused share in /incident insights', async () => {
    const report = await buildInsightsReport(db, { teamId: 'T1', window: '30d' }, now);
    expect(changeFailureText(report.current, report.previous)).toBe(
      ['*Change failure rate:* 2 of 7 production deployments led to an incident (29%) ▼ _from 50%_', '• *Checkout* — 1 of 3 (33%)', '• *Payments* — 1 of 4 (25%)'].join('\n'),
    );
    const message = insightsMessage(report);
    expect(validateMessageBlocks(message.blocks)).toEqual([]);
    const section = JSON.stringify(message.blocks.find((b) => JSON.stringify(b).includes('Change-caused share')));
    expect(section).toContain('Change failure rate:* 2 of 7');
  });

  it('says so when no deployment was reported', async () => {
    const report = await buildInsightsReport(db, { teamId: 'T1', window: '7d' }, new Date('2027-01-01T00:00:00Z'));
    expect(changeFailureText(report.current, report.previous)).toMatch(/no production deployments reported/);
  });
});
