import {
  ErrorCode,
  type Logger,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import { type SlackStub, startSlackStub } from './slackStub';

/** The client warns about missing fallback text and logs Slack's [ERROR] messages; keep test output quiet. */
const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

let stub: SlackStub;
let slack: WebClient;

function clientFor(token: string | undefined, extra: { timeout?: number } = {}): WebClient {
  return new WebClient(token, {
    slackApiUrl: stub.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: silent,
    ...extra,
  });
}

beforeEach(async () => {
  stub = await startSlackStub();
  slack = clientFor(stub.token);
});

afterEach(async () => {
  await stub.close();
});

/** The Slack error code (and response_metadata.messages) a call was refused with. */
async function refusal(call: Promise<unknown>): Promise<{ error: string; messages: string[]; needed?: string }> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WebAPIPlatformError)) throw new Error(`expected a platform error, got ${String(err)}`);
  const { needed } = err.data as { needed?: string };
  return { error: err.data.error, messages: (err.data.response_metadata?.messages as string[] | undefined) ?? [], ...(needed ? { needed } : {}) };
}

const section = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'section', text: { type: 'mrkdwn', text }, ...extra });

const modal = (title = 'Declare incident', extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: title },
  submit: { type: 'plain_text' as const, text: 'Declare' },
  blocks: [
    {
      type: 'input',
      block_id: 'title',
      label: { type: 'plain_text', text: 'Title' },
      element: { type: 'plain_text_input', action_id: 'value', max_length: 150 },
    },
  ],
  ...extra,
});

