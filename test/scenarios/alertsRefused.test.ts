import { createHmac } from 'node:crypto';
import { startTestHerald, type TestHerald } from '../support/harness';
import { ALERTS_CHANNEL, ALERTS_ENV, fixture, postSignal, rowCounts, withAlertsChannel } from '../support/alerts';

const HMAC_SECRET = 'grafana-hmac-secret';

function signed(body: string, secret: string, at: number) {
  const ts = String(Math.floor(at / 1000));
  return { 'X-Grafana-Alerting-Timestamp': ts, 'X-Grafana-Alerting-Signature': createHmac('sha256', secret).update(`${ts}:${body}`).digest('hex') };
}

describe('Alert senders that get a refusal, and nothing stored', () => {
  let t: TestHerald;
  afterEach(async () => {
    await t.stop();
  });

  it('answers 404 on every alert endpoint while ALERTS_TOKEN is not set', async () => {
    t = await startTestHerald();
    for (const path of ['/alerts/alertmanager', '/alerts/grafana', '/alerts']) {
      expect((await postSignal(t, path, fixture('alertmanager-v4'))).status).toBe(404);
    }
    expect(await rowCounts(t)).toEqual({ groups: 0, alerts: 0 });
  });

  it('names the problem: a wrong token, bad JSON, a missing field, a body over 1 MiB, a bad or stale Grafana signature', async () => {
    t = await startTestHerald({ env: { ...ALERTS_ENV, ALERTS_HMAC_SECRET: HMAC_SECRET } });
    withAlertsChannel(t);
    const wrongToken = await postSignal(t, '/alerts/alertmanager', fixture('alertmanager-v4'), { authorization: 'Bearer not-the-token' });
    expect(wrongToken.status).toBe(401);
    expect((await postSignal(t, '/alerts', {}, { authorization: '' })).status).toBe(401);

    const malformed = await postSignal(t, '/alerts/alertmanager', '{"version": "4", "alerts": [');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ ok: false, error: 'invalid_payload', field: '(body)' });

    const noGroupKey = fixture('alertmanager-v4');
    delete noGroupKey.groupKey;
    expect((await postSignal(t, '/alerts/alertmanager', noGroupKey)).body).toMatchObject({ field: 'groupKey' });
    const noFingerprint = fixture('alertmanager-v4');
    delete noFingerprint.alerts[0].fingerprint;
    expect((await postSignal(t, '/alerts/alertmanager', noFingerprint)).body).toMatchObject({ field: 'alerts[0].fingerprint' });
    const generic = await postSignal(t, '/alerts', { title: 'Disk full', status: 'burning', dedup_key: 'disk' });
    expect(generic.status).toBe(400);
    expect(generic.body.field).toBe('status');

    const huge = fixture('alertmanager-v4');
    huge.commonAnnotations.description = 'x'.repeat(1024 * 1024);
    expect((await postSignal(t, '/alerts/alertmanager', huge)).status).toBe(413);

    const body = JSON.stringify(fixture('grafana'));
    expect((await postSignal(t, '/alerts/grafana', body)).status).toBe(401);
    expect((await postSignal(t, '/alerts/grafana', body, signed(body, 'another-secret', Date.now()))).status).toBe(401);
    const stale = await postSignal(t, '/alerts/grafana', body, signed(body, HMAC_SECRET, Date.now() - 6 * 60_000));
    expect(stale.status).toBe(401);
    expect(stale.body.message).toMatch(/older than 5 minutes/);

    await t.settle();
    expect(await rowCounts(t)).toEqual({ groups: 0, alerts: 0 });
    expect(t.slack.messagesIn(ALERTS_CHANNEL)).toHaveLength(0);

    // The same Grafana notification, signed as Grafana signs it, is taken.
    expect((await postSignal(t, '/alerts/grafana', body, signed(body, HMAC_SECRET, Date.now()))).status).toBe(200);
    expect(await rowCounts(t)).toEqual({ groups: 1, alerts: 2 });
  });

  it('answers 429 with Retry-After past ALERTS_RATE, and still serves Slack meanwhile', async () => {
    t = await startTestHerald({ env: { ...ALERTS_ENV, ALERTS_RATE: '2/min' } });
    withAlertsChannel(t);
    const alert = (n: number) => ({ title: `Queue ${n} backed up`, status: 'firing', dedup_key: `queue-${n}` });
    expect((await postSignal(t, '/alerts', alert(1))).status).toBe(200);
    expect((await postSignal(t, '/alerts', alert(2))).status).toBe(200);
    const limited = await postSignal(t, '/alerts', alert(3));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await rowCounts(t)).toEqual({ groups: 2, alerts: 2 });
    expect((await t.command('help')).status).toBe(200);
  });
});
