import { z } from 'zod';
import { cronMessage, durationMessage, parseSeverityDurations, type SeverityDurations } from './configValues';
import { parseDuration } from './duration';
import { SEVERITIES, type Severity } from './incidents/severity';

export type { SeverityDurations };

export interface Config {
  slack: {
    botToken: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
  };
  databaseUrl?: string;
  dataDir: string;
  port: number;
  /** The address PORT is bound on; unset = every interface. */
  host?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  announceChannel?: string;
  channelPrefix: string;
  updateCadence: SeverityDurations;
  reviewDue: SeverityDurations;
  schedulerCron: string;
  /** How long delivered outbox rows, processed event ids and pacing rows are kept. */
  retentionMs: number;
  /** The weekly risk digest; off when no channel is set. */
  digest: { channel?: string; cron: string; timeZone: string };
  /** How far back, before a declaration, deployments of the incident's services are shown on it. */
  changeWindowMs: number;
  /** How long after closing an incident its channel is archived; null keeps channels (ARCHIVE_AFTER=off). */
  archiveAfterMs: number | null;
  /** Alerts (and deployments) posted over HTTP; no token means the endpoints answer 404. */
  signals: {
    token?: string;
    hmacSecret?: string;
    alertsChannel?: string;
    alertRules: AlertRule[];
    ratePerMinute: number;
  };
  /** `GET /metrics`; with a token, scrapes must send it as a bearer token. */
  metrics: { token?: string };
}

/** `label=value:SEVn`: a firing alert group whose label matches is declared at that severity. */
export interface AlertRule {
  label: string;
  value: string;
  severity: Severity;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** A check whose message is the whole text after "VARIABLE: " (it quotes the value itself). */
function check<T>(problem: (value: T) => string | null) {
  return (value: T, ctx: z.RefinementCtx) => {
    const message = problem(value);
    if (message !== null) ctx.addIssue({ code: 'custom', message, params: { quotesValue: true } });
  };
}

const CADENCE_DEFAULT = 'SEV1=15m,SEV2=30m,SEV3=1h,SEV4=off';
const REVIEW_DEFAULT = 'SEV1=3d,SEV2=5d,SEV3=10d,SEV4=off';
const NO_SEVERITY_DURATIONS = Object.fromEntries(SEVERITIES.map((s) => [s, null])) as SeverityDurations;

/** `UPDATE_CADENCE` and `REVIEW_DUE`: severities not named keep their default. */
function severityDurations(defaultText: string) {
  const defaults = parseSeverityDurations(defaultText, NO_SEVERITY_DURATIONS, defaultText);
  if (!('value' in defaults)) throw new Error(`bad built-in default ${defaultText}`);
  return z
    .string()
    .default(defaultText)
    .transform((text, ctx): SeverityDurations => {
      const parsed = parseSeverityDurations(text, defaults.value, defaultText);
      if ('value' in parsed) return parsed.value;
      check(() => parsed.problem)(text, ctx);
      return z.NEVER;
    });
}

function duration(defaultText: string, examples: string) {
  return z
    .string()
    .default(defaultText)
    .superRefine(check((v: string) => durationMessage(v, examples)))
    .transform((v) => parseDuration(v)!);
}

function cron(defaultText: string) {
  return z.string().default(defaultText).superRefine(check(cronMessage));
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone !== '';
  } catch {
    return false;
  }
}
const alertRules = z.string().transform((text, ctx): AlertRule[] => {
  const rules: AlertRule[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=([^:]+):(SEV[1-4])$/i.exec(part);
    if (!match) {
      check(() => `expected label=value:SEVn, comma-separated, like severity=critical:SEV1,severity=warning:SEV3 (got "${part}")`)(text, ctx);
      return z.NEVER;
    }
    rules.push({ label: match[1]!, value: match[2]!.trim(), severity: match[3]!.toUpperCase() as Severity });
  }
  return rules;
});

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const CHANNEL_ID = 'a channel ID such as C0123ABCD, not a #name (README: "Finding a channel ID")';
const isChannelId = (v: string | undefined) => v === undefined || /^[CG][A-Z0-9]{2,}$/.test(v);