describe('happy path through a real WebClient', () => {
  it('creates an incident channel, invites, posts, edits, pins and bookmarks', async () => {
    const auth = await slack.auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0001' });

    const created = await slack.conversations.create({ name: 'inc-42-db-latency', is_private: true });
    const channel = created.channel!.id!;
    expect(created.channel).toMatchObject({ name: 'inc-42-db-latency', is_private: true, is_member: true });

    await slack.conversations.invite({ channel, users: 'U1,U2' });
    await slack.conversations.setTopic({ channel, topic: 'SEV2: database latency' });
    await slack.conversations.setPurpose({ channel, purpose: 'Incident 42' });

    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'Incident 42' } },
      section('*Severity:* SEV2', {
        block_id: 'summary',
        accessory: { type: 'button', action_id: 'ack', text: { type: 'plain_text', text: 'Acknowledge' }, style: 'primary', value: '42' },
      }),
      {
        type: 'actions',
        elements: [
          {
            type: 'static_select',
            action_id: 'sev',
            placeholder: { type: 'plain_text', text: 'Severity' },
            options: [1, 2, 3].map((n) => ({ text: { type: 'plain_text', text: `SEV${n}` }, value: String(n) })),
            initial_option: { text: { type: 'plain_text', text: 'SEV2' }, value: '2' },
          },
          { type: 'users_select', action_id: 'lead', placeholder: { type: 'plain_text', text: 'Lead' } },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Declared by <@U1>' }] },
      { type: 'divider' },
    ];
    const posted = await slack.chat.postMessage({ channel, text: 'Incident 42 declared', blocks });
    expect(posted.channel).toBe(channel);
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);

    const reply = await slack.chat.postMessage({ channel, text: 'first update', thread_ts: posted.ts! });
    expect(reply.message?.thread_ts).toBe(posted.ts);
    expect(Number(reply.ts)).toBeGreaterThan(Number(posted.ts));

    await slack.chat.update({ channel, ts: posted.ts!, text: 'Incident 42 resolved' });
    await slack.pins.add({ channel, timestamp: posted.ts! });
    await slack.bookmarks.add({ channel_id: channel, title: 'Runbook', type: 'link', link: 'https://runbooks.example/db' });
    const link = await slack.chat.getPermalink({ channel, message_ts: posted.ts! });
    expect(link.permalink).toBe(`https://stub.slack.com/archives/${channel}/p${posted.ts!.replace('.', '')}`);

    const info = await slack.conversations.info({ channel });
    expect(info.channel).toMatchObject({ name: 'inc-42-db-latency', topic: { value: 'SEV2: database latency' }, purpose: { value: 'Incident 42' } });
    const members = await slack.conversations.members({ channel });
    expect(members.members).toEqual(['UBOT', 'U1', 'U2']);

    const ch = stub.channelByName('inc-42-db-latency')!;
    expect(ch).toMatchObject({ id: channel, creator: 'UBOT', pins: [posted.ts], bookmarks: [{ title: 'Runbook', link: 'https://runbooks.example/db' }] });
    const [root, threadReply] = stub.messagesIn(channel);
    expect(root).toMatchObject({ text: 'Incident 42 resolved', blocks, edited: true, history: [{ text: 'Incident 42 declared', blocks }] });
    expect(threadReply).toMatchObject({ thread_ts: posted.ts, user: 'UBOT' });

    // The recorded arguments have the form-encoded JSON decoded and the token removed.
    const call = stub.okCallsTo('chat.postMessage')[0]!;
    expect(call.args.blocks).toEqual(blocks);
    expect(call.args.token).toBeUndefined();
    expect(stub.calls.map((c) => c.method)).toEqual([
      'auth.test', 'conversations.create', 'conversations.invite', 'conversations.setTopic', 'conversations.setPurpose',
      'chat.postMessage', 'chat.postMessage', 'chat.update', 'pins.add', 'bookmarks.add', 'chat.getPermalink',
      'conversations.info', 'conversations.members',
    ]);
    expect(stub.calls.every((c) => c.ok && c.status === 200)).toBe(true);

    // A reply's link names its thread; a message that is not there has none.
    const replyLink = await slack.chat.getPermalink({ channel, message_ts: reply.ts! });
    expect(replyLink.permalink).toBe(`https://stub.slack.com/archives/${channel}/p${reply.ts!.replace('.', '')}?thread_ts=${posted.ts}&cid=${channel}`);
    expect((await refusal(slack.chat.getPermalink({ channel, message_ts: '1000000000.000100' }))).error).toBe('message_not_found');
  });

  it('accepts JSON bodies with a Bearer token, like Bolt\'s say() over fetch would send', async () => {
    const c = stub.addChannel({ name: 'announce', members: ['UBOT', 'U1'] });
    const res = await fetch(`${stub.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${stub.token}` },
      body: JSON.stringify({ channel: c.id, blocks: [section('hello')] }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: c.id });
    expect(stub.messagesIn(c.id)[0]!.blocks).toEqual([section('hello')]);
  });

  it('opens one stable DM per user, also when posting to a user id', async () => {
    const posted = await slack.chat.postMessage({ channel: 'U3', text: 'you are on call' });
    expect(posted.channel).toMatch(/^D/);
    const opened = await slack.conversations.open({ users: 'U3' });
    expect(opened.channel?.id).toBe(posted.channel);
    expect(stub.messagesIn(posted.channel!)[0]!.text).toBe('you are on call');
    expect((await refusal(slack.chat.postMessage({ channel: 'U404', text: 'x' }))).error).toBe('channel_not_found');
  });

  it('looks users up with their time zone', async () => {
    stub.addUser({ id: 'U9', name: 'zoe', tz: 'Australia/Sydney', tz_offset: 36000 });
    const res = await slack.users.info({ user: 'U9' });
    expect(res.user).toMatchObject({ id: 'U9', name: 'zoe', tz: 'Australia/Sydney', tz_offset: 36000, is_bot: false });
    expect((await refusal(slack.users.info({ user: 'U404' }))).error).toBe('user_not_found');
  });

  it('lists channels with cursor pagination, private ones only where the bot is a member', async () => {
    for (let i = 0; i < 5; i += 1) stub.addChannel({ name: `pub-${i}` });
    stub.addChannel({ name: 'secret', is_private: true, members: ['U1'] });
    await slack.conversations.create({ name: 'mine', is_private: true });
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await slack.conversations.list({ types: 'public_channel,private_channel', limit: 2, ...(cursor ? { cursor } : {}) });
      names.push(...page.channels!.map((c) => c.name!));
      cursor = page.response_metadata?.next_cursor || undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(names).toEqual(['pub-0', 'pub-1', 'pub-2', 'pub-3', 'pub-4', 'mine']);
  });

  it('refuses a page of 1000 or more, as Slack’s reference says limit must be under 1000', async () => {
    const channel = (await slack.conversations.create({ name: 'paged' })).channel!.id!;
    expect((await refusal(slack.conversations.list({ limit: 1000 }))).error).toBe('invalid_limit');
    expect((await refusal(slack.conversations.members({ channel, limit: 1000 }))).error).toBe('invalid_limit');
    expect((await slack.conversations.members({ channel, limit: 999 })).members).toEqual([stub.botUserId]);
  });
});

describe('authentication and unknown methods', () => {
  it('refuses a missing or wrong token', async () => {
    expect((await refusal(clientFor(undefined).auth.test())).error).toBe('not_authed');
    expect((await refusal(clientFor('xoxb-other').auth.test())).error).toBe('invalid_auth');
  });

  it('refuses methods it does not know', async () => {
    expect((await refusal(slack.apiCall('reactions.explode', { channel: 'C1' }))).error).toBe('unknown_method');
    expect(stub.callsTo('reactions.explode')).toMatchObject([{ ok: false, error: 'unknown_method', status: 200 }]);
  });
});

