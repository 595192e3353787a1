import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, type Database } from '../../src/db/client';
import { migrateToLatest } from '../../src/db/migrate';
import { checkDatabase, describeDatabaseUrl } from '../../src/doctor/database';
import { readManifestExpectations, findManifest } from '../../src/doctor/manifest';
import { runDoctorCli } from '../../src/doctorCli';
import { SIGNING_SECRET } from '../support/harness';
import { createTestDatabase, usingServer, type TestDatabase } from '../support/database';
import { silentLogger } from '../support/logger';
import { startSlackStub, type SlackStub } from '../support/slackStub';

// Each run opens the embedded database twice (to seed it, then as the doctor): slow on a busy machine.
jest.setTimeout(90_000);

/** Everything the doctor may call: it reads, and nothing else. */
const READING = new Set(['auth.test', 'conversations.info', 'users.info']);
const TEAM = 'T0001';
const manifestScopes = readManifestExpectations(findManifest()!).botScopes;

/**
 * The installation the doctor looks at: a Slack stand-in and Herald's database, where `npm run doctor`
 * finds them — DATABASE_URL on a server, DATA_DIR for the embedded database (closed again before the
 * doctor opens it, as when Herald is stopped).
 */
interface Installation {
  env: Record<string, string>;
  seed(services: Record<string, string[]>, refusals?: string[]): Promise<void>;
  close(): Promise<void>;
}

async function seedServices(db: Database, services: Record<string, string[]>, refusals: string[] = []): Promise<void> {
  await db.deleteFrom('service_stakeholders').execute();
  await db.deleteFrom('services').execute();
  await db.deleteFrom('outbox').execute();
  // Deliveries Slack refused, as the outbox records them: waiting for another try, or given up.
  for (const [i, error] of refusals.entries()) {
    const now = new Date();
    await db
      .insertInto('outbox')
      .values({ team_id: TEAM, kind: 'deliver_update', dedupe_key: `refused-${i}`, destination: 'U1', payload: JSON.stringify({}) as any, status: i % 2 ? 'failed' : 'pending', next_attempt_at: now, created_at: now, last_error: error })
      .execute();
  }
  for (const [name, channels] of Object.entries(services)) {
    const { id } = await db.insertInto('services').values({ team_id: TEAM, name, name_key: name.toLowerCase() }).returning('id').executeTakeFirstOrThrow();
    if (channels.length > 0) await db.insertInto('service_stakeholders').values(channels.map((target_id) => ({ service_id: id, kind: 'channel' as const, target_id }))).execute();
  }
}

