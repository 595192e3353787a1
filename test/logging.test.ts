import { Writable } from 'node:stream';
import { createLogger } from '../src/logger';
import { createBoltLogger } from '../src/slack/boltLogger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, log: createLogger('info', stream) };
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