describe('scopes', () => {
  it('refuses a call the token has no scope for, naming the one needed, by the kind of conversation', async () => {
    await stub.close();
    stub = await startSlackStub({ scopes: ['chat:write', 'channels:manage', 'channels:read'] });
    slack = clientFor(stub.token);
    const outside = stub.addChannel({ name: 'general', members: ['U1'] });
    const inside = stub.addChannel({ name: 'ops', is_private: true, members: [stub.botUserId, 'U1'] });
    expect((await slack.conversations.create({ name: 'inc-1' })).ok).toBe(true);
    expect(await refusal(slack.conversations.create({ name: 'inc-2', is_private: true }))).toMatchObject({ error: 'missing_scope', needed: 'groups:write' });
    expect((await slack.conversations.info({ channel: outside.id })).ok).toBe(true);
    expect(await refusal(slack.conversations.info({ channel: inside.id }))).toMatchObject({ error: 'missing_scope', needed: 'groups:read' });
    expect(await refusal(slack.conversations.list({ types: 'public_channel,private_channel' }))).toMatchObject({ error: 'missing_scope', needed: 'groups:read' });
    expect(await refusal(slack.pins.add({ channel: inside.id, timestamp: '1.0' }))).toMatchObject({ error: 'missing_scope', needed: 'pins:write' });
    // Without chat:write.public, a public channel takes posts only from members.
    expect((await refusal(slack.chat.postMessage({ channel: outside.id, text: 'hi' }))).error).toBe('not_in_channel');
  });

  it('says in every answer which scopes the token holds (x-oauth-scopes), refusals included, as Slack does', async () => {
    await stub.close();
    stub = await startSlackStub({ scopes: ['chat:write', 'channels:read'] });
    const res = await fetch(`${stub.apiUrl}auth.test`, { method: 'POST', headers: { Authorization: `Bearer ${stub.token}` } });
    expect(res.headers.get('x-oauth-scopes')).toBe('chat:write,channels:read');
    const refused = await fetch(`${stub.apiUrl}pins.add`, { method: 'POST', headers: { Authorization: `Bearer ${stub.token}` } });
    expect(((await refused.json()) as any).error).toBe('missing_scope');
    expect(refused.headers.get('x-oauth-scopes')).toBe('chat:write,channels:read');
    // node-slack-sdk hands the header over as response_metadata.scopes.
    expect((await clientFor(stub.token).auth.test()).response_metadata?.scopes).toEqual(['chat:write', 'channels:read']);
    // A token Slack does not know gets no scopes.
    const unknown = await fetch(`${stub.apiUrl}auth.test`, { method: 'POST', headers: { Authorization: 'Bearer xoxb-nope' } });
    expect(unknown.headers.get('x-oauth-scopes')).toBeNull();
  });
});

describe('channels', () => {
  it('refuses taken and invalid names', async () => {
    stub.addChannel({ name: 'incidents' });
    expect((await refusal(slack.conversations.create({ name: 'incidents' }))).error).toBe('name_taken');
    expect((await refusal(slack.conversations.create({ name: 'Inc 42' }))).error).toBe('invalid_name_specials');
    expect((await refusal(slack.conversations.create({ name: 'inc.42' }))).error).toBe('invalid_name_specials');
    expect((await refusal(slack.conversations.create({ name: 'a'.repeat(81) }))).error).toBe('invalid_name_maxlength');
    expect((await refusal(slack.conversations.create({ name: '' }))).error).toBe('invalid_name_required');
    await expect(slack.conversations.create({ name: 'a'.repeat(80) })).resolves.toMatchObject({ ok: true });
  });

  it('requires the bot to be in the channel', async () => {
    const outside = stub.addChannel({ name: 'general', members: ['U1', 'U2'] });
    const secret = stub.addChannel({ name: 'secret', is_private: true, members: ['U1'] });
    // The manifest grants chat:write.public: posting in a public channel needs no membership.
    expect((await slack.chat.postMessage({ channel: outside.id, text: 'hi' })).ok).toBe(true);
    expect((await refusal(slack.conversations.invite({ channel: outside.id, users: 'U3' }))).error).toBe('not_in_channel');
    expect((await refusal(slack.conversations.setTopic({ channel: outside.id, topic: 't' }))).error).toBe('not_in_channel');
    expect((await refusal(slack.chat.postMessage({ channel: secret.id, text: 'hi' }))).error).toBe('channel_not_found');
    expect((await refusal(slack.conversations.info({ channel: 'C404' }))).error).toBe('channel_not_found');
  });

  it('applies conversations.invite rules', async () => {
    const { channel } = await slack.conversations.create({ name: 'inc-7' });
    const id = channel!.id!;
    const many = Array.from({ length: 101 }, (_, i) => `U${i + 100}`).join(',');
    expect((await refusal(slack.conversations.invite({ channel: id, users: many }))).error).toBe('too_many_users');
    expect((await refusal(slack.conversations.invite({ channel: id, users: 'U1,U404' }))).error).toBe('user_not_found');
    expect(stub.channels.get(id)!.members.has('U1')).toBe(false); // one bad id fails the whole call
    expect((await refusal(slack.conversations.invite({ channel: id, users: 'UBOT' }))).error).toBe('cant_invite_self');

    const forced = await slack.conversations.invite({ channel: id, users: 'U1,U404', force: true });
    expect(forced).toMatchObject({ ok: true, errors: [{ user: 'U404', ok: false, error: 'user_not_found' }] });
    expect([...stub.channels.get(id)!.members]).toEqual(['UBOT', 'U1']);
    expect((await refusal(slack.conversations.invite({ channel: id, users: 'U1' }))).error).toBe('already_in_channel');
  });

  it('limits topic and purpose to 250 characters', async () => {
    const { channel } = await slack.conversations.create({ name: 'inc-8' });
    const id = channel!.id!;
    expect((await refusal(slack.conversations.setTopic({ channel: id, topic: 'x'.repeat(251) }))).error).toBe('too_long');
    expect((await refusal(slack.conversations.setPurpose({ channel: id, purpose: 'x'.repeat(251) }))).error).toBe('too_long');
    await slack.conversations.setTopic({ channel: id, topic: 'x'.repeat(250) });
  });
});

