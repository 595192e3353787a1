import { DB_DOWN_MESSAGE } from '../../src/slack/guard';
import { startTestHerald, waitFor, type TestHerald } from '../support/harness';
import { signature } from '../support/slackRequests';

describe('Requests from Slack', () => {
  let t: TestHerald;
  beforeAll(async () => {
    t = await startTestHerald();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers /incident with ephemeral help listing every subcommand', async () => {
    const res = await t.command('');
    expect(res.status).toBe(200);
    expect(res.json.response_type).toBe('ephemeral');
    for (const sub of ['declare', 'status', 'sev', 'role', 'update', 'note', 'timeline', 'resolve', 'review', 'followup', 'close', 'subscribe', 'unsubscribe', 'list', 'followups', 'stakeholders']) {
      expect(res.json.text).toContain(`/incident ${sub}`);
    }
    expect(JSON.stringify(res.json.blocks)).toContain('SEV1 every 15m');
    const help = await t.command('help');
    expect(help.json.text).toBe(res.json.text);
  });

  it('answers an unknown subcommand with the closest one and the help', async () => {
    const res = await t.command('delcare Checkout down');
    expect(res.json.text).toMatch(/^`delcare` is not a Herald subcommand\. Did you mean `\/incident declare \[title\]`\?/);
    expect(res.json.text).toContain('/incident list');
  });

  it('refuses an unsigned, forged or stale request with 401 and does nothing', async () => {
    const before = t.slack.calls.length;
    const forged = await t.command('declare Forged', { sign: { signature: 'v0=' + '0'.repeat(64) } });
    const wrongSecret = await t.command('declare Forged', { sign: { secret: 'not-the-secret' } });
    const stale = await t.command('declare Stale', { sign: { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 } });
    const unsigned = await fetch(t.eventsUrl, { method: 'POST', body: 'command=%2Fincident&text=declare', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([forged.status, wrongSecret.status, stale.status, unsigned.status]).toEqual([401, 401, 401, 401]);
    await new Promise((r) => setTimeout(r, 100));
    expect(t.slack.calls.length).toBe(before);
  });

  it('accepts a request signed within the 5-minute window', async () => {
    const res = await t.command('help', { sign: { timestamp: Math.floor(Date.now() / 1000) - 4 * 60 } });
    expect(res.status).toBe(200);
    expect(signature('s', 1, 'b')).toMatch(/^v0=[0-9a-f]{64}$/);
  });

  it('leaves a button or form it does not know unanswered, so Slack shows the person its own error, and does nothing', async () => {
    const before = t.slack.calls.length;
    const [click, submission] = await Promise.all([
      t.clickButton('not_a_herald_button', '1'),
      t.submitView({ id: 'VUNKNOWN', callback_id: 'not_a_herald_form', private_metadata: '', blocks: [] }, {}),
    ]);
    // Bolt's answer when no listener acknowledges within 3 seconds.
    expect([click.status, submission.status]).toEqual([404, 404]);
    expect(t.slack.calls.length).toBe(before);
  });

  it('reports healthy once serving and ready while the database answers', async () => {
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, database: 'up', outbox: { gaveUp: 0, byKind: {} } });
  });
});

describe.each([
  ['over HTTP', false],
  ['in Socket Mode', true],
])('When the database cannot be reached (%s)', (_transport, socketMode) => {
  let t: TestHerald;
  beforeAll(async () => {
    t = await startTestHerald({ socketMode });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('still answers every command within 3 seconds, says so plainly, reports not ready, and recovers by itself', async () => {
    await t.outage.cut();
    try {
      for (const text of ['list', 'declare Payments down', 'insights', 'insights 7d Payments']) {
        const res = await t.command(text);
        // Over HTTP Bolt answers on its own (without this text) when a listener has not acked after 3
        // seconds, and the Socket Mode stand-in counts a later ack as none: the message proves it was in time.
        expect(res.status).toBe(200);
        expect(res.json.text).toBe(DB_DOWN_MESSAGE);
      }
      expect(t.slack.callsTo('views.open')).toHaveLength(0);
      const help = await t.command('help');
      expect(help.json.text).toContain('/incident declare');
      expect((await fetch(`${t.baseUrl}/readyz`)).status).toBe(503);
      expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await t.outage.restore();
    }
    await waitFor(async () => (await fetch(`${t.baseUrl}/readyz`)).status === 200, 'readiness after recovery');
    const list = await t.command('list');
    expect(list.json.text).toBe('No open incidents.');
    await t.command('declare Payments down');
    await waitFor(() => t.slack.openedViews().length === 1, 'the declare modal after recovery');
  });

  it('gives up on a database that stops answering in time to tell the person', async () => {
    await t.outage.hang();
    try {
      for (const text of ['list', 'insights 90d']) {
        const res = await t.command(text);
        expect(res.status).toBe(200);
        expect(res.json.text).toBe(DB_DOWN_MESSAGE);
      }
      expect((await fetch(`${t.baseUrl}/readyz`)).status).toBe(503);
    } finally {
      await t.outage.restore();
    }
    await waitFor(async () => (await t.command('list')).json.text === 'No open incidents.', 'answers after the partition heals');
  });
});
