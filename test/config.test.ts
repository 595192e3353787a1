import { ConfigError, loadConfig, loadDatabaseConfig } from '../src/config';

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
    ['PORT', 'eighty', 'PORT: expected a TCP port number from 0 to 65535 (got "eighty")'],
    ['PORT', '70000', 'PORT: expected a TCP port number from 0 to 65535 (got "70000")'],
    ['UPDATE_CADENCE', 'SEV1=banana', 'UPDATE_CADENCE: SEV1 must be a duration — a whole number and a unit s, m, h or d, e.g. SEV1=15m — or off (got "SEV1=banana")'],
    ['UPDATE_CADENCE', 'SEV1=15x,SEV2=30m', 'UPDATE_CADENCE: SEV1 must be a duration — a whole number and a unit s, m, h or d, e.g. SEV1=15m — or off (got "SEV1=15x")'],
    ['UPDATE_CADENCE', 'SEV1=0m', 'UPDATE_CADENCE: SEV1 must be at least 1s (e.g. SEV1=15m), or off for none (got "SEV1=0m")'],
    ['REVIEW_DUE', 'SEV9=1d', 'REVIEW_DUE: expected SEVn=<duration or off>, comma-separated, like SEV1=3d,SEV2=5d,SEV3=10d,SEV4=off (got "SEV9=1d")'],
    ['REVIEW_DUE', 'SEV2', 'REVIEW_DUE: expected SEVn=<duration or off>, comma-separated, like SEV1=3d,SEV2=5d,SEV3=10d,SEV4=off (got "SEV2")'],
    ['SCHEDULER_CRON', 'every minute', 'SCHEDULER_CRON: expected a cron expression of five fields (minute hour day-of-month month day-of-week), or six with seconds first; "every minute" has 2'],
    ['DIGEST_CRON', '0 9 * *', 'DIGEST_CRON: expected a cron expression of five fields (minute hour day-of-month month day-of-week), or six with seconds first; "0 9 * *" has 4'],
    // Five fields, one of them out of range: said so, not "five fields expected".
    ['DIGEST_CRON', '0 25 * * 1', 'DIGEST_CRON: the hour field (0–23) does not accept "25" (got "0 25 * * 1")'],
    ['DIGEST_CRON', '0 9 * * 8', 'DIGEST_CRON: the day-of-week field (0–7 or sun–sat) does not accept "8" (got "0 9 * * 8")'],
    ['SCHEDULER_CRON', '61 * * * * *', 'SCHEDULER_CRON: the second field (0–59) does not accept "61" (got "61 * * * * *")'],
    ['DIGEST_CRON', '0 9 31 2 *', 'DIGEST_CRON: day-of-month 31 never comes in the month given (got "0 9 31 2 *")'],
    ['DIGEST_TZ', 'Mars/Olympus_Mons', 'DIGEST_TZ: expected an IANA time zone such as UTC or Europe/Paris (got "Mars/Olympus_Mons")'],
    ['DIGEST_CHANNEL', '#risk', 'DIGEST_CHANNEL: expected a channel ID such as C0123ABCD, not a #name (README: "Finding a channel ID") (got "#risk")'],
    ['ANNOUNCE_CHANNEL', '#incidents', 'ANNOUNCE_CHANNEL: expected a channel ID such as C0123ABCD, not a #name (README: "Finding a channel ID") (got "#incidents")'],
    ['ALERTS_CHANNEL', 'alerts', 'ALERTS_CHANNEL: expected a channel ID such as C0123ABCD, not a #name (README: "Finding a channel ID") (got "alerts")'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    ['CHANNEL_PREFIX', 'Inc!', 'CHANNEL_PREFIX: expected lowercase letters, digits, - or _ (at most 20 characters) (got "Inc!")'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL: expected a postgres:// connection URL'],
    ['SLACK_API_URL', 'slack.com/api', 'SLACK_API_URL: expected an http(s) URL such as https://slack.com/api/ (got "slack.com/api")'],
    ['RETENTION', '30 days', 'RETENTION: expected a duration — a whole number and a unit s, m, h or d — like 12h, 30d or 90d (got "30 days")'],
    ['RETENTION', '0d', 'RETENTION: expected a duration of at least 1s, like 12h, 30d or 90d; 0 is not allowed (got "0d")'],
    ['CHANGE_WINDOW', 'two hours', 'CHANGE_WINDOW: expected a duration — a whole number and a unit s, m, h or d — like 30m, 2h or 1d (got "two hours")'],
    ['ALERTS_RATE', 'lots', 'ALERTS_RATE: expected requests per minute, e.g. 600/min (got "lots")'],
    ['ALERT_RULES', 'critical=SEV1', 'ALERT_RULES: expected label=value:SEVn, comma-separated, like severity=critical:SEV1,severity=warning:SEV3 (got "critical=SEV1")'],
  ])('a bad %s (%s) stops start-up with one line naming it, in plain words', (variable, value, message) => {
    expect(problemsOf({ ...base, [variable]: value })).toEqual([message]);
  });

  it('never lets the validation library\'s own wording through', () => {
    const everything = problemsOf({
      ...base,
      PORT: '-1',
      LOG_LEVEL: 'LOUD',
      UPDATE_CADENCE: 'SEV1=1y',
      REVIEW_DUE: '=',
      SCHEDULER_CRON: '*',
      RETENTION: 'x',
      DIGEST_TZ: 'x',
      CHANGE_WINDOW: 'x',
      ALERTS_RATE: '0',
      ALERT_RULES: 'x',
      CHANNEL_PREFIX: '-',
      SLACK_APP_TOKEN: 'x',
    });
    expect(everything).toHaveLength(12);
    for (const line of everything) {
      expect(line).toMatch(/^[A-Z_]+: /);
      expect(line).not.toMatch(/Invalid|expected expected|received|option|Too (small|big)/);
    }
  });

  it('takes an empty variable (PORT= in an .env file) as unset: the default applies', () => {
    const config = loadConfig({ ...base, PORT: '', LOG_LEVEL: ' ', UPDATE_CADENCE: '', DIGEST_CRON: '', RETENTION: '', ANNOUNCE_CHANNEL: '' });
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe('info');
    expect(config.updateCadence).toEqual(loadConfig(base).updateCadence);
    expect(config.digest.cron).toBe('0 9 * * 1');
    expect(config.retentionMs).toBe(30 * 86_400_000);
    expect(config.announceChannel).toBeUndefined();
  });

  it('setting one severity keeps the other severities\' defaults', () => {
    expect(loadConfig({ ...base, UPDATE_CADENCE: 'SEV1=10m' }).updateCadence).toEqual({ SEV1: 10 * 60_000, SEV2: 30 * 60_000, SEV3: 3_600_000, SEV4: null });
    expect(loadConfig({ ...base, REVIEW_DUE: 'sev4=14d, SEV1=off' }).reviewDue).toEqual({ SEV1: null, SEV2: 5 * 86_400_000, SEV3: 10 * 86_400_000, SEV4: 14 * 86_400_000 });
  });

  it('accepts what cron accepts: names, ranges, steps and six fields', () => {
    for (const cron of ['0 9 * * mon', '0 9 * * MON-FRI', '*/15 * * * *', '0 0 9 * * 1', '0 9 1 jan *']) {
      expect(loadConfig({ ...base, DIGEST_CRON: cron }).digest.cron).toBe(cron);
    }
  });

  it('npm run migrate words its variables the same way', () => {
    expect(() => loadDatabaseConfig({ LOG_LEVEL: 'loud' })).toThrow('LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent (got "loud")');
    expect(loadDatabaseConfig({ DATABASE_URL: '', LOG_LEVEL: '' })).toEqual({ databaseUrl: undefined, dataDir: './.data', logLevel: 'info' });
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
      expect.stringMatching(/^ALERT_RULES: expected label=value:SEVn/),
      expect.stringMatching(/^ALERTS_RATE: expected requests per minute/),
    ]);
  });
});