describe('messages', () => {
  let channel: string;
  beforeEach(async () => {
    channel = stub.addChannel({ name: 'incidents', members: ['UBOT', 'U1'] }).id;
  });

  it('refuses empty, over-long and unthreadable messages', async () => {
    expect((await refusal(slack.apiCall('chat.postMessage', { channel }))).error).toBe('no_text');
    expect((await refusal(slack.chat.postMessage({ channel, text: 'x'.repeat(40001) }))).error).toBe('msg_too_long');
    expect((await refusal(slack.chat.postMessage({ channel, text: 'x', thread_ts: '1.000001' }))).error).toBe('thread_not_found');
    const { ts } = await slack.chat.postMessage({ channel, text: 'x' });
    expect((await refusal(slack.chat.update({ channel, ts: ts!, text: 'y'.repeat(4001) }))).error).toBe('msg_too_long');
    expect((await refusal(slack.chat.update({ channel, ts: '1.000001', text: 'y' }))).error).toBe('message_not_found');
    expect((await refusal(slack.pins.add({ channel, timestamp: '1.000001' }))).error).toBe('message_not_found');
    await slack.pins.add({ channel, timestamp: ts! });
    expect((await refusal(slack.pins.add({ channel, timestamp: ts! }))).error).toBe('already_pinned');
  });

  it('only lets the bot edit its own messages', async () => {
    const human = stub.addMessage({ channel, user: 'U1', text: 'I see errors' });
    expect((await refusal(slack.chat.update({ channel, ts: human.ts, text: 'edited' }))).error).toBe('cant_update_message');
    await slack.chat.postMessage({ channel, text: 'thanks', thread_ts: human.ts });
  });

  it('refuses more than 50 blocks, pointing at the problem like Slack', async () => {
    const blocks = Array.from({ length: 51 }, (_, i) => section(`line ${i}`));
    const tooMany = await refusal(slack.chat.postMessage({ channel, text: 'x', blocks }));
    expect(tooMany.error).toBe('invalid_blocks');
    expect(tooMany.messages).toEqual(['[ERROR] no more than 50 items allowed [json-pointer:/blocks]']);
    await expect(slack.chat.postMessage({ channel, text: 'x', blocks: blocks.slice(0, 50) })).resolves.toMatchObject({ ok: true });
    expect(stub.calls.at(-2)).toMatchObject({ method: 'chat.postMessage', ok: false, error: 'invalid_blocks' });
  });

  it('enforces Block Kit field limits', async () => {
    const cases: Array<[unknown[], string]> = [
      [[section('ok'), section('x'.repeat(3001))], '/blocks/1/text/text'],
      [[section('')], '/blocks/0/text/text'],
      [[{ type: 'header', text: { type: 'mrkdwn', text: 'Incident' } }], '/blocks/0/text/type'],
      [[{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }], '/blocks/0/text/text'],
      [[{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }], '/blocks/0/fields'],
      [[{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b'.repeat(76) } }] }], '/blocks/0/elements/0/text/text'],
      [[{ type: 'actions', elements: [] }], '/blocks/0/elements'],
      [[{ type: 'actions', elements: [1, 2].map(() => ({ type: 'button', action_id: 'same', text: { type: 'plain_text', text: 'b' } })) }], '/blocks/0/elements/1/action_id'],
      [[section('a', { block_id: 'x' }), section('b', { block_id: 'x' })], '/blocks/1/block_id'],
      [[{ type: 'sectoin', text: { type: 'mrkdwn', text: 'typo' } }], '/blocks/0/type'],
      [[{ type: 'image', imageUrl: 'https://x/y.png', alt_text: 'y' }], '/blocks/0'],
      [[{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }], '/blocks/0/elements'],
    ];
    for (const [blocks, pointer] of cases) {
      const r = await refusal(slack.apiCall('chat.postMessage', { channel, text: 'x', blocks }));
      expect(r.error).toBe('invalid_blocks');
      expect(r.messages.some((m) => m.startsWith('[ERROR] ') && m.endsWith(`[json-pointer:${pointer}]`))).toBe(true);
    }
    expect(stub.messages).toHaveLength(0);
    expect((await refusal(slack.apiCall('chat.postMessage', { channel, blocks: '{not json' }))).error).toBe('invalid_blocks_format');
  });

  it('reads history newest first and threads parent first, with metadata only when asked', async () => {
    const first = stub.addMessage({ channel, user: 'U1', text: 'first' });
    const marked = await slack.chat.postMessage({ channel, text: 'marked', metadata: { event_type: 'herald_post', event_payload: { marker: '7:note' } } });
    const reply = stub.addMessage({ channel, user: 'U1', text: 'in thread', thread_ts: first.ts });
    const history = await slack.conversations.history({ channel });
    expect(history.messages!.map((m) => m.text)).toEqual(['marked', 'first']);
    expect(history.messages![0].metadata).toBeUndefined();
    const withMetadata = await slack.conversations.history({ channel, include_all_metadata: true });
    expect(withMetadata.messages![0].metadata).toEqual({ event_type: 'herald_post', event_payload: { marker: '7:note' } });
    const exact = await slack.conversations.history({ channel, latest: first.ts, oldest: first.ts, inclusive: true, limit: 1 });
    expect(exact.messages!.map((m) => m.ts)).toEqual([first.ts]);
    const byReply = await slack.conversations.replies({ channel, ts: reply.ts });
    expect(byReply.messages!.map((m) => m.text)).toEqual(['first', 'in thread']);
    expect(byReply.messages![1]).toMatchObject({ user: 'U1', thread_ts: first.ts });
    expect(marked.message!.user).toBe('UBOT');
    expect((await refusal(slack.conversations.replies({ channel, ts: '1.000001' }))).error).toBe('thread_not_found');
    expect((await refusal(slack.apiCall('chat.postMessage', { channel, text: 'x', metadata: { event_payload: {} } }))).error).toBe('invalid_metadata_schema');
    const outside = stub.addChannel({ name: 'elsewhere', members: ['U1'] }).id;
    expect((await refusal(slack.conversations.history({ channel: outside }))).error).toBe('not_in_channel');
  });

  it('reads a DM by its own id, with metadata, but not by the person\'s id a post may use', async () => {
    const marked = { event_type: 'herald_post', event_payload: { marker: '9:update_delivery' } };
    const posted = await slack.chat.postMessage({ channel: 'U3', text: 'an update', metadata: marked });
    const dm = (await slack.conversations.open({ users: 'U3' })).channel!.id!;
    const history = await slack.conversations.history({ channel: dm, include_all_metadata: true, oldest: String(Number(posted.ts) - 1) });
    expect(history.messages!.map((m) => [m.ts, m.metadata])).toEqual([[posted.ts, marked]]);
    expect((await slack.conversations.replies({ channel: dm, ts: posted.ts! })).messages!.map((m) => m.text)).toEqual(['an update']);
    expect((await refusal(slack.conversations.history({ channel: 'U3' }))).error).toBe('channel_not_found');
  });

  it('delivers ephemerals only to channel members', async () => {
    const res = await slack.chat.postEphemeral({ channel, user: 'U1', text: 'only you' });
    expect(res.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(stub.ephemerals).toMatchObject([{ channel, user: 'U1', text: 'only you' }]);
    expect((await refusal(slack.chat.postEphemeral({ channel, user: 'U2', text: 'x' }))).error).toBe('user_not_in_channel');
  });
});

describe('modals', () => {
  it('opens, updates (with hash) and pushes views', async () => {
    const opened = await slack.views.open({ trigger_id: stub.issueTrigger({ user: 'U2' }), view: modal() });
    const view = opened.view!;
    expect(view).toMatchObject({ type: 'modal', title: { text: 'Declare incident' } });
    expect(stub.openedViews()).toEqual([modal()]);
    expect(stub.views.get(view.id!)).toMatchObject({ user: 'U2', stack: [view.id] });

    const updated = await slack.views.update({ view_id: view.id!, hash: view.hash!, view: modal('Declared') });
    expect(updated.view!.hash).not.toBe(view.hash);
    expect((await refusal(slack.views.update({ view_id: view.id!, hash: view.hash!, view: modal() }))).error).toBe('hash_conflict');
    expect((await refusal(slack.views.update({ view_id: 'V404', view: modal() }))).error).toBe('not_found');

    const confirm = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Sure?' }, blocks: [section('Really?')] };
    await slack.views.push({ trigger_id: stub.issueTrigger({ user: 'U2' }), view: confirm });
    await slack.views.push({ trigger_id: stub.issueTrigger({ user: 'U2' }), view: confirm });
    expect(stub.views.get(view.id!)!.stack).toHaveLength(3);
    expect((await refusal(slack.views.push({ trigger_id: stub.issueTrigger({ user: 'U2' }), view: confirm }))).error).toBe('push_limit_reached');
  });

  it('refuses a title over 24 characters and a modal with inputs but no submit', async () => {
    const long = await refusal(slack.views.open({ trigger_id: stub.issueTrigger(), view: modal('Declare a brand new incident') }));
    expect(long.error).toBe('invalid_arguments');
    expect(long.messages).toEqual(['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]']);
    const { submit: _submit, ...noSubmit } = modal();
    expect((await refusal(slack.views.open({ trigger_id: stub.issueTrigger(), view: noSubmit }))).error).toBe('invalid_arguments');
    const tooMany = { ...modal(), blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) };
    expect((await refusal(slack.views.open({ trigger_id: stub.issueTrigger(), view: tooMany as never }))).error).toBe('invalid_arguments');
    expect(stub.openedViews()).toEqual([]);
  });

  it('treats trigger_ids as single-use and short-lived', async () => {
    const trigger = stub.issueTrigger();
    await slack.views.open({ trigger_id: trigger, view: modal() });
    expect((await refusal(slack.views.open({ trigger_id: trigger, view: modal() }))).error).toBe('exchanged_trigger_id');

    const stale = stub.issueTrigger({ ttlMs: 20 });
    await new Promise((r) => setTimeout(r, 40));
    expect((await refusal(slack.views.open({ trigger_id: stale, view: modal() }))).error).toBe('expired_trigger_id');
    expect((await refusal(slack.views.open({ trigger_id: '123.456.abc', view: modal() }))).error).toBe('invalid_trigger_id');
  });

  it('publishes home tabs of up to 100 blocks', async () => {
    const home = { type: 'home' as const, blocks: Array.from({ length: 100 }, () => ({ type: 'divider' })) };
    const first = await slack.views.publish({ user_id: 'U1', view: home });
    const second = await slack.views.publish({ user_id: 'U1', view: home, hash: first.view!.hash! });
    expect(second.view!.id).toBe(first.view!.id);
    const tooBig = { ...home, blocks: [...home.blocks, { type: 'divider' }] };
    expect((await refusal(slack.views.publish({ user_id: 'U1', view: tooBig }))).error).toBe('invalid_arguments');
  });
});

describe('rate limits and injected failures', () => {
  it('answers 429 with Retry-After per channel once the burst is spent', async () => {
    stub.setPostRateLimit({ perChannelPerSecond: 1, burst: 2 });
    const a = stub.addChannel({ name: 'a', members: ['UBOT'] }).id;
    const b = stub.addChannel({ name: 'b', members: ['UBOT'] }).id;
    await slack.chat.postMessage({ channel: a, text: '1' });
    await slack.chat.postMessage({ channel: a, text: '2' });
    const err = await slack.chat.postMessage({ channel: a, text: '3' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebAPIRateLimitedError);
    expect((err as WebAPIRateLimitedError).code).toBe(ErrorCode.RateLimitedError);
    expect((err as WebAPIRateLimitedError).retryAfter).toBeGreaterThanOrEqual(1);
    await slack.chat.postMessage({ channel: b, text: 'other channel' });
    expect(stub.rateLimited).toBe(1);
    expect(stub.callsTo('chat.postMessage').map((c) => c.status)).toEqual([200, 200, 429, 200]);
    expect(stub.messagesIn(a)).toHaveLength(2);
  });

  it('refuses a Tier 2 method with Retry-After once its burst of 20 is spent, per method and for every client of the workspace', async () => {
    const create = (client: WebClient, n: number) => client.conversations.create({ name: `storm-${n}` });
    for (let n = 1; n <= 20; n += 1) await create(slack, n);
    const limited = await create(slack, 21).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(WebAPIRateLimitedError);
    // 20 a minute: the next request fits about 3 s later.
    expect((limited as WebAPIRateLimitedError).retryAfter).toBe(3);
    // Another replica of the same app, with its own client, shares the workspace's budget.
    const otherReplica = clientFor(stub.token);
    await expect(create(otherReplica, 22)).rejects.toBeInstanceOf(WebAPIRateLimitedError);
    // Other methods, of the same tier or not, keep their own budgets.
    const channel = stub.channelByName('storm-1')!.id;
    await expect(otherReplica.conversations.setTopic({ channel, topic: 'still answering' })).resolves.toMatchObject({ ok: true });
    await expect(slack.users.info({ user: 'U1' })).resolves.toMatchObject({ ok: true });

    expect(stub.rateLimitedTo('conversations.create')).toBe(2);
    expect(stub.rateLimitedTo('conversations.setTopic')).toBe(0);
    expect(stub.rateLimited).toBe(2);
    expect(stub.channelByName('storm-21')).toBeUndefined();
    const answers = stub.callsTo('conversations.create').slice(19).map((c) => [c.status, c.error]);
    expect(answers).toEqual([[200, undefined], [429, 'ratelimited'], [429, 'ratelimited']]);
  });

  it('lets a test shrink the window, so a spent budget comes back within a second', async () => {
    stub.setMethodRateLimits({ windowMs: 1000, perWindow: { 'pins.add': 2 } });
    const channel = stub.addChannel({ name: 'a', members: ['UBOT'] }).id;
    const pins = await Promise.all(['1', '2', '3'].map(async (text) => (await slack.chat.postMessage({ channel, text })).ts!));
    await slack.pins.add({ channel, timestamp: pins[0]! });
    await slack.pins.add({ channel, timestamp: pins[1]! });
    const limited = await slack.pins.add({ channel, timestamp: pins[2]! }).catch((e: unknown) => e);
    expect((limited as WebAPIRateLimitedError).retryAfter).toBe(1);
    // Poll until the budget has come back (the stand-in's own clock, not a fixed sleep).
    while (!(await slack.pins.add({ channel, timestamp: pins[2]! }).then(() => true, () => false))) await new Promise((r) => setTimeout(r, 50));
    expect(stub.channels.get(channel)!.pins).toHaveLength(3);
  });

  it('lets a load test opt a method out of its tier, or turn the tiers off', async () => {
    const unlimited = await startSlackStub({ methodRateLimits: { unlimited: ['conversations.create'] } });
    const off = await startSlackStub({ methodRateLimits: false });
    try {
      for (const s of [unlimited, off]) {
        const client = new WebClient(s.token, { slackApiUrl: s.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: silent });
        for (let n = 1; n <= 25; n += 1) await client.conversations.create({ name: `load-${n}` });
        expect([s.okCallsTo('conversations.create').length, s.rateLimited]).toEqual([25, 0]);
      }
    } finally {
      await unlimited.close();
      await off.close();
    }
  });

  it('fails the next calls as told', async () => {
    const channel = stub.addChannel({ name: 'a', members: ['UBOT'] }).id;
    stub.failNext('chat.postMessage', { retryAfter: 7 });
    stub.failNext('chat.postMessage', { error: 'internal_error', times: 2 });
    stub.failNext('chat.postMessage', { status: 500 });

    const limited = await slack.chat.postMessage({ channel, text: 'x' }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(WebAPIRateLimitedError);
    expect((limited as WebAPIRateLimitedError).retryAfter).toBe(7);
    expect((await refusal(slack.chat.postMessage({ channel, text: 'x' }))).error).toBe('internal_error');
    expect((await refusal(slack.chat.postMessage({ channel, text: 'x' }))).error).toBe('internal_error');
    const http500 = await slack.chat.postMessage({ channel, text: 'x' }).catch((e: unknown) => e);
    expect(http500).toBeInstanceOf(WebAPIHTTPError);
    expect((http500 as WebAPIHTTPError).statusCode).toBe(500);
    await slack.chat.postMessage({ channel, text: 'finally' });
    expect(stub.messages.map((m) => m.text)).toEqual(['finally']);
    expect(stub.rateLimited).toBe(1);
  });

  it('can answer late, so a client timeout still leaves the message posted', async () => {
    const channel = stub.addChannel({ name: 'a', members: ['UBOT'] }).id;
    stub.failNext('chat.postMessage', { delayMs: 300 });
    const impatient = clientFor(stub.token, { timeout: 50 });
    const err = await impatient.chat.postMessage({ channel, text: 'maybe' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebAPIRequestError);
    await new Promise((r) => setTimeout(r, 400));
    expect(stub.messagesIn(channel).map((m) => m.text)).toEqual(['maybe']);
  });
});

describe('response_url', () => {
  it('records valid posts and refuses invalid blocks', async () => {
    const url = stub.responseUrl();
    const post = (body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const ok = await post({ text: 'Declared', response_type: 'ephemeral', replace_original: false });
    expect([ok.status, await ok.text()]).toEqual([200, 'ok']);
    const bad = await post({ text: 'x', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'no' } }] });
    expect(bad.status).toBe(400);
    expect(stub.responses).toEqual([{ url, body: { text: 'Declared', response_type: 'ephemeral', replace_original: false } }]);
  });

  it('refuses a URL used a sixth time, or more than 30 minutes after the interaction, as Slack does', async () => {
    const post = (url: string) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'hi' }) });
    const fresh = stub.responseUrl();
    for (let i = 0; i < 5; i += 1) expect((await post(fresh)).status).toBe(200);
    const sixth = await post(fresh);
    expect([sixth.status, await sixth.text()]).toEqual([404, 'used_url']);
    const stale = await post(stub.responseUrl({ issuedAt: Date.now() - 31 * 60_000 }));
    expect([stale.status, await stale.text()]).toEqual([404, 'expired_url']);
    expect((await post(stub.responseUrl({ issuedAt: Date.now() - 29 * 60_000 }))).status).toBe(200);
  });
});

