import { WebSocket } from 'ws';
import { CARD_ACTIONS, DECLARE_BLOCKS as B } from '../../src/slack/ids';
import { SOCKET_CONNECTIONS } from '../../src/slack/socketMode';
import { ANNOUNCE_CHANNEL, startTestHerald, waitFor, type TestHerald } from '../support/harness';
import { openDeclareModal } from '../support/journeys';
import { runningIncident } from '../support/running';
import { startSlackStub, type SlackStub } from '../support/slackStub';

/**
 * With SLACK_APP_TOKEN set, Slack sends every command, click, submission and event as an envelope on
 * Herald's WebSocket and waits 3 seconds for its acknowledgement; nothing arrives over HTTP.
 */
describe('Socket Mode', () => {
  let t: TestHerald;
  beforeEach(async () => {
    t = await startTestHerald({ socketMode: true, env: { REVIEW_DUE: 'SEV1=off,SEV2=off,SEV3=off,SEV4=off' } });
  });
  afterEach(async () => {
    await t.stop();
  });

  it('connects with the app-level token, needs no signing secret, and serves /healthz and /readyz on PORT', async () => {
    expect(t.config.slack.signingSecret).toBeUndefined();
    expect(t.slack.okCallsTo('apps.connections.open')).toHaveLength(SOCKET_CONNECTIONS);
    expect(t.slack.socketMode.connections).toBe(SOCKET_CONNECTIONS);
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, database: 'up', outbox: { gaveUp: 0, byKind: {} } });
    // Slack does not post to Herald in Socket Mode, so nothing answers there.
    expect((await fetch(t.eventsUrl, { method: 'POST', body: 'command=%2Fincident' })).status).toBe(404);
  });

  it('answers /incident help in the acknowledgement', async () => {
    const res = await t.command('help');
    expect(res.status).toBe(200);
    expect(res.json.response_type).toBe('ephemeral');
    expect(res.json.text).toContain('/incident declare');
  });

  it('declares an incident end to end: channel, people, pinned card, announcement and a word to the declarer', async () => {
    const incident = await runningIncident(t, 'Checkout is down', { [B.commander]: 'U2' });
    const channel = t.slack.channels.get(incident.channel)!;
    expect(channel.name).toBe('inc-1-checkout-is-down');
    expect([...channel.members]).toEqual(expect.arrayContaining(['U1', 'U2']));
    expect(channel.pins).toEqual([incident.cardTs]);
    expect(JSON.stringify(t.slack.messagesIn(ANNOUNCE_CHANNEL).map((m) => m.blocks))).toContain(`<#${incident.channel}>`);
    expect(t.slack.messages.some((m) => m.channel.startsWith('D') && JSON.stringify(m).includes(`<#${incident.channel}>`))).toBe(true);
    expect(t.slack.socketMode.unacknowledged).toEqual([]);
  });

  it('answers bad input in the modal with field errors in the acknowledgement and stores nothing', async () => {
    const { view } = await openDeclareModal(t, 'Broken');
    const res = await t.submitView(view, { [B.severity]: 'SEV3', [B.title]: 'ab' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_action: 'errors', errors: { [B.title]: expect.stringMatching(/at least 3/) } });
    await t.settle();
    expect(await t.db.selectFrom('incidents').select('id').execute()).toEqual([]);
    expect(t.slack.callsTo('conversations.create')).toHaveLength(0);
  });

  it('handles a button click and a 📌 reaction event from the socket', async () => {
    const incident = await runningIncident(t);
    t.slack.channels.get(incident.channel)!.members.add('U2');
    const opened = t.slack.openedViews().length;
    const click = await t.clickButton(CARD_ACTIONS.status, String(incident.id), { channel: incident.channel, messageTs: incident.cardTs });
    expect(click.status).toBe(200);
    await waitFor(() => t.slack.openedViews().length > opened, 'the status modal');

    const message = t.slack.addMessage({ channel: incident.channel, user: 'U2', text: 'Rollback done' });
    const event = await t.event({ type: 'reaction_added', user: 'U2', reaction: 'pushpin', item_user: 'U2', item: { type: 'message', channel: incident.channel, ts: message.ts } });
    expect(event.status).toBe(200);
    await waitFor(async () => {
      await t.settle();
      return t.db.selectFrom('timeline_events').select('text').where('kind', '=', 'pinned').executeTakeFirst();
    }, 'the pinned message on the timeline');
  });

  it('keeps answering while Slack refreshes a connection, and reconnects it', async () => {
    t.slack.socketMode.refresh(1);
    // The refreshed connection takes seconds to come back; the other one carries the requests.
    for (const text of ['help', 'list', 'help']) expect((await t.command(text)).status).toBe(200);
    await waitFor(() => t.slack.okCallsTo('apps.connections.open').length === SOCKET_CONNECTIONS + 1 && t.slack.socketMode.connections === SOCKET_CONNECTIONS, 'the connection to come back', 15_000);
  });

  it('reconnects when Slack refreshes every connection at once, and answers again', async () => {
    t.slack.socketMode.refresh();
    await waitFor(() => t.slack.okCallsTo('apps.connections.open').length === 2 * SOCKET_CONNECTIONS && t.slack.socketMode.connections === SOCKET_CONNECTIONS, 'new connections', 15_000);
    const res = await t.command('help');
    expect(res.status).toBe(200);
    expect(res.json.text).toContain('/incident list');
  });

  it('stops cleanly while Slack is refreshing a connection', async () => {
    // Slack asks one connection to reconnect; the new one is open but has not had its hello yet.
    t.slack.socketMode.withholdHellos();
    t.slack.socketMode.refresh(1);
    await waitFor(() => t.slack.socketMode.opened === SOCKET_CONNECTIONS + 1 && t.slack.socketMode.connections === SOCKET_CONNECTIONS, 'the reconnecting connection', 15_000);
    // An unhandled rejection here ends the Node process: a SIGTERM mid-refresh would crash Herald.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await t.herald.stop();
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(t.slack.socketMode.connections).toBe(0);
  }, 20_000);

  it('closes its connections and its health port when stopped', async () => {
    await t.herald.stop();
    await waitFor(() => t.slack.socketMode.connections === 0, 'the socket to close');
    await expect(fetch(`${t.baseUrl}/healthz`)).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 300));
    expect(t.slack.okCallsTo('apps.connections.open')).toHaveLength(SOCKET_CONNECTIONS);
  });
});

