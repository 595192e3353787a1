import { ConfigError, loadConfig } from '../src/config';

const base = { SLACK_BOT_TOKEN: 'xoxb-1-abc', SLACK_SIGNING_SECRET: 'shh' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration from the environment', () => {
  it('uses the documented defaults when only the Slack credentials are set', () => {
    const config = loadConfig(base);
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('./.data');
    expect(config.channelPrefix).toBe('inc');
    expect(config.logLevel).toBe('info');
    expect(config.schedulerCron).toBe('* * * * *');
    expect(config.updateCadence).toEqual({ SEV1: 15 * 60_000, SEV2: 30 * 60_000, SEV3: 3_600_000, SEV4: null });
    expect(config.reviewDue).toEqual({ SEV1: 3 * 86_400_000, SEV2: 5 * 86_400_000, SEV3: 10 * 86_400_000, SEV4: null });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.retentionMs).toBe(30 * 86_400_000);
    expect(config.digest).toEqual({ channel: undefined, cron: '0 9 * * 1', timeZone: 'UTC' });
    expect(config.changeWindowMs).toBe(2 * 3_600_000);
    expect(config.host).toBeUndefined();
  });

  it('binds PORT on HOST when it is set, and names HOST when it is not an address', () => {
    expect(loadConfig({ ...base, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(() => loadConfig({ ...base, HOST: 'not an address' })).toThrow(/^HOST: expected an address to listen on/);
  });

  it('reads every variable PRODUCT.md lists', () => {
    const config = loadConfig({
      ...base,
      SLACK_APP_TOKEN: 'xapp-1-x',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      DATABASE_URL: 'postgres://u@h/db',
      DATA_DIR: '/tmp/h',
      PORT: '8080',
      LOG_LEVEL: 'debug',
      ANNOUNCE_CHANNEL: 'C0123ABCD',
      CHANNEL_PREFIX: 'incident',
      UPDATE_CADENCE: 'SEV1=30s,SEV2=2m,SEV3=1h,SEV4=1d',
      REVIEW_DUE: 'SEV1=10s,SEV2=off,SEV3=off,SEV4=off',
      SCHEDULER_CRON: '*/5 * * * * *',
      RETENTION: '90d',
      DIGEST_CHANNEL: 'C0DIGEST1',
      DIGEST_CRON: '30 0 8 * * 5',
      DIGEST_TZ: 'Europe/Paris',
    });
    expect(config).toMatchObject({
      slack: { botToken: 'xoxb-1-abc', signingSecret: 'shh', appToken: 'xapp-1-x', apiUrl: 'http://127.0.0.1:9999/api/' },
      databaseUrl: 'postgres://u@h/db',
      dataDir: '/tmp/h',
      port: 8080,
      logLevel: 'debug',
      announceChannel: 'C0123ABCD',
      channelPrefix: 'incident',
      updateCadence: { SEV1: 30_000, SEV2: 120_000, SEV3: 3_600_000, SEV4: 86_400_000 },
      reviewDue: { SEV1: 10_000, SEV2: null, SEV3: null, SEV4: null },
      schedulerCron: '*/5 * * * * *',
      retentionMs: 90 * 86_400_000,
      digest: { channel: 'C0DIGEST1', cron: '30 0 8 * * 5', timeZone: 'Europe/Paris' },
    });
  });

  it.each([
    ['PORT', 'eighty', /^PORT: expected a TCP port/],
    ['UPDATE_CADENCE', 'SEV1=15x,SEV2=30m,SEV3=1h,SEV4=off', /^UPDATE_CADENCE: expected "15x" for SEV1 is not a duration/],
    ['UPDATE_CADENCE', 'SEV1=15m', /^UPDATE_CADENCE: expected missing SEV2, SEV3, SEV4/],
    ['REVIEW_DUE', 'SEV9=1d', /^REVIEW_DUE: expected "SEV9=1d" is not SEVn=<duration>/],
    ['SCHEDULER_CRON', 'every minute', /^SCHEDULER_CRON: expected a cron expression/],
    ['DIGEST_CRON', 'mondays at nine', /^DIGEST_CRON: expected a cron expression with five fields, or six/],
    ['DIGEST_CRON', '0 9 * *', /^DIGEST_CRON: expected a cron expression/],
    ['DIGEST_TZ', 'Mars/Olympus_Mons', /^DIGEST_TZ: expected an IANA time zone/],
    ['DIGEST_CHANNEL', '#risk', /^DIGEST_CHANNEL: expected a channel ID/],
    ['ANNOUNCE_CHANNEL', '#incidents', /^ANNOUNCE_CHANNEL: expected a channel ID/],
    ['LOG_LEVEL', 'loud', /^LOG_LEVEL: /],
    ['CHANNEL_PREFIX', 'Inc!', /^CHANNEL_PREFIX: expected lowercase/],
    ['DATABASE_URL', 'mysql://x', /^DATABASE_URL: expected a postgres:\/\/ connection URL$/],
    ['RETENTION', '30 days', /^RETENTION: expected a duration like 12h, 30d or 90d \(got "30 days"\)$/],
    ['CHANGE_WINDOW', 'two hours', /^CHANGE_WINDOW: expected a duration like 30m, 2h or 1d \(got "two hours"\)$/],
  ])('a bad %s stops start-up with one line naming it', (variable, value, message) => {
    const problems = problemsOf({ ...base, [variable]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('never echoes a token or secret back in its message', () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: 'not-a-token-secret-value', SLACK_SIGNING_SECRET: 'x' });
    expect(problems[0]).toMatch(/^SLACK_BOT_TOKEN: expected a bot token starting with xoxb-$/);
    expect(problems.join()).not.toContain('secret-value');
  });

  it('with no Slack credentials at all, says which to set and points at manifest.yml', () => {
    const problems = problemsOf({});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('SLACK_BOT_TOKEN');
    expect(problems[0]).toContain('SLACK_SIGNING_SECRET');
    expect(problems[0]).toContain('SLACK_APP_TOKEN');
    expect(problems[0]).toContain('manifest.yml');
  });

  it('asks for the signing secret in HTTP mode, and accepts the app token instead', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' })[0]).toMatch(/^SLACK_SIGNING_SECRET: /);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack.appToken).toBe('xapp-1');
  });

  it('reads the alert settings, and names ALERT_RULES, ALERTS_RATE or ALERTS_TOKEN when one is wrong (never echoing the token)', () => {
    const config = loadConfig({ ...base, ALERTS_TOKEN: 'a-long-enough-token', ALERTS_CHANNEL: 'C0ALERTS', ALERT_RULES: 'severity=critical:SEV1, service=Payments API:sev2', ALERTS_RATE: '120/min' });
    expect(config.signals).toEqual({
      token: 'a-long-enough-token',
      hmacSecret: undefined,
      alertsChannel: 'C0ALERTS',
      alertRules: [
        { label: 'severity', value: 'critical', severity: 'SEV1' },
        { label: 'service', value: 'Payments API', severity: 'SEV2' },
      ],
      ratePerMinute: 120,
    });
    expect(loadConfig(base).signals).toMatchObject({ token: undefined, alertRules: [], ratePerMinute: 600 });
    const problems = problemsOf({ ...base, ALERT_RULES: 'critical=SEV1', ALERTS_RATE: 'lots', ALERTS_TOKEN: 'short' });
    expect(problems).toEqual([
      expect.stringMatching(/^ALERTS_TOKEN: expected a secret of at least 16 characters$/),
      expect.stringMatching(/^ALERT_RULES: .*label=value:SEVn/),
      expect.stringMatching(/^ALERTS_RATE: expected requests per minute/),
    ]);
  });
});
