import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Keys whose string value is a secret wherever they appear, at any depth: any key ending in token,
 * secret, password, signature or authorization, and database URLs (`botToken`, `SLACK_APP_TOKEN`,
 * `headers.authorization`, `x-slack-signature`, `config.signals.hmacSecret`, `databaseUrl`, …).
 */
const SECRET_KEY = String.raw`[\w-]*(?:token|secret|password|signature|authorization|database_?url)`;

/**
 * One pass over each finished log line (pino's JSON), so what is masked does not depend on where a
 * value sits in the logged object — and no object is walked:
 * - `"<secret key>":"…"` at any depth of the record;
 * - `\"<secret key>\":\"…` inside a logged string (a payload Bolt logs at debug);
 * - Slack tokens, request signatures, database passwords in a URL and the ticket of a Socket Mode URL,
 *   wherever they slipped into text (an error's message, stack or data).
 */
const SECRET_IN_LINE = new RegExp(
  [
    String.raw`"(${SECRET_KEY})":"(?:[^"\\]|\\.)*"`,
    String.raw`\\"(${SECRET_KEY})\\":\\"[^"\\]*`,
    String.raw`(xox[abposr]-|xapp-|v0=(?=[a-f0-9]{64})|postgres(?:ql)?:\/\/[^:@/\s"]+:|[?&]ticket=)[^\s"'@&\\]*`,
  ].join('|'),
  'gi',
);

const REDACTED = '[Redacted]';

function maskInLine(match: string, key?: string, escapedKey?: string, prefix?: string): string {
  if (key !== undefined) return `"${key}":"${REDACTED}"`;
  if (escapedKey !== undefined) return `\\"${escapedKey}\\":\\"${REDACTED}`;
  const p = prefix ?? match;
  return /^(postgres|[?&]ticket)/i.test(p) ? `${p}${REDACTED}` : `${p.slice(0, 5)}${REDACTED}`;
}

/** Masks secrets in text: known secret values first, then the patterns above. */
export function scrubSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out.replace(SECRET_IN_LINE, maskInLine);
}

/**
 * Secrets shorter than this are not searched for by value (a 4-character password would blank every
 * word that holds it); the key and pattern rules still mask them where they are recognisable.
 */
const MIN_SECRET_LENGTH = 8;

/** Each secret as it appears in a JSON line: raw, and escaped when it holds quotes or backslashes. */
function asLogged(secrets: readonly string[]): string[] {
  const forms = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
  // Longest first, so a secret that contains another is masked whole.
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

export interface LoggerOptions {
  /** The configured secrets' text (see secretsOf in config.ts): masked wherever they appear. */
  secrets?: readonly string[];
}

/**
 * JSON logs (pino). Secrets are masked in the finished line (pino's streamWrite hook): exact at any
 * depth — a logged config, an error's data, a child logger's bindings — for one string pass per line.
 */
export function createLogger(level: string, destination?: pino.DestinationStream, options: LoggerOptions = {}): Logger {
  const known = asLogged(options.secrets ?? []);
  return pino(
    {
      level,
      base: { app: 'herald' },
      hooks: { streamWrite: (line) => scrubSecrets(line, known) },
    },
    destination,
  );
}
