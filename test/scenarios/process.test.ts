import net from 'node:net';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { SIGNING_SECRET } from '../support/harness';
import { buildHerald, run, run as runHerald, servingPort, waitForLines, type Running } from '../support/heraldProcess';
import { startTcpProxy } from '../support/outage';
import { form, signedPost } from '../support/slackRequests';
import { startSlackStub, type SlackStub } from '../support/slackStub';
import { tempDir } from '../support/tempDirs';

describe('Running Herald as `npm start` does', () => {
  let slack: SlackStub;
  beforeAll(async () => {
    buildHerald();
    slack = await startSlackStub();
  }, 60_000);
  afterAll(async () => {
    await slack.close();
  });

  it('with no Slack credentials, says which variables to set and points at manifest.yml', async () => {
    const herald = run({});
    expect(await herald.exited).toBe(1);
    expect(herald.output()).toContain('SLACK_BOT_TOKEN');
    expect(herald.output()).toContain('manifest.yml');
  });

  it('stops at start-up on a bad value, naming the variable', async () => {
    const herald = run({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: 'eighty' });
    expect(await herald.exited).toBe(1);
    expect(herald.output()).toMatch(/PORT: expected a TCP port/);
  });

  describe('with credentials', () => {
    let database: TestDatabase | null = null;
    let herald: Running;
    let port: number;
    beforeAll(async () => {
      database = process.env.TEST_DATABASE_URL ? await createTestDatabase() : null;
      herald = run({
        SLACK_BOT_TOKEN: slack.token,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        LOG_LEVEL: 'info',
        ...(database ? { DATABASE_URL: database.url! } : { DATA_DIR: tempDir('herald-start-') }),
      });
      port = await servingPort(herald);
    }, 120_000);
    afterAll(async () => {
      herald.child.kill('SIGKILL');
      await database?.drop();
    });

    it('serves commands, looks up its identity once, logs no token, and stops cleanly on SIGTERM', async () => {
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      for (let i = 0; i < 3; i += 1) {
        const body = form({ command: '/incident', text: 'help', team_id: slack.teamId, user_id: 'U1', channel_id: 'C1', response_url: slack.responseUrl(), trigger_id: slack.issueTrigger() });
        const res = await signedPost(`http://127.0.0.1:${port}/slack/events`, body, 'application/x-www-form-urlencoded', { secret: SIGNING_SECRET });
        expect(res.json.text).toContain('/incident declare');
      }
      expect(slack.callsTo('auth.test')).toHaveLength(1);
      herald.child.kill('SIGTERM');
      expect(await herald.exited).toBe(0);
      const logs = herald.output();
      expect(logs).toContain('Stopped');
      expect(logs).not.toContain(slack.token);
      expect(logs).not.toContain(SIGNING_SECRET);
      for (const line of logs.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    });
  });
});

describe('Looking up the bot at start-up', () => {
  it('stops with a message naming SLACK_BOT_TOKEN when Slack refuses the token', async () => {
    const slack = await startSlackStub();
    try {
      const herald = run({ SLACK_BOT_TOKEN: 'xoxb-not-the-right-one', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0', DATA_DIR: tempDir('herald-badtoken-') });
      expect(await herald.exited).toBe(1);
      expect(herald.output()).toContain('SLACK_BOT_TOKEN was refused by Slack (invalid_auth)');
      expect(herald.output()).not.toContain('xoxb-not-the-right-one');
    } finally {
      await slack.close();
    }
  }, 120_000);

  it('retries while Slack is briefly unreachable', async () => {
    const slack = await startSlackStub();
    slack.failNext('auth.test', { status: 503, times: 2 });
    const herald = run({ SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0', DATA_DIR: tempDir('herald-retry-') });
    try {
      await servingPort(herald);
      expect(slack.callsTo('auth.test')).toHaveLength(3);
    } finally {
      herald.child.kill('SIGTERM');
      await herald.exited;
      await slack.close();
    }
  }, 120_000);
});

/** A port nothing listens on (bound, then let go), for a Slack or a database that cannot be reached. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The port from the first line Herald logs, once PORT is bound. */
async function listeningPort(herald: Running): Promise<number> {
  const [line] = await waitForLines(herald, 'Listening on PORT');
  return line!.port as number;
}

/** SIGTERM, then: exit 0, a line saying it stopped, no stack, every line JSON. */
async function stopsCleanly(herald: Running): Promise<void> {
  herald.child.kill('SIGTERM');
  const code = await herald.exited;
  const output = herald.output();
  expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('"Stopped"') });
  expect(output).not.toMatch(/^\s+at /m);
  for (const line of output.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
}

describe('Starting while what Herald needs is not there yet', () => {
  let database: TestDatabase | null = null;
  // A test that fails half-way must not leave its Herald running (and the run hanging).
  const spawned: Running[] = [];
  const run = (env: Record<string, string>, main?: string) => {
    const herald = runHerald(env, main);
    spawned.push(herald);
    return herald;
  };
  afterEach(() => {
    for (const herald of spawned.splice(0)) herald.child.kill('SIGKILL');
  });
  /** The database of this run: a PostgreSQL database of its own, or a fresh DATA_DIR. */
  const databaseEnv = (): Record<string, string> => (database ? { DATABASE_URL: database.url! } : { DATA_DIR: tempDir('herald-waiting-') });
  beforeAll(async () => {
    buildHerald();
    database = process.env.TEST_DATABASE_URL ? await createTestDatabase() : null;
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
  });

  it('refuses a taken PORT first and at once, naming PORT, before trying the database', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      // A database that cannot be reached would be waited for: exiting shows the port came first.
      const herald = run({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: String(port), DATABASE_URL: `postgres://h@127.0.0.1:${await closedPort()}/h` });
      expect(await herald.exited).toBe(1);
      expect(herald.output()).toContain(`Herald cannot start: PORT ${port} is already in use by another program (another Herald?): stop it, or set PORT to a free port`);
      expect(herald.output()).not.toContain('database');
      expect(herald.output()).not.toMatch(/^\s+at /m);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 120_000);

  it.each([
    ['HTTP mode', { SLACK_SIGNING_SECRET: SIGNING_SECRET }],
    ['Socket Mode', { SLACK_APP_TOKEN: 'xapp-1-test' }],
  ])('in %s, keeps trying Slack until stopped, one line each naming SLACK_API_URL, and /readyz says it waits for Slack', async (_mode, credentials) => {
    const apiUrl = `http://127.0.0.1:${await closedPort()}/api/`;
    const herald = run({ SLACK_BOT_TOKEN: 'xoxb-1', ...credentials, SLACK_API_URL: apiUrl, PORT: '0', ...databaseEnv() });
    const port = await listeningPort(herald);
    const tries = await waitForLines(herald, 'Could not reach Slack to look up the bot', 3);
    for (const line of tries) expect(line.msg).toMatch(new RegExp(`^Could not reach Slack to look up the bot at SLACK_API_URL=${apiUrl} \\(ECONNREFUSED\\): check the network, a proxy, or SLACK_API_URL; retrying in \\d+ s`));
    // One line per try: the Web API client's own warning is not repeated beside it.
    expect(herald.output()).not.toContain('fetch failed');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ok: false, waitingFor: 'slack', problem: expect.stringContaining(`SLACK_API_URL=${apiUrl}`) });
    await stopsCleanly(herald);
  }, 180_000);

  it('says a SLACK_API_URL without /api/ is not the Web API, instead of blaming the bot token', async () => {
    const slack = await startSlackStub();
    try {
      const apiUrl = slack.apiUrl.replace(/api\/$/, '');
      const herald = run({ SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: apiUrl, PORT: '0', ...databaseEnv() });
      expect(await herald.exited).toBe(1);
      expect(herald.output()).toContain(
        `Herald cannot start: SLACK_API_URL is not Slack's Web API: SLACK_API_URL=${apiUrl} answered auth.test with HTTP 404; the Web API's address ends in /api/, e.g. https://slack.com/api/`,
      );
      expect(herald.output()).not.toContain('SLACK_BOT_TOKEN');
    } finally {
      await slack.close();
    }
  }, 180_000);

  it('keeps waiting for a DATABASE_URL that cannot be reached, naming it without its password, until stopped', async () => {
    const dbPort = await closedPort();
    const herald = run({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: '0', DATABASE_URL: `postgres://herald:pw-not-for-logs@127.0.0.1:${dbPort}/herald?sslmode=disable` });
    const port = await listeningPort(herald);
    const tries = await waitForLines(herald, 'Could not reach the database', 2);
    for (const line of tries) {
      expect(line.msg).toMatch(new RegExp(`^Could not reach the database at DATABASE_URL \\(server 127.0.0.1:${dbPort}, database herald\\): connect ECONNREFUSED 127.0.0.1:${dbPort} — check that it runs, and the network; retrying in \\d+ s`));
    }
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ waitingFor: 'database', problem: expect.stringContaining('DATABASE_URL (server 127.0.0.1') });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    await stopsCleanly(herald);
    expect(herald.output()).not.toContain('pw-not-for-logs');
  }, 180_000);

  it('npm run migrate waits for an unreachable DATABASE_URL the same way, and stops cleanly', async () => {
    const dbPort = await closedPort();
    const migrate = run({ DATABASE_URL: `postgres://herald:pw-not-for-logs@127.0.0.1:${dbPort}/herald` }, join(__dirname, '../../dist/src/db/migrate-cli.js'));
    await waitForLines(migrate, `Could not reach the database at DATABASE_URL (server 127.0.0.1:${dbPort}, database herald)`, 2);
    await stopsCleanly(migrate);
    expect(migrate.output()).not.toContain('pw-not-for-logs');
  }, 180_000);

  it('stops cleanly on SIGTERM while it is still opening its database', async () => {
    const herald = run({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: '0', ...databaseEnv() });
    await listeningPort(herald);
    await stopsCleanly(herald);
    expect(herald.output()).toContain('"Stopping during start-up"');
  }, 180_000);

  // A server that is down and comes back: the PostgreSQL run only (the embedded database cannot be away).
  if (process.env.TEST_DATABASE_URL) {
    it('starts by itself once a database that was down answers (a compose race)', async () => {
      const target = new URL(database!.url!);
      const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      const slack = await startSlackStub();
      try {
        await proxy.cut();
        target.host = `127.0.0.1:${proxy.port}`;
        const herald = run({ SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0', DATABASE_URL: target.toString() });
        await waitForLines(herald, 'Could not reach the database');
        await proxy.restore();
        await servingPort(herald);
        await stopsCleanly(herald);
      } finally {
        await proxy.close();
        await slack.close();
      }
    }, 180_000);
  }
});
