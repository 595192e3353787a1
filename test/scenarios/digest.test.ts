import { DECLARE_BLOCKS as D } from '../../src/slack/ids';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { declare, saveStakeholders, serviceId } from '../support/flows';
import { startTestHerald, type TestHerald } from '../support/harness';
import { setStatus, textOf } from '../support/reviewHelpers';
import { startSlackStub, type SlackStub, type StubMessage } from '../support/slackStub';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const DIGEST_CHANNEL = 'CRISKDIGEST';
const MINUTE = 60_000;
/** Tuesday 3 March 2026, 10:00 UTC; the digest fires on Mondays at 09:00 (the default DIGEST_CRON). */
const TUESDAY = Date.parse('2026-03-03T10:00:00.000Z');
const NEXT_MONDAY = new Date('2026-03-09T09:00:00.000Z');

/**
 * The service manager's weekly risk digest in DIGEST_CHANNEL: posted once per period through the
 * outbox by whichever replica wins, with its chart uploaded through Slack's external upload flow.
 */
describe('The weekly risk digest', () => {
  let slack: SlackStub;
  let database: TestDatabase;
  let replicas: TestHerald[];
  let now: Date;

  const start = async (count: number) => {
    for (let n = 0; n < count; n += 1) {
      replicas.push(await startTestHerald({ slack, database, clock: () => now, env: { DIGEST_CHANNEL } }));
    }
  };
  const tickEveryReplica = async (at: Date) => {
    now = at;
    await Promise.all(replicas.map((r) => r.herald.scheduler.tick(now)));
    await Promise.all(replicas.map((r) => r.settle()));
  };
  /** Herald's first start with the digest on, last Tuesday: it settles the period running, posting nothing. */
  const install = async (count: number) => {
    await start(count);
    await tickEveryReplica(new Date(TUESDAY));
  };
  const digests = (): StubMessage[] => slack.messagesIn(DIGEST_CHANNEL).filter((m) => /Weekly risk digest/.test(m.text ?? ''));
  const charts = (): StubMessage[] => slack.messagesIn(DIGEST_CHANNEL).filter((m) => (m.files ?? []).length > 0);

  beforeEach(async () => {
    now = new Date(TUESDAY);
    slack = await startSlackStub();
    slack.addChannel({ id: DIGEST_CHANNEL, name: 'service-risk', members: [slack.botUserId, 'U1'] });
    database = await createTestDatabase();
    replicas = [];
  });
  afterEach(async () => {
    for (const r of replicas) await r.stop();
    await database.drop();
    await slack.close();
  });

  /** A week with one shared incident (90 minutes of customer impact on Payments API), a private one and an overdue follow-up. */
  async function aWeekOfIncidents(): Promise<void> {
    const t = replicas[0];
    await saveStakeholders(t, 'Payments API', {});
    const shared = await declare(t, 'Checkout is down', { [D.services]: [await serviceId(t, 'Payments API')], [D.commander]: 'U2' });
    await declare(t, 'Leaked signing key', { [D.options]: ['private'], [D.commander]: 'U3' });
    now = new Date(TUESDAY + 90 * MINUTE);
    await setStatus(t, shared.id, 'monitoring', now);
    // A follow-up from an earlier incident, due last Thursday and still open: its owner is named.
    await t.db
      .insertInto('follow_ups')
      .values({
        team_id: slack.teamId,
        incident_id: shared.id,
        title: 'Alert on card declines',
        due_on: '2026-03-05',
        owner_id: 'U4',
        priority: 'high',
        create_key: 'seed-1',
        created_by: 'U2',
        created_at: now,
      })
      .execute();
  }

  it('is not posted on a fresh install for the period already running, and goes out at the next firing', async () => {
    await start(2);
    await tickEveryReplica(new Date(TUESDAY));
    await tickEveryReplica(new Date(TUESDAY + MINUTE));

    expect(digests()).toHaveLength(0);
    expect(await replicas[0].db.selectFrom('outbox').select('id').where('kind', '=', 'digest.post').execute()).toHaveLength(0);
    const settled = await replicas[0].db.selectFrom('digest_periods').select('period_start').execute();
    expect(settled.map((p) => p.period_start.toISOString())).toEqual(['2026-03-02T09:00:00.000Z']);

    await tickEveryReplica(NEXT_MONDAY);
    expect(digests()).toHaveLength(1);
    expect(textOf(digests()[0])).toContain('2 Mar – 9 Mar 2026');
  });

  it('is posted once by three replicas, with its chart uploaded as a PNG of the announced length', async () => {
    await install(3);
    await aWeekOfIncidents();

    await tickEveryReplica(NEXT_MONDAY);
    await tickEveryReplica(new Date(NEXT_MONDAY.getTime() + MINUTE));
    await tickEveryReplica(new Date(NEXT_MONDAY.getTime() + 60 * MINUTE));

    expect(digests()).toHaveLength(1);
    const text = textOf(digests()[0]);
    expect(text).toContain('Weekly risk digest · 2 Mar – 9 Mar 2026');
    expect(text).toMatch(/Incidents: \*1\* \(▲ 1 from 0\)/);
    expect(text).toMatch(/Payments API — \*90 min\* in 1 incident/);
    expect(text).toMatch(/Follow-up _Alert on card declines_ \(#1\) — <@U4>, due 5 Mar/);
    expect(text).toMatch(/:warning: \*Follow-ups by their due date\*: none done this week, 1 overdue/);
    // The private incident is left out, and counted.
    expect(text).not.toContain('Leaked signing key');
    expect(text).toContain('1 private incident declared this week');

    // The chart went through the external upload flow once: URL, bytes, completion in the channel.
    expect(slack.okCallsTo('files.getUploadURLExternal')).toHaveLength(1);
    expect(slack.uploads).toEqual([expect.objectContaining({ status: 200 })]);
    expect(slack.okCallsTo('files.completeUploadExternal')).toHaveLength(1);
    expect(charts()).toHaveLength(1);
    const [file] = [...slack.files.values()];
    expect(file).toMatchObject({ completed: true, channels: [DIGEST_CHANNEL], filename: 'risk-digest-2026-03-09.png' });
    expect(file.bytes!.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(file.bytes!.length).toBe(file.length);
    expect(await replicas[0].db.selectFrom('digest_periods').selectAll().execute()).toHaveLength(2);
  });

  it('missed for three periods while every replica was down, is posted once when one returns', async () => {
    await install(1);
    await tickEveryReplica(NEXT_MONDAY);
    expect(digests()).toHaveLength(1);
    await replicas[0].stop();
    replicas = [];

    // Three Mondays go by with no replica running.
    now = new Date('2026-03-31T15:00:00.000Z');
    await start(2);
    await tickEveryReplica(now);
    await tickEveryReplica(new Date(now.getTime() + MINUTE));

    expect(digests()).toHaveLength(2);
    expect(textOf(digests()[1])).toContain('23 Mar – 30 Mar 2026');
    const periods = await replicas[0].db.selectFrom('digest_periods').select('period_start').orderBy('period_start').execute();
    expect(periods.map((p) => p.period_start.toISOString())).toEqual(['2026-03-02T09:00:00.000Z', '2026-03-09T09:00:00.000Z', '2026-03-30T09:00:00.000Z']);
  });

  it('says a quiet week in one line, with no chart', async () => {
    await install(1);
    await tickEveryReplica(NEXT_MONDAY);
    expect(digests()).toHaveLength(1);
    expect(digests()[0].blocks).toHaveLength(1);
    expect(digests()[0].text).toBe('Weekly risk digest, 2 Mar – 9 Mar 2026: a quiet week — no incidents, no customer impact, nothing overdue.');
    expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);
  });

  it('still posts its text when the chart upload fails, and says so in the digest', async () => {
    await install(1);
    await aWeekOfIncidents();
    slack.failNext('upload', { status: 500 });

    await tickEveryReplica(NEXT_MONDAY);
    await tickEveryReplica(new Date(NEXT_MONDAY.getTime() + 10 * MINUTE));

    expect(digests()).toHaveLength(1);
    expect(textOf(digests()[0])).toContain('Payments API');
    expect(textOf(digests()[0])).toMatch(/chart of customer impact per service could not be attached \(upload_http_500\)/);
    expect(charts()).toHaveLength(0);
    expect(slack.callsTo('files.completeUploadExternal')).toHaveLength(0);
    const job = await replicas[0].db.selectFrom('outbox').select(['status', 'result']).where('kind', '=', 'digest.post').executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'done', result: expect.objectContaining({ chart: { problem: 'upload_http_500' } }) });
  });

  it('is not posted when DIGEST_CHANNEL is unset', async () => {
    replicas.push(await startTestHerald({ slack, database, clock: () => now }));
    await tickEveryReplica(NEXT_MONDAY);
    expect(await replicas[0].db.selectFrom('digest_periods').selectAll().execute()).toHaveLength(0);
    expect(slack.messagesIn(DIGEST_CHANNEL)).toHaveLength(0);
  });
});