describe('pins, bookmarks and DMs where Slack refuses them', () => {
  it('pins and bookmarks only in a channel the bot is in and that is not archived', async () => {
    const outside = stub.addChannel({ name: 'outside', members: ['U1'] });
    const mine = stub.addChannel({ name: 'mine', members: [stub.botUserId] });
    const ts = stub.addMessage({ channel: outside.id, user: 'U1', text: 'x' }).ts;
    const bookmark = (channel_id: string) => slack.bookmarks.add({ channel_id, title: 'Announcement', type: 'link', link: 'https://example.com' });
    expect((await refusal(slack.pins.add({ channel: outside.id, timestamp: ts }))).error).toBe('not_in_channel');
    expect((await refusal(bookmark(outside.id))).error).toBe('not_in_channel');
    const posted = await slack.chat.postMessage({ channel: mine.id, text: 'card' });
    mine.is_archived = true;
    expect((await refusal(slack.pins.add({ channel: mine.id, timestamp: posted.ts! }))).error).toBe('is_archived');
    expect((await refusal(bookmark(mine.id))).error).toBe('is_archived');
  });

  it('refuses to DM a bot user, by user id or by opening the conversation', async () => {
    stub.addUser({ id: 'UROBOT', name: 'robot', is_bot: true });
    expect((await refusal(slack.chat.postMessage({ channel: 'UROBOT', text: 'hi' }))).error).toBe('cannot_dm_bot');
    expect((await refusal(slack.conversations.open({ users: 'UROBOT' }))).error).toBe('cannot_dm_bot');
  });
});

