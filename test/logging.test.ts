import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { WebClient } from '@slack/web-api';
import { loadConfig, secretsOf } from '../src/config';
import { createLogger } from '../src/logger';
import { createBoltLogger } from '../src/slack/boltLogger';

function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, log: createLogger('info', stream, { secrets }) };
}

describe('Logs never show tokens or secrets', () => {
  it('redacts token, secret and authorization fields wherever they are nested', () => {
    const { lines, log } = capture();
    log.info({ token: 'xoxb-111-secret', config: { botToken: 'xoxb-222-secret', signingSecret: 'shh-secret' }, headers: { authorization: 'Bearer xoxb-333-secret' } }, 'hello');
    const out = lines.join('');
    expect(out).not.toMatch(/secret/);
    expect(out).toContain('[Redacted]');
  });

  it('masks tokens, signatures and database passwords that slipped into messages and errors', () => {
    const { lines, log } = capture();
    log.warn('called with xoxb-1234-abcdef and xapp-1-A0-99 signed v0=' + 'a'.repeat(64));
    log.error({ err: new Error('connect to postgres://herald:hunter2@db/herald failed') }, 'db');
    const out = lines.join('');
    expect(out).not.toContain('abcdef');
    expect(out).not.toContain('A0-99');
    expect(out).not.toContain('a'.repeat(64));
    expect(out).not.toContain('hunter2');
  });

  it('masks the verification token of a request payload and the ticket of a Socket Mode URL that Bolt logs at debug', () => {
    const { lines, log } = capture();
    log.warn('Received a message on the WebSocket: {"payload":{"token":"verif1cation","text":"help"}}');
    log.warn('Connecting to wss://wss-primary.slack.com/link/?ticket=0b5e-secret-ticket&app_id=A0HERALD');
    const out = lines.join('');
    expect(out).not.toContain('verif1cation');
    expect(out).not.toContain('secret-ticket');
    expect(out).toContain('"text\\":\\"help');
    expect(out).toContain('app_id=A0HERALD');
  });
});

/** Every secret Herald is configured with, each one unlike the others and unlike any ordinary word. */
const SECRET_ENV = {
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-AbCdEfGhIjKlMnOp',
  SLACK_SIGNING_SECRET: '8f14e45fceea167a5a36dedd4bea2543',
  SLACK_APP_TOKEN: 'xapp-1-A0HERALD-3333-abcdef0123',
  DATABASE_URL: 'postgres://herald:Pa55w0rd%2FSecret@db.internal:5432/herald',
  ALERTS_TOKEN: 'alerts-token-0123456789',
  ALERTS_HMAC_SECRET: 'grafana-hmac-secret-42',
  METRICS_TOKEN: 'metrics-token-0123456789',
};
/** What must appear nowhere: each value, and the database password in both its forms. */
const SECRET_TEXTS = [...Object.values(SECRET_ENV).filter((v) => !v.startsWith('postgres')), 'Pa55w0rd%2FSecret', 'Pa55w0rd/Secret'];

/** A Web API that echoes the token it was sent, in its error and in an HTTP failure's body. */
async function echoingSlack(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (req.url?.endsWith('/chat.postMessage')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'invalid_auth', detail: `token ${token} was revoked`, echo: { request: { token, body } } }));
      } else {
        res.writeHead(502, { 'Content-Type': 'text/plain', 'X-Echo-Authorization': `Bearer ${token}` });
        res.end(`bad gateway for ${token}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('Secrets never appear in logs, however deep they are', () => {
  const config = loadConfig({ ...SECRET_ENV, LOG_LEVEL: 'info' });
  const expectNoSecret = (lines: string[]) => {
    const out = lines.join('');
    for (const secret of SECRET_TEXTS) expect(out).not.toContain(secret);
    // Still one JSON record per line.
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  };

  it('masks every secret of the loaded config, logged whole, nested deep, in a child logger, and as raw environment', () => {
    const { lines, log } = capture(secretsOf(config));
    log.info({ config }, 'Starting');
    log.info({ a: { b: { c: { d: { e: { config } } } } } }, 'deep');
    log.child({ settings: config }).info('child');
    log.info({ env: SECRET_ENV }, 'environment');
    log.info({ list: [[{ value: config.signals.hmacSecret }]], note: `signed with ${config.slack.signingSecret}` }, `metrics token is ${config.metrics.token}`);
    expect(lines).toHaveLength(5);
    expectNoSecret(lines);
    // What is not secret stays readable.
    expect(lines[0]).toContain('"dataDir":"./.data"');
  });

  it('masks a token Slack echoes in an error, in its message, its data or an HTTP failure', async () => {
    const slack = await echoingSlack();
    try {
      const { lines, log } = capture(secretsOf(config));
      const client = new WebClient(config.slack.botToken, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
      const platformError = await client.chat.postMessage({ channel: 'C1', text: 'hi' }).catch((e: unknown) => e);
      expect(JSON.stringify(platformError)).toContain(config.slack.botToken);
      log.error({ err: platformError }, 'Could not post');
      const httpError = await client.apiCall('conversations.create', { name: 'x' }).catch((e: unknown) => e);
      log.error({ err: httpError, cause: { wrapped: httpError } }, 'Could not create');
      log.error({ err: new Error(`Slack refused ${config.slack.appToken} for ${config.databaseUrl}`) }, 'socket');
      expectNoSecret(lines);
      expect(lines.join('')).toContain('invalid_auth');
    } finally {
      await slack.close();
    }
  });

  it('masks tokens by their shape even when the logger was not told them', () => {
    const { lines, log } = capture();
    log.info({ deep: { deeper: { deepest: { text: `x ${SECRET_ENV.SLACK_BOT_TOKEN} y ${SECRET_ENV.SLACK_APP_TOKEN}` } } } }, 'shapes');
    log.info({ a: { b: { c: { d: { appToken: 'not-a-known-value', password: 'short' } } } } }, 'keys');
    const out = lines.join('');
    expect(out).not.toContain(SECRET_ENV.SLACK_BOT_TOKEN);
    expect(out).not.toContain(SECRET_ENV.SLACK_APP_TOKEN);
    expect(out).not.toContain('not-a-known-value');
    expect(out).not.toContain('short');
  });
});

describe('Rejected signatures', () => {
  it('are logged at most once a minute, however many arrive', () => {
    const { lines, log } = capture();
    let now = 0;
    const bolt = createBoltLogger(log, () => now);
    for (let i = 0; i < 500; i += 1) bolt.warn('Failed to parse and verify the request data: Signature mismatch');
    now = 30_000;
    bolt.warn('Failed to parse and verify the request data: Stale timestamp');
    expect(lines).toHaveLength(1);
    now = 61_000;
    bolt.warn('Failed to parse and verify the request data: Signature mismatch');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1]).suppressedSinceLast).toBe(500);
    bolt.warn('Something else');
    expect(lines).toHaveLength(3);
  });
});