const envSchema = z.object({
  SLACK_BOT_TOKEN: optionalText.refine((v) => v === undefined || /^xox[bp]-/.test(v), 'expected a bot token starting with xoxb-'),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xapp-'), 'expected an app-level token starting with xapp-'),
  SLACK_API_URL: optionalText.refine((v) => v === undefined || /^https?:\/\/\S+$/.test(v), 'expected an http(s) URL such as https://slack.com/api/'),
  DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), 'expected a postgres:// connection URL'),
  DATA_DIR: optionalText.default('./.data').transform((v) => v ?? './.data'),
  PORT: z
    .string()
    .default('3000')
    .refine((v) => /^\d+$/.test(v.trim()) && Number(v) < 65536, 'expected a TCP port number from 0 to 65535')
    .transform(Number),
  HOST: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9.:_-]+$/.test(v), 'expected an address to listen on, e.g. 127.0.0.1 or 0.0.0.0'),
  LOG_LEVEL: z
    .string()
    .default('info')
    .refine((v): v is (typeof LOG_LEVELS)[number] => (LOG_LEVELS as readonly string[]).includes(v), `expected one of ${LOG_LEVELS.join(', ')}`),
  ANNOUNCE_CHANNEL: optionalText.refine(isChannelId, `expected ${CHANNEL_ID}`),
  CHANNEL_PREFIX: z
    .string()
    .default('inc')
    .refine((v) => /^[a-z0-9][a-z0-9_-]{0,19}$/.test(v), 'expected lowercase letters, digits, - or _ (at most 20 characters)'),
  UPDATE_CADENCE: severityDurations(CADENCE_DEFAULT),
  REVIEW_DUE: severityDurations(REVIEW_DEFAULT),
  SCHEDULER_CRON: cron('* * * * *'),
  RETENTION: duration('30d', '12h, 30d or 90d'),
  DIGEST_CHANNEL: optionalText.refine(isChannelId, `expected ${CHANNEL_ID}`),
  DIGEST_CRON: cron('0 9 * * 1'),
  DIGEST_TZ: z.string().trim().default('UTC').refine(isTimeZone, 'expected an IANA time zone such as UTC or Europe/Paris'),
  CHANGE_WINDOW: duration('2h', '30m, 2h or 1d'),
  ARCHIVE_AFTER: z
    .string()
    .default('7d')
    .superRefine(check((v: string) => (v.trim() === 'off' ? null : durationMessage(v, '12h, 7d or 30d, or "off" to keep closed incidents\' channels'))))
    .transform((v) => (v.trim() === 'off' ? null : parseDuration(v)!)),
  ALERTS_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, 'expected a secret of at least 16 characters'),
  ALERTS_HMAC_SECRET: optionalText,
  ALERTS_CHANNEL: optionalText.refine(isChannelId, `expected ${CHANNEL_ID}`),
  ALERT_RULES: alertRules.prefault(''),
  ALERTS_RATE: z
    .string()
    .default('600/min')
    .refine((v) => /^\d+(\/min)?$/.test(v.trim()) && parseInt(v, 10) > 0, 'expected requests per minute, e.g. 600/min')
    .transform((v) => parseInt(v, 10)),
  METRICS_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, 'expected a secret of at least 16 characters'),
});

/** Values never repeated back: a typo in a secret would otherwise land in the logs. */
const isSecret = (variable: string) => variable.includes('TOKEN') || variable.includes('SECRET') || variable === 'DATABASE_URL';

/**
 * An empty variable (`PORT=` in a compose file or an .env) means "not set", for every variable: it
 * takes its default instead of being read as a value.
 */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1].trim() !== ''));
}

