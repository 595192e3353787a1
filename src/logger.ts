import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Field paths pino blanks out wherever they appear in a log record. */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  '*.*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'password',
  '*.password',
  'databaseUrl',
  '*.databaseUrl',
  'hmacSecret',
  '*.hmacSecret',
  '*.*.hmacSecret',
  'headers["x-grafana-alerting-signature"]',
  '*.headers["x-grafana-alerting-signature"]',
  'headers["x-slack-signature"]',
  '*.headers["x-slack-signature"]',
];

/**
 * Tokens or secrets that slipped into free text (an error message, a URL, a payload Bolt logs at
 * debug) are masked too: Slack tokens, signatures, database passwords, the verification `"token"` of
 * a request payload and the ticket of a Socket Mode URL.
 */
const SECRET_IN_TEXT = /(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|v0=[a-f0-9]{64}|postgres(?:ql)?:\/\/[^:@/\s]+:|"token":"|[?&]ticket=)[^\s"'@&]*/g;

export function scrubSecrets(text: string): string {
  return text.replace(SECRET_IN_TEXT, (_match, prefix: string) =>
    /^(postgres|"token"|[?&]ticket)/.test(prefix) ? `${prefix}[Redacted]` : `${prefix.slice(0, 5)}[Redacted]`,
  );
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'herald' },
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
      serializers: {
        err: (err: unknown) => {
          const serialized = pino.stdSerializers.err(err as Error);
          if (serialized?.message) serialized.message = scrubSecrets(serialized.message);
          if (serialized?.stack) serialized.stack = scrubSecrets(serialized.stack);
          return serialized;
        },
      },
    },
    destination,
  );
}