async function installation(): Promise<Installation> {
  if (usingServer) {
    const database: TestDatabase = await createTestDatabase();
    const db = database.connect();
    return { env: { DATABASE_URL: database.url! }, seed: (s, r) => seedServices(db, s, r), close: () => database.drop() };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-doctor-'));
  const open = () => createDatabase({ dataDir, log: silentLogger });
  const db = await open();
  await migrateToLatest(db, silentLogger);
  await db.destroy();
  return {
    env: { DATA_DIR: dataDir },
    async seed(services, refusals) {
      const handle = await open();
      try {
        await seedServices(handle, services, refusals);
      } finally {
        await handle.destroy();
      }
    },
    close: async () => undefined,
  };
}

async function doctor(slack: SlackStub, install: Installation, env: Record<string, string> = {}): Promise<{ code: number; text: string }> {
  let text = '';
  const code = await runDoctorCli(
    { SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, LOG_LEVEL: 'silent', ANNOUNCE_CHANNEL: 'CANNOUNCE', ...install.env, ...env },
    (t) => (text += t),
  );
  return { code, text };
}

const wroteNothing = (slack: SlackStub) => expect(slack.calls.map((c) => c.method).filter((m) => !READING.has(m))).toEqual([]);

describe('npm run doctor', () => {
  let install: Installation;
  let slack: SlackStub;
  beforeAll(async () => {
    install = await installation();
  }, 120_000);
  afterAll(async () => {
    await install?.close();
  });
  afterEach(async () => {
    await slack?.close();
  });

  it('on a healthy installation says all is well, exits 0, and only reads', async () => {
    slack = await startSlackStub();
    slack.addChannel({ id: 'CANNOUNCE', name: 'incidents', members: [slack.botUserId, 'U1'] });
    slack.addChannel({ id: 'CPAYSTAKE', name: 'payments-stakeholders', is_private: true, members: [slack.botUserId, 'U2'] });
    await install.seed({ 'Payments API': ['CPAYSTAKE'] });

    const { code, text } = await doctor(slack, install);

    expect(text).toContain('All is well');
    expect(code).toBe(0);
    expect(text).toContain('SLACK_BOT_TOKEN is the bot token of @herald');
    expect(text).toContain(`every scope manifest.yml asks for (${manifestScopes.length})`);
    expect(text).toContain('#incidents (CANNOUNCE) (ANNOUNCE_CHANNEL): Herald is in it');
    expect(text).toContain('#payments-stakeholders (CPAYSTAKE) (the stakeholder list of Payments API): Herald is in it');
    expect(text).toMatch(/database .*answers and is up to date/i);
    // The configuration, read back as Herald understood it.
    expect(text).toContain('SEV1 every 15m, SEV2 every 30m, SEV3 every 1h, SEV4 never');
    // What a bot token cannot see is said, with where to look.
    expect(text).toContain('App Home: Home Tab on, Messages Tab on');
    wroteNothing(slack);
  });

  it('names the fix for a missing scope, a channel Herald is not in, an archived and an unknown channel, and exits 1', async () => {
    slack = await startSlackStub({ scopes: manifestScopes.filter((s) => s !== 'pins:write') });
    slack.addChannel({ id: 'CANNOUNCE', name: 'incidents', members: ['U1'] });
    const archived = slack.addChannel({ id: 'COLDSTAKE', name: 'old-stakeholders', members: [slack.botUserId] });
    archived.is_archived = true;
    await install.seed({ 'Payments API': ['COLDSTAKE'], Checkout: ['CGONE'] });

    const { code, text } = await doctor(slack, install, { DIGEST_CHANNEL: 'CDIGEST', DIGEST_TZ: 'Europe/Paris' });

    expect(code).toBe(1);
    expect(text).toContain('The token lacks pins:write, which manifest.yml asks for.');
    expect(text).toContain('Add the scope pins:write under api.slack.com/apps → Herald → OAuth & Permissions → Bot Token Scopes');
    expect(text).toContain('Reinstall to Workspace');
    expect(text).toContain('Herald is not in #incidents (CANNOUNCE) (ANNOUNCE_CHANNEL)');
    expect(text).toContain('Invite Herald to #incidents (CANNOUNCE): type `/invite @Herald` there.');
    expect(text).toContain('#old-stakeholders (COLDSTAKE) (the stakeholder list of Payments API) is archived.');
    expect(text).toContain('Unarchive #old-stakeholders (COLDSTAKE), or change the stakeholder list of Payments API to a channel in use.');
    expect(text).toContain('CGONE (the stakeholder list of Checkout): Slack answered channel_not_found.');
    expect(text).toContain('CDIGEST (DIGEST_CHANNEL): Slack answered channel_not_found.');
    expect(text).toContain('copy the ID from the channel');
    expect(text).toContain('read in Europe/Paris (DIGEST_TZ)');
    expect(text).toContain('5 problems found');
    wroteNothing(slack);
  });

  it('tells from the deliveries Slack refused what a bot token cannot check: the Messages tab, a posting restriction', async () => {
    slack = await startSlackStub();
    slack.addChannel({ id: 'CANNOUNCE', name: 'incidents', members: [slack.botUserId] });
    await install.seed({}, ['messages_tab_disabled', 'messages_tab_disabled', 'restricted_action', 'request_failed']);
    const { code, text } = await doctor(slack, install);
    expect(code).toBe(1);
    expect(text).toContain("Slack refused 2 of Herald's messages (still waiting, or given up) with messages_tab_disabled.");
    expect(text).toContain('Turn on api.slack.com/apps → Herald → App Home → Messages Tab');
    expect(text).toContain("Slack refused 1 of Herald's messages (still waiting, or given up) with restricted_action.");
    expect(text).toContain('a workspace admin can allow it');
    // Slack being away is not a setup problem.
    expect(text).not.toContain('request_failed');
    wroteNothing(slack);
  });

  it('says which token Slack refused, and checks no channel with it', async () => {
    slack = await startSlackStub();
    await install.seed({});
    const { code, text } = await doctor(slack, install, { SLACK_BOT_TOKEN: 'xoxb-not-this-one' });
    expect(code).toBe(1);
    expect(text).toContain('Slack refused SLACK_BOT_TOKEN (invalid_auth).');
    expect(text).toContain('copy the Bot User OAuth Token (xoxb-…) again');
    expect(text).toContain('Channels were not checked');
    expect(slack.callsTo('conversations.info')).toEqual([]);
  });

  it('tells a user token (xoxp-) from the bot token Herald needs', async () => {
    slack = await startSlackStub({ token: 'xoxp-a-person' });
    await install.seed({});
    const { code, text } = await doctor(slack, install, { SLACK_BOT_TOKEN: 'xoxp-a-person' });
    expect(code).toBe(1);
    expect(text).toContain('SLACK_BOT_TOKEN is a user token (xoxp-…): Herald would act as that person.');
    expect(text).toContain('use the Bot User OAuth Token (xoxb-…)');
  });

  it('reports a bad variable as a problem, with no stack', async () => {
    slack = await startSlackStub();
    const { code, text } = await doctor(slack, install, { ANNOUNCE_CHANNEL: '#incidents' });
    expect(code).toBe(1);
    expect(text).toContain('ANNOUNCE_CHANNEL: expected a channel ID');
    expect(text).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

describe('The doctor and the database', () => {
  it('lists the migrations that have not run', async () => {
    const database = await createTestDatabase({ migrated: false });
    const db = database.connect();
    try {
      const [finding] = await checkDatabase(db);
      expect(finding).toMatchObject({ level: 'problem', fix: expect.stringContaining('npm run migrate') });
      expect(finding!.text).toContain('20261125_0001_core');
      expect(finding!.text).toContain('20261127_0030_signal_rate');
    } finally {
      await database.drop();
    }
  });

  it('says plainly when DATABASE_URL does not answer, naming what to check, and never shows its password', async () => {
    const slack = await startSlackStub();
    slack.addChannel({ id: 'CANNOUNCE', name: 'incidents', members: [slack.botUserId] });
    try {
      const { code, text } = await doctor(slack, { env: { DATABASE_URL: 'postgres://herald:s3cret@127.0.0.1:1/herald' }, seed: async () => undefined, close: async () => undefined });
      expect(code).toBe(1);
      expect(text).toContain('The PostgreSQL database at 127.0.0.1:1/herald does not answer.');
      expect(text).toContain('Check DATABASE_URL (host, port, database, user and password)');
      expect(text).toContain('The stakeholder channels could not be read from the database');
      expect(text).not.toContain('s3cret');
    } finally {
      await slack.close();
    }
    expect(describeDatabaseUrl('postgres://herald:s3cret@db.internal:5432/herald')).toBe('The PostgreSQL database at db.internal:5432/herald');
  });

  // The embedded database only: the PostgreSQL run has no DATA_DIR to look at.
  if (!usingServer) {
    it('beside a running Herald, leaves its embedded database alone and says how to check it', async () => {
      const slack = await startSlackStub();
      slack.addChannel({ id: 'CANNOUNCE', name: 'incidents', members: [slack.botUserId] });
      const dataDir = mkdtempSync(join(tmpdir(), 'herald-doctor-running-'));
      const running = await createDatabase({ dataDir, log: silentLogger });
      try {
        await migrateToLatest(running, silentLogger);
        const { code, text } = await doctor(slack, { env: { DATA_DIR: dataDir }, seed: async () => undefined, close: async () => undefined });
        expect(text).toContain(`Not checked: DATA_DIR ${dataDir} is in use by another Herald process (pid ${process.pid}`);
        expect(text).toContain('type `/incident doctor` in Slack');
        expect(text).toContain('All is well');
        expect(code).toBe(0);
      } finally {
        await running.destroy();
        await slack.close();
      }
    });
  }

  // The embedded database only: the PostgreSQL run has no DATA_DIR to look at.
  if (!usingServer) {
    it('does not create an embedded database where there is none', async () => {
      const slack = await startSlackStub();
      const dataDir = mkdtempSync(join(tmpdir(), 'herald-doctor-empty-'));
      try {
        const { code, text } = await doctor(slack, { env: { DATA_DIR: dataDir }, seed: async () => undefined, close: async () => undefined });
        expect(code).toBe(1);
        expect(text).toContain(`There is no embedded database in ${dataDir} (DATA_DIR) yet.`);
        expect(readdirSync(dataDir)).toEqual([]);
        expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);
      } finally {
        await slack.close();
      }
    });
  }
});
