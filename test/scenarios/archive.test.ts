import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestHerald, type TestHerald } from '../support/harness';
import { inChannel, incidentRow, runningIncident, setMember, type RunningIncident } from '../support/running';
import { startSlackStub, type SlackStub } from '../support/slackStub';

const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const NO_REVIEWS = { REVIEW_DUE: 'SEV1=off,SEV2=off,SEV3=off,SEV4=off' };

/**
 * Channels that tidy up: a closed incident's channel is archived ARCHIVE_AFTER its closing, told a day
 * before; reopening cancels it. Two replicas share the database and the workspace, so "once" is tested
 * where it can fail.
 */
describe("A closed incident's channel is archived", () => {
  let slack: SlackStub;
  let database: TestDatabase;
  let replicas: TestHerald[];
  let now: Date;
  let incident: RunningIncident;

  async function start(env: Record<string, string> = {}) {
    now = new Date(T0);
    slack = await startSlackStub();
    database = await createTestDatabase();
    replicas = [];
    for (let n = 0; n < 2; n += 1) replicas.push(await startTestHerald({ slack, database, clock: () => now, env: { ...NO_REVIEWS, ...env } }));
    incident = await runningIncident(replicas[0]!);
    setMember(replicas[0]!, incident, 'U2');
  }
  afterEach(async () => {
    for (const r of replicas) await r.stop();
    await database.drop();
    await slack.close();
  });

  /** Moves every replica's clock to `ms` after T0, and lets each tick and finish its outbox. */
  async function tickAt(ms: number) {
    now = new Date(T0 + ms);
    await Promise.all(replicas.map((r) => r.herald.scheduler.tick(now)));
    await Promise.all(replicas.map((r) => r.settle()));
  }
  const channel = () => slack.channels.get(incident.channel)!;
  const archiveNotices = () => slack.messagesIn(incident.channel).filter((m) => /will archive this channel/.test(m.text ?? '') || /will be archived/.test(m.text ?? ''));
  async function resolveAndClose() {
    const t = replicas[0]!;
    await inChannel(t, incident, 'resolve');
    const closed = await inChannel(t, incident, 'close');
    expect(closed.json.text).toMatch(/is closed/);
  }

  it('tells the channel a day before and archives it ARCHIVE_AFTER the closing, once, whichever replica', async () => {
    await start({ ARCHIVE_AFTER: '3d' });
    await resolveAndClose();

    await tickAt(2 * DAY - HOUR);
    expect(archiveNotices()).toHaveLength(0);
    await tickAt(2 * DAY);
    expect(archiveNotices()).toHaveLength(1);
    const notice = JSON.stringify(archiveNotices()[0]!.blocks);
    // When, in each reader's own time zone, and how to keep the channel.
    expect(notice).toContain(`<!date^${(T0 + 3 * DAY) / 1000}^`);
    expect(notice).toContain('/incident status investigating');
    expect(channel().is_archived).toBeFalsy();

    await tickAt(3 * DAY - HOUR);
    expect(channel().is_archived).toBeFalsy();
    await tickAt(3 * DAY);
    expect(channel().is_archived).toBe(true);
    await tickAt(3 * DAY + HOUR);
    expect(slack.callsTo('conversations.archive')).toHaveLength(1);
    expect(archiveNotices()).toHaveLength(1);
  });

  it('says so at closing when ARCHIVE_AFTER is under a day', async () => {
    await start({ ARCHIVE_AFTER: '4h' });
    await resolveAndClose();
    await tickAt(0);
    expect(archiveNotices()).toHaveLength(1);
    expect(JSON.stringify(archiveNotices()[0]!.blocks)).toContain(`<!date^${(T0 + 4 * HOUR) / 1000}^`);
    await tickAt(4 * HOUR);
    expect(channel().is_archived).toBe(true);
  });

  it('is cancelled by reopening: only the commander reopens a closed incident, and it runs again', async () => {
    await start({ ARCHIVE_AFTER: '2d' });
    await resolveAndClose();
    const t = replicas[0]!;

    const notCommander = await inChannel(t, incident, 'status investigating', 'U2');
    expect(notCommander.json.text).toMatch(/Only the incident commander \(<@U1>\) can reopen closed incident/);
    const wrongStatus = await inChannel(t, incident, 'status monitoring');
    expect(wrongStatus.json.text).toMatch(/is closed\. Its commander can reopen it with `\/incident status investigating`/);
    expect((await incidentRow(t, incident.id)).status).toBe('closed');

    await inChannel(t, incident, 'status investigating');
    const row = await incidentRow(t, incident.id);
    expect(row).toMatchObject({ status: 'investigating', closed_at: null, resolved_at: null });
    expect(slack.messagesIn(incident.channel).some((m) => /<@U1> reopened the incident/.test(m.text ?? ''))).toBe(true);

    await tickAt(5 * DAY);
    expect(archiveNotices()).toHaveLength(0);
    expect(slack.callsTo('conversations.archive')).toHaveLength(0);
    expect(channel().is_archived).toBeFalsy();

    // Closed again: a schedule of its own, from the new closing.
    await resolveAndClose();
    await tickAt(6 * DAY);
    expect(archiveNotices()).toHaveLength(1);
    await tickAt(7 * DAY);
    expect(channel().is_archived).toBe(true);
  });

  it('warns before it archives when Herald was away while both fell due', async () => {
    await start({ ARCHIVE_AFTER: '2d' });
    await resolveAndClose();
    await tickAt(10 * DAY);
    await tickAt(10 * DAY);
    expect(archiveNotices()).toHaveLength(1);
    expect(channel().is_archived).toBe(true);
    const archived = slack.okCallsTo('conversations.archive')[0]!.at;
    expect(slack.okCallsTo('chat.postMessage').find((c) => /will be archived/.test(c.args.text))!.at).toBeLessThanOrEqual(archived);
  });

  it('keeps channels with ARCHIVE_AFTER=off', async () => {
    await start({ ARCHIVE_AFTER: 'off' });
    await resolveAndClose();
    await tickAt(90 * DAY);
    expect(archiveNotices()).toHaveLength(0);
    expect(slack.callsTo('conversations.archive')).toHaveLength(0);
  });

  it('counts a channel someone archived already as done', async () => {
    await start({ ARCHIVE_AFTER: '1d' });
    await resolveAndClose();
    channel().is_archived = true;
    await tickAt(DAY);
    expect(slack.callsTo('conversations.archive').map((c) => c.error)).toEqual(['already_archived']);
    const job = await replicas[0]!.db.selectFrom('outbox').select(['status']).where('kind', '=', 'archive_channel').executeTakeFirstOrThrow();
    expect(job.status).toBe('done');
  });
});

describe('ARCHIVE_AFTER', () => {
  it('refuses what is not a duration or off, naming the variable', async () => {
    const { loadConfig } = await import('../../src/config');
    const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
    expect(loadConfig(base).archiveAfterMs).toBe(7 * DAY);
    expect(loadConfig({ ...base, ARCHIVE_AFTER: 'off' }).archiveAfterMs).toBeNull();
    expect(() => loadConfig({ ...base, ARCHIVE_AFTER: 'weekly' })).toThrow(/ARCHIVE_AFTER: .*"off"/);
  });
});
