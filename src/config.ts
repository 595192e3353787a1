import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import { parseDuration } from './duration';
import { SEVERITIES, type Severity } from './incidents/severity';

/** Per-severity durations; null means "off". */
export type SeverityDurations = Record<Severity, number | null>;

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
  /** Alerts (and deployments) posted over HTTP; no token means the endpoints answer 404. */
  signals: {
    token?: string;
    hmacSecret?: string;
    alertsChannel?: string;
    alertRules: AlertRule[];
    ratePerMinute: number;
  };
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

function severityDurations(example: string) {
  return z.string().transform((text, ctx): SeverityDurations => {
    const result = Object.fromEntries(SEVERITIES.map((s) => [s, null])) as SeverityDurations;
    const seen = new Set<string>();
    for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
      const [key, value] = part.split('=').map((p) => p?.trim() ?? '');
      const severity = key.toUpperCase();
      if (!(SEVERITIES as readonly string[]).includes(severity) || value === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not SEVn=<duration>; expected e.g. ${example}` });
        return z.NEVER;
      }
      const ms = value === 'off' ? null : parseDuration(value);
      if (ms === undefined || (ms === null && value !== 'off')) {
        ctx.addIssue({ code: 'custom', message: `"${value}" for ${severity} is not a duration like 30s, 15m, 1h, 3d or "off"` });
        return z.NEVER;
      }
      result[severity as Severity] = ms;
      seen.add(severity);
    }
    const missing = SEVERITIES.filter((s) => !seen.has(s));
    if (missing.length > 0) {
      ctx.addIssue({ code: 'custom', message: `missing ${missing.join(', ')}; expected e.g. ${example}` });
      return z.NEVER;
    }
    return result;
  });
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
      ctx.addIssue({ code: 'custom', message: `"${part}" is not label=value:SEVn; expected e.g. severity=critical:SEV1,severity=warning:SEV3` });
      return z.NEVER;
    }
    rules.push({ label: match[1]!, value: match[2]!.trim(), severity: match[3]!.toUpperCase() as Severity });
  }
  return rules;
});

const CADENCE_DEFAULT = 'SEV1=15m,SEV2=30m,SEV3=1h,SEV4=off';
const REVIEW_DEFAULT = 'SEV1=3d,SEV2=5d,SEV3=10d,SEV4=off';

const envSchema = z.object({
  SLACK_BOT_TOKEN: optionalText.refine((v) => v === undefined || /^xox[bp]-/.test(v), 'a bot token starting with xoxb-'),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xapp-'), 'an app-level token starting with xapp-'),
  SLACK_API_URL: optionalText.refine((v) => v === undefined || /^https?:\/\/\S+$/.test(v), 'an http(s) URL'),
  DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), 'a postgres:// connection URL'),
  DATA_DIR: optionalText.default('./.data').transform((v) => v ?? './.data'),
  PORT: z
    .string()
    .default('3000')
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 0 && Number(v) < 65536, 'a TCP port number (0–65535)')
    .transform(Number),
  HOST: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9.:_-]+$/.test(v), 'an address to listen on, e.g. 127.0.0.1 or 0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ANNOUNCE_CHANNEL: optionalText.refine((v) => v === undefined || /^[CG][A-Z0-9]{2,}$/.test(v), 'a channel ID such as C0123ABCD (not a #name)'),
  CHANNEL_PREFIX: z
    .string()
    .default('inc')
    .refine((v) => /^[a-z0-9][a-z0-9_-]{0,19}$/.test(v), 'lowercase letters, digits, - or _ (at most 20 characters)'),
  UPDATE_CADENCE: severityDurations(CADENCE_DEFAULT).prefault(CADENCE_DEFAULT),
  REVIEW_DUE: severityDurations(REVIEW_DEFAULT).prefault(REVIEW_DEFAULT),
  SCHEDULER_CRON: z
    .string()
    .default('* * * * *')
    .refine((v) => isValidCron(v), 'a cron expression with five fields, or six with seconds first'),
  RETENTION: z
    .string()
    .default('30d')
    .refine((v) => parseDuration(v) !== null, 'a duration like 12h, 30d or 90d')
    .transform((v) => parseDuration(v)!),
  DIGEST_CHANNEL: optionalText.refine((v) => v === undefined || /^[CG][A-Z0-9]{2,}$/.test(v), 'a channel ID such as C0123ABCD (not a #name)'),
  DIGEST_CRON: z
    .string()
    .default('0 9 * * 1')
    .refine((v) => isValidCron(v), 'a cron expression with five fields, or six with seconds first'),
  DIGEST_TZ: z.string().trim().default('UTC').refine(isTimeZone, 'an IANA time zone such as UTC or Europe/Paris'),
  CHANGE_WINDOW: z
    .string()
    .default('2h')
    .refine((v) => parseDuration(v) !== null, 'a duration like 30m, 2h or 1d')
    .transform((v) => parseDuration(v)!),
  ALERTS_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, 'a secret of at least 16 characters'),
  ALERTS_HMAC_SECRET: optionalText,
  ALERTS_CHANNEL: optionalText.refine((v) => v === undefined || /^[CG][A-Z0-9]{2,}$/.test(v), 'a channel ID such as C0123ABCD (not a #name)'),
  ALERT_RULES: alertRules.prefault(''),
  ALERTS_RATE: z
    .string()
    .default('600/min')
    .refine((v) => /^\d+(\/min)?$/.test(v.trim()) && parseInt(v, 10) > 0, 'requests per minute, e.g. 600/min')
    .transform((v) => parseInt(v, 10)),
});

const SETUP_HINT =
  'Herald needs Slack credentials: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP mode), ' +
  'or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode). Create the app from manifest.yml ' +
  '(api.slack.com/apps → Create New App → From a manifest) to get them.';

/** The only reader of process.env. Throws ConfigError whose lines each name a variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = String(issue.path[0]);
        const value = env[variable];
        const shown = variable.includes('TOKEN') || variable.includes('SECRET') || variable === 'DATABASE_URL' ? '' : ` (got "${value}")`;
        return `${variable}: expected ${issue.message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
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
    signals: {
      token: e.ALERTS_TOKEN,
      hmacSecret: e.ALERTS_HMAC_SECRET,
      alertsChannel: e.ALERTS_CHANNEL,
      alertRules: e.ALERT_RULES,
      ratePerMinute: e.ALERTS_RATE,
    },
  };
}

/** The Slack credential variables set in `env` (the sandbox refuses to run beside real ones). */
export function slackCredentialsIn(env: NodeJS.ProcessEnv = process.env): string[] {
  return ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'].filter((name) => (env[name] ?? '').trim() !== '');
}

/** Only what `npm run migrate` needs: the database settings, not Slack's. */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): Pick<Config, 'databaseUrl' | 'dataDir' | 'logLevel'> {
  const parsed = envSchema.pick({ DATABASE_URL: true, DATA_DIR: true, LOG_LEVEL: true }).safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${String(issue.path[0])}: expected ${issue.message}`));
  }
  return { databaseUrl: parsed.data.DATABASE_URL, dataDir: parsed.data.DATA_DIR, logLevel: parsed.data.LOG_LEVEL };
}