describe('reset', () => {
  it('forgets recorded traffic but keeps users and channels', async () => {
    const channel = stub.addChannel({ name: 'a', members: ['UBOT'] }).id;
    await slack.chat.postMessage({ channel, text: 'x' });
    stub.reset();
    expect([stub.calls.length, stub.messages.length]).toEqual([0, 0]);
    expect(stub.channelByName('a')?.id).toBe(channel);
    await expect(slack.users.info({ user: 'U1' })).resolves.toMatchObject({ ok: true });
  });
});

describe('the external file upload flow', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 7)]);
  const upload = (url: string, bytes: Buffer) => fetch(url, { method: 'POST', body: new Uint8Array(bytes) });

  it('shares a PNG in the channel once its exact bytes were sent to the URL it handed out', async () => {
    const channel = stub.addChannel({ name: 'risk', members: [stub.botUserId] });
    const target = await slack.files.getUploadURLExternal({ filename: 'chart.png', length: png.length });
    expect(target.upload_url).toMatch(new RegExp(`^${stub.apiUrl.replace(/\/api\/$/, '')}/upload/`));
    expect(await refusal(slack.files.completeUploadExternal({ files: [{ id: target.file_id! }], channel_id: channel.id }))).toMatchObject({ error: 'file_not_found' });
    const sent = await upload(target.upload_url!, png);
    expect([sent.status, await sent.text()]).toEqual([200, `OK - ${png.length}`]);
    await slack.files.completeUploadExternal({ files: [{ id: target.file_id!, title: 'Impact' }], channel_id: channel.id, initial_comment: 'This week' });
    expect(stub.messagesIn(channel.id)).toEqual([expect.objectContaining({ text: 'This week', files: [{ id: target.file_id, name: 'chart.png', title: 'Impact' }] })]);
    expect(stub.files.get(target.file_id!)).toMatchObject({ completed: true, channels: [channel.id] });
    // Once completed, it cannot be completed again; the URL takes no second upload.
    expect(await refusal(slack.files.completeUploadExternal({ files: [{ id: target.file_id! }], channel_id: channel.id }))).toMatchObject({ error: 'file_not_found' });
    expect((await upload(target.upload_url!, png)).status).toBe(404);
  });

  it('refuses bytes of another length than announced, a .png that is not a PNG, and unknown files', async () => {
    const short = await slack.files.getUploadURLExternal({ filename: 'chart.png', length: png.length + 1 });
    expect((await upload(short.upload_url!, png)).status).toBe(400);
    const notPng = await slack.files.getUploadURLExternal({ filename: 'chart.png', length: 8 });
    expect((await upload(notPng.upload_url!, Buffer.from('GIF89a!!'))).status).toBe(400);
    for (const id of [short.file_id!, notPng.file_id!, 'F0NOSUCH']) {
      expect(await refusal(slack.files.completeUploadExternal({ files: [{ id }] }))).toMatchObject({ error: 'file_not_found' });
    }
    expect(await refusal(slack.files.getUploadURLExternal({ filename: 'chart.png', length: 0 }))).toMatchObject({ error: 'invalid_length' });
  });

  it('needs files:write and, to share in a channel, the bot in it', async () => {
    const outside = stub.addChannel({ name: 'general', members: ['U1'] });
    const target = await slack.files.getUploadURLExternal({ filename: 'chart.png', length: png.length });
    await upload(target.upload_url!, png);
    expect(await refusal(slack.files.completeUploadExternal({ files: [{ id: target.file_id! }], channel_id: outside.id }))).toMatchObject({ error: 'not_in_channel' });
    await stub.close();
    stub = await startSlackStub({ scopes: ['chat:write'] });
    slack = clientFor(stub.token);
    expect(await refusal(slack.files.getUploadURLExternal({ filename: 'chart.png', length: 10 }))).toMatchObject({ error: 'missing_scope', needed: 'files:write' });
  });
});
