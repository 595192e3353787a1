import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestHerald, waitFor, type TestHerald } from '../support/harness';
import { startSlackStub, type SlackStub } from '../support/slackStub';
import { ALERTS_CHANNEL, ALERTS_ENV, fixture, postSignal, rowCounts, withAlertsChannel } from '../support/alerts';

/** The real Alertmanager sample, critical, for the "node" service. */
function criticalNodeAlert(groupKey?: string) {
  const body = fixture('alertmanager-v4');
  body.commonLabels = { ...body.commonLabels, service: 'node', severity: 'critical' };
  if (groupKey) body.groupKey = groupKey;
  return body;
}

describe('An ALERT_RULES rule across three replicas', () => {
  let slack: SlackStub;
  let database: TestDatabase;
  let replicas: TestHerald[];

  beforeEach(async () => {
    slack = await startSlackStub();
    database = await createTestDatabase();
    replicas = [];
    for (let n = 0; n < 3; n += 1) {
      replicas.push(await startTestHerald({ slack, database, env: { ...ALERTS_ENV, ALERT_RULES: 'severity=critical:SEV1' } }));
    }
    withAlertsChannel(replicas[0]);
    await replicas[0].db.insertInto('services').values({ team_id: slack.teamId, name: 'Node', name_key: 'node' }).execute();
  });
  afterEach(async () => {
    for (const r of replicas) await r.stop();
    await database.drop();
    await slack.close();
  });

  const incidents = () => replicas[0].db.selectFrom('incidents').select(['id', 'severity', 'title', 'channel_id']).execute();

  it('declares once when the same critical notification reaches every replica at once, and attaches the next group of that service', async () => {
    const answers = await Promise.all(replicas.map((r) => postSignal(r, '/alerts/alertmanager', criticalNodeAlert())));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await Promise.all(replicas.map((r) => r.settle()));
    const [incident, ...others] = await incidents();
    expect(others).toHaveLength(0);
    expect(incident).toMatchObject({ severity: 'SEV1', title: 'NodeInstanceDown' });
    expect(answers.map((a) => a.body.incident_id)).toEqual([incident.id, incident.id, incident.id]);
    expect(incident.channel_id).toBeTruthy();
    // Its triage message says so, and links the incident's channel once it exists.
    await waitFor(async () => {
      await Promise.all(replicas.map((r) => r.settle()));
      const triage = slack.messagesIn(ALERTS_CHANNEL);
      return triage.length === 1 && JSON.stringify(triage[0].blocks).includes(`<#${incident.channel_id}>`);
    }, 'the triage message to link the incident channel');

    // Another group of the same service while the incident is open joins it instead of declaring again.
    const second = await postSignal(replicas[1], '/alerts/alertmanager', criticalNodeAlert('{}:{alertname="NodeDiskFull"}'));
    expect(second.body.incident_id).toBe(incident.id);
    await Promise.all(replicas.map((r) => r.settle()));
    expect(await incidents()).toHaveLength(1);
    const groups = await replicas[0].db.selectFrom('alert_groups').select('incident_id').execute();
    expect(groups).toEqual([{ incident_id: incident.id }, { incident_id: incident.id }]);
  });
});

describe("One group's notifications racing across three replicas", () => {
  it("leave the group's status matching its alerts after every round", async () => {
    const slack = await startSlackStub();
    const database = await createTestDatabase();
    const replicas: TestHerald[] = [];
    try {
      for (let n = 0; n < 3; n += 1) replicas.push(await startTestHerald({ slack, database, env: ALERTS_ENV }));
      withAlertsChannel(replicas[0]);
      const ALERTS = 6;
      // Round r sends each of the group's six alerts once, at the same moment, spread over the replicas:
      // every third round all resolved, otherwise alternately firing and resolved.
      const statusOf = (round: number, k: number) => (round % 3 === 2 || (round + k) % 2 === 1 ? 'resolved' : 'firing');
      const notification = (round: number, k: number) => {
        const body = fixture('alertmanager-v4');
        const status = statusOf(round, k);
        const alert = { ...body.alerts[0], status, fingerprint: `race-${k}`, labels: { ...body.alerts[0].labels, instance: `node-${k}` } };
        return { ...body, groupKey: '{}:{alertname="race"}', status, alerts: [alert] };
      };
      for (let round = 0; round < 6; round += 1) {
        const answers = await Promise.all(Array.from({ length: ALERTS }, (_, k) => postSignal(replicas[k % 3], '/alerts/alertmanager', notification(round, k))));
        expect(answers.map((a) => a.status)).toEqual(Array(ALERTS).fill(200));
        const alerts = await replicas[0].db.selectFrom('alerts').select(['fingerprint', 'status']).orderBy('fingerprint').execute();
        expect(alerts).toEqual(Array.from({ length: ALERTS }, (_, k) => ({ fingerprint: `race-${k}`, status: statusOf(round, k) })));
        const group = await replicas[0].db.selectFrom('alert_groups').select(['status', 'resolved_at']).executeTakeFirstOrThrow();
        const firing = alerts.some((a) => a.status === 'firing');
        expect({ round, status: group.status, resolved: group.resolved_at !== null }).toEqual({ round, status: firing ? 'firing' : 'resolved', resolved: !firing });
      }
    } finally {
      for (const r of replicas) await r.stop();
      await database.drop();
      await slack.close();
    }
  });
});

describe('ALERTS_RATE across replicas', () => {
  it('is one budget for every replica: past it, any replica answers 429 and stores nothing', async () => {
    const slack = await startSlackStub();
    const database = await createTestDatabase();
    // One instant for both, so the requests cannot straddle a minute.
    const frozen = new Date();
    const replicas: TestHerald[] = [];
    try {
      for (let n = 0; n < 2; n += 1) {
        replicas.push(await startTestHerald({ slack, database, clock: () => frozen, env: { ...ALERTS_ENV, ALERTS_RATE: '3/min' } }));
      }
      withAlertsChannel(replicas[0]);
      const alert = (n: number) => ({ title: `Queue ${n} backed up`, status: 'firing', dedup_key: `queue-${n}` });
      expect((await postSignal(replicas[0], '/alerts', alert(1))).status).toBe(200);
      expect((await postSignal(replicas[1], '/alerts', alert(2))).status).toBe(200);
      expect((await postSignal(replicas[0], '/alerts', alert(3))).status).toBe(200);
      const limited = [await postSignal(replicas[1], '/alerts', alert(4)), await postSignal(replicas[0], '/alerts', alert(5))];
      expect(limited.map((r) => r.status)).toEqual([429, 429]);
      expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await rowCounts(replicas[0])).toEqual({ groups: 3, alerts: 3 });
    } finally {
      for (const r of replicas) await r.stop();
      await database.drop();
      await slack.close();
    }
  });
});
