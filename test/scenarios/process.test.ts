import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { SIGNING_SECRET } from '../support/harness';
import { buildHerald, run, servingPort, type Running } from '../support/heraldProcess';
import { form, signedPost } from '../support/slackRequests';
import { startSlackStub, type SlackStub } from '../support/slackStub';

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
        ...(database ? { DATABASE_URL: database.url! } : { DATA_DIR: mkdtempSync(join(tmpdir(), 'herald-start-')) }),
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
      const herald = run({ SLACK_BOT_TOKEN: 'xoxb-not-the-right-one', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'herald-badtoken-')) });
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
    const herald = run({ SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'herald-retry-')) });
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