/**
 * Parses with `schema` and turns every issue into one line "VARIABLE: what was expected (got …)".
 * Herald's own checks word every message; zod's words (for anything they miss) never reach a person.
 */
function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.output<T> {
  const given = withoutEmpty(env);
  const parsed = schema.safeParse(given, { error: () => 'expected a different value' });
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0]);
      const quoted = issue.code === 'custom' && issue.params?.quotesValue === true;
      const shown = quoted || isSecret(variable) ? '' : ` (got "${given[variable]}")`;
      return `${variable}: ${issue.message}${shown}`;
    }),
  );
}

const SETUP_HINT =
  'Herald needs Slack credentials: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP mode), ' +
  'or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode). Create the app from manifest.yml ' +
  '(api.slack.com/apps → Create New App → From a manifest) to get them.';

/** The only reader of process.env. Throws ConfigError whose lines each name a variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(envSchema, env);
  if (!e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) throw new ConfigError([SETUP_HINT]);
  const problems: string[] = [];
  if (!e.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN: expected the bot token (xoxb-…) from the app\'s "OAuth & Permissions" page');
  if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET)
    problems.push('SLACK_SIGNING_SECRET: expected the signing secret from the app\'s "Basic Information" page (or set SLACK_APP_TOKEN for Socket Mode)');
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    slack: { botToken: e.SLACK_BOT_TOKEN!, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, apiUrl: e.SLACK_API_URL },
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    announceChannel: e.ANNOUNCE_CHANNEL,
    channelPrefix: e.CHANNEL_PREFIX,
    updateCadence: e.UPDATE_CADENCE,
    reviewDue: e.REVIEW_DUE,
    schedulerCron: e.SCHEDULER_CRON,
    retentionMs: e.RETENTION,
    digest: { channel: e.DIGEST_CHANNEL, cron: e.DIGEST_CRON, timeZone: e.DIGEST_TZ },
    changeWindowMs: e.CHANGE_WINDOW,
    archiveAfterMs: e.ARCHIVE_AFTER,
    signals: {
      token: e.ALERTS_TOKEN,
      hmacSecret: e.ALERTS_HMAC_SECRET,
      alertsChannel: e.ALERTS_CHANNEL,
      alertRules: e.ALERT_RULES,
      ratePerMinute: e.ALERTS_RATE,
    },
    metrics: { token: e.METRICS_TOKEN },
  };
}

/** The configured secrets' own text, so the logger can mask them wherever they turn up. */
export function secretsOf(config: Partial<Pick<Config, 'slack' | 'databaseUrl' | 'signals' | 'metrics'>>): string[] {
  const { slack, signals, metrics } = config;
  let databasePassword: string[] = [];
  try {
    const password = config.databaseUrl ? new URL(config.databaseUrl).password : '';
    databasePassword = password ? [password, decodeURIComponent(password)] : [];
  } catch {
    // Not a URL the driver could use either; the logger's patterns still mask postgres://user:password@.
  }
  return [slack?.botToken, slack?.signingSecret, slack?.appToken, signals?.token, signals?.hmacSecret, metrics?.token, ...databasePassword].filter(
    (s): s is string => typeof s === 'string' && s !== '',
  );
}

/** The Slack credential variables set in `env` (the sandbox refuses to run beside real ones). */
export function slackCredentialsIn(env: NodeJS.ProcessEnv = process.env): string[] {
  return ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'].filter((name) => (env[name] ?? '').trim() !== '');
}

/** Only what `npm run migrate` needs: the database settings, not Slack's. */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): Pick<Config, 'databaseUrl' | 'dataDir' | 'logLevel'> {
  const e = parseEnv(envSchema.pick({ DATABASE_URL: true, DATA_DIR: true, LOG_LEVEL: true }), env);
  return { databaseUrl: e.DATABASE_URL, dataDir: e.DATA_DIR, logLevel: e.LOG_LEVEL };
}