describe('Starting in Socket Mode', () => {
  it('stops with a message naming SLACK_APP_TOKEN when Slack refuses the token', async () => {
    const slack = await startSlackStub();
    try {
      await expect(startTestHerald({ slack, socketMode: true, env: { SLACK_APP_TOKEN: 'xapp-1-A0HERALD-1-revoked' } })).rejects.toThrow(
        /^SLACK_APP_TOKEN was refused by Slack \(invalid_auth\)/,
      );
      expect(slack.socketMode.connections).toBe(0);
      // Start-up gave up only once every connection had its answer, so none is left retrying behind it.
      expect(slack.callsTo('apps.connections.open').map((c) => c.error)).toEqual(Array(SOCKET_CONNECTIONS).fill('invalid_auth'));
    } finally {
      await slack.close();
    }
  });
});

describe('The Socket Mode stand-in refuses what Slack refuses', () => {
  let slack: SlackStub;
  beforeAll(async () => {
    slack = await startSlackStub();
  });
  afterAll(async () => {
    await slack.close();
  });

  const call = async (method: string, token: string): Promise<any> =>
    (await fetch(`${slack.apiUrl}${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).json();

  it('opens connections only with the app-level token, and takes that token for nothing else', async () => {
    expect(await call('apps.connections.open', slack.token)).toMatchObject({ ok: false, error: 'not_allowed_token_type' });
    expect(await call('auth.test', slack.appToken)).toMatchObject({ ok: false, error: 'not_allowed_token_type' });
    expect(await call('apps.connections.open', 'xapp-1-someone-else')).toMatchObject({ ok: false, error: 'invalid_auth' });
    expect(await call('apps.connections.open', slack.appToken)).toMatchObject({ ok: true, url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/) });
  });

  it('lets each WebSocket URL be used once', async () => {
    const { url } = await call('apps.connections.open', slack.appToken);
    const first = await connect(url);
    expect(first.hello.type).toBe('hello');
    await expect(connect(url)).rejects.toThrow();
    first.socket.close();
  });

  it('treats an envelope not acknowledged within 3 seconds as failed', async () => {
    const { url } = await call('apps.connections.open', slack.appToken);
    const { socket } = await connect(url);
    const answer = await slack.socketMode.deliver('slash_commands', { command: '/incident', text: 'help' });
    expect(answer.status).toBe(0);
    expect(slack.socketMode.unacknowledged).toHaveLength(1);
    socket.close();
  });

  it('refuses an acknowledgement whose payload Slack would not show', async () => {
    const { url } = await call('apps.connections.open', slack.appToken);
    const { socket } = await connect(url, (envelope) => ({ envelope_id: envelope.envelope_id, payload: { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] } }));
    const answer = await slack.socketMode.deliver('slash_commands', { command: '/incident', text: 'help' });
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/less than 151 characters \[json-pointer:\/blocks\/0\/text\/text\]/);
    socket.close();
  });
});

/** A bare WebSocket client: resolves with Slack's hello; `answer` acknowledges each envelope. */
async function connect(url: string, answer?: (envelope: any) => object): Promise<{ socket: WebSocket; hello: any }> {
  const socket = new WebSocket(url);
  return new Promise((resolve, reject) => {
    socket.on('error', () => reject(new Error('WebSocket refused')));
    socket.on('message', (raw) => {
      const data = JSON.parse(String(raw));
      if (data.type === 'hello') resolve({ socket, hello: data });
      else if (answer && data.envelope_id) socket.send(JSON.stringify(answer(data)));
    });
  });
}
