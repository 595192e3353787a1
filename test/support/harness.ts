import { loadConfig, type Config } from '../../src/config';
import type { Database } from '../../src/db/client';
import { startHerald, type Herald } from '../../src/herald';
import type { IncidentLifecycleHooks } from '../../src/incidents/lifecycle';
import { createTestDatabase, type TestDatabase } from './database';
import type { OutageSwitch } from './outage';
import { silentLogger } from './logger';
import { blockActionsPayload, startSlackStub, type ClickContainer, type SlackStub, type StubMessage } from './slackStub';
import { commandFields, eventEnvelope, form, signedPost, stateFor, type SignedResponse, type SignOptions } from './slackRequests';
import { removeTempDir, tempDir } from './tempDirs';

export const SIGNING_SECRET = 'test-signing-secret';

export interface TestHerald {
  herald: Herald;
  slack: SlackStub;
  db: Database;
  config: Config;
  /** HTTP mode only: where Slack posts requests. */
  eventsUrl: string;
  /** Where Herald serves /healthz and /readyz (and, in HTTP mode, /slack/events). */
  baseUrl: string;
  /** Takes Herald's database away and gives it back. */
  outage: OutageSwitch;
  /** Sends `/incident <text>` as `user` from `channel`. */
  command(text: string, options?: { user?: string; channel?: string; sign?: Partial<SignOptions> }): Promise<SignedResponse>;
  /** Submits a view the stand-in has (opened by Herald) with the given answers by block_id. */
  submitView(view: any, answers: Record<string, unknown>, options?: { user?: string }): Promise<SignedResponse>;
  /** Clicks a button Herald posted or opened. */
  clickButton(actionId: string, value: string, options?: { user?: string; channel?: string; messageTs?: string; viewId?: string }): Promise<SignedResponse>;
  /** Chooses an option of a static select Herald drew (in a message, or in a view such as the Home tab). */
  chooseOption(actionId: string, value: string, options?: { user?: string; viewId?: string }): Promise<SignedResponse>;
  /**
   * A person picked in a users select of an open modal. Slack sends that at once only when the input
   * block asks for it (`dispatch_action: true`); otherwise the pick just waits for the submission, and
   * this throws, as nothing would reach the app.
   */
  pickUser(viewId: string, blockId: string, userId: string, options?: { user?: string }): Promise<SignedResponse>;
  /**
   * Uses one of Herald's message shortcuts on a message the stand-in holds (`message_action`), as Slack
   * sends it: the whole message, its channel, a 3-second trigger and a response_url.
   */
  messageShortcut(callbackId: string, message: StubMessage, options?: { user?: string }): Promise<SignedResponse>;
  /** A raw signed POST to /slack/events (HTTP mode only). */
  post(body: string, contentType: string, sign?: Partial<SignOptions>): Promise<SignedResponse>;
  /**
   * Delivers an Events API event (JSON, signed) as Slack does; `retryNum` adds Slack's retry headers.
   * The same `eventId` twice is Slack retrying one event.
   */
  event(event: Record<string, unknown>, options?: { eventId?: string; retryNum?: number }): Promise<SignedResponse>;
  /** Lets Herald finish queued Slack work (the outbox) before the test looks at the stand-in. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  slack?: SlackStub;
  database?: TestDatabase;
  clock?: () => Date;
  /** Lifecycle hooks run after Herald's own (e.g. a stand-in for the review's close blockers). */
  hooks?: IncidentLifecycleHooks;
  /** Herald's Slack call timeout, shortened so a late answer counts as lost without a 10-second wait. */
  slackTimeoutMs?: number;
  /** Run in Socket Mode (SLACK_APP_TOKEN, no signing secret): every request arrives over the WebSocket. */
  socketMode?: boolean;
}

export const ANNOUNCE_CHANNEL = 'CANNOUNCE';

/** Starts Herald on a free port against a Slack stand-in and a fresh database (or the given ones). */
export async function startTestHerald(options: StartOptions = {}): Promise<TestHerald> {
  const slack = options.slack ?? (await startSlackStub());
  if (!slack.channels.has(ANNOUNCE_CHANNEL)) {
    slack.addChannel({ id: ANNOUNCE_CHANNEL, name: 'incidents', members: [slack.botUserId, 'U1', 'U2', 'U3'] });
  }
  const ownsDatabase = options.database === undefined;
  const database = options.database ?? (await createTestDatabase());
  // Unused (the test's database is given), but a real folder, removed when this Herald stops; a test
  // that gives its own DATA_DIR keeps it.
  const ownDataDir = options.env?.DATA_DIR ? undefined : tempDir('herald-test-');
  const dropOwnDataDir = () => ownDataDir && removeTempDir(ownDataDir);
  const credentials = options.socketMode ? { SLACK_APP_TOKEN: slack.appToken } : { SLACK_SIGNING_SECRET: SIGNING_SECRET };
  const config = loadConfig({
    SLACK_BOT_TOKEN: slack.token,
    ...credentials,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...(ownDataDir ? { DATA_DIR: ownDataDir } : {}),
    ANNOUNCE_CHANNEL,
    ...options.env,
  });
  const db = database.connect();
  let herald: Herald;
  try {
    herald = await startHerald({ config, db, log: silentLogger, clock: options.clock, startScheduler: false, hooks: options.hooks, slackTimeoutMs: options.slackTimeoutMs });
  } catch (err) {
    dropOwnDataDir();
    if (ownsDatabase) await database.drop();
    if (!options.slack) await slack.close();
    throw err;
  }
  const baseUrl = `http://127.0.0.1:${herald.port}`;
  const eventsUrl = `${baseUrl}/slack/events`;
  const post = async (body: string, contentType: string, sign?: Partial<SignOptions>) => {
    if (options.socketMode) throw new Error('In Socket Mode Slack sends nothing over HTTP');
    return signedPost(eventsUrl, body, contentType, { secret: SIGNING_SECRET, ...sign });
  };
  // The same requests reach Herald as signed HTTP posts or, in Socket Mode, as envelopes on its WebSocket.
  const send = {
    command: (fields: Record<string, string>, sign?: Partial<SignOptions>) =>
      options.socketMode ? slack.socketMode.deliver('slash_commands', fields) : post(form(fields), 'application/x-www-form-urlencoded', sign),
    interaction: (payload: object) =>
      options.socketMode
        ? slack.socketMode.deliver('interactive', payload)
        : post(form({ payload: JSON.stringify(payload) }), 'application/x-www-form-urlencoded'),
    event: (body: Record<string, unknown>, retryNum?: number) =>
      options.socketMode
        ? slack.socketMode.deliver('events_api', body, retryNum ? { retryAttempt: retryNum, retryReason: 'timeout' } : {})
        : post(JSON.stringify(body), 'application/json', { headers: retryNum ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' } : {} }),
  };
  const team = { id: slack.teamId, domain: 'herald-test' };
  const workspace = { teamId: slack.teamId, botUserId: slack.botUserId, domain: team.domain };
  let eventSeq = 0;

  return {
    herald,
    slack,
    db,
    config,
    eventsUrl,
    baseUrl,
    outage: database.outage,
    post,
    event(event, opts = {}) {
      return send.event(eventEnvelope(workspace, event, opts.eventId ?? `Ev${String(++eventSeq).padStart(8, '0')}`), opts.retryNum);
    },
    command(text, opts = {}) {
      const fields = commandFields(workspace, { user: opts.user ?? 'U1', channel: opts.channel ?? 'CGENERAL', text, responseUrl: slack.responseUrl(), triggerId: slack.issueTrigger() });
      return send.command(fields, opts.sign);
    },
    submitView(view, answers, opts = {}) {
      return send.interaction({
        type: 'view_submission',
        team,
        user: { id: opts.user ?? 'U1', team_id: slack.teamId },
        api_app_id: 'A0HERALD',
        trigger_id: slack.issueTrigger(),
        view: { ...view, team_id: slack.teamId, state: { values: stateFor(view, answers) } },
      });
    },
    clickButton(actionId, value, opts = {}) {
      const where: ClickContainer = opts.viewId ? { viewId: opts.viewId } : opts.channel ? { channel: opts.channel, messageTs: opts.messageTs } : {};
      return send.interaction(blockActionsPayload(slack, { user: opts.user ?? 'U1', where, action: { type: 'button', action_id: actionId, value } }));
    },
    pickUser(viewId, blockId, userId, opts = {}) {
      const stored = slack.views.get(viewId);
      if (!stored) throw new Error(`No view ${viewId} is open`);
      const block = (stored.view.blocks as any[]).find((b) => b.block_id === blockId);
      if (block?.element?.type !== 'users_select') throw new Error(`Block ${blockId} of view ${viewId} holds no users select`);
      if (block.type === 'input' && block.dispatch_action !== true) {
        throw new Error(`Slack sends no block_actions for a pick in input ${blockId}: it does not set dispatch_action`);
      }
      const actionId = block.element.action_id;
      // The view as it stands, with the inputs' state.
      const state = { [blockId]: { [actionId]: { type: 'users_select', selected_user: userId } } };
      return send.interaction(
        blockActionsPayload(slack, { user: opts.user ?? stored.user, where: { viewId, state }, action: { type: 'users_select', action_id: actionId, block_id: blockId, selected_user: userId } }),
      );
    },
    messageShortcut(callbackId, message, opts = {}) {
      const user = opts.user ?? 'U1';
      const channel = slack.channels.get(message.channel);
      return send.interaction({
        type: 'message_action',
        token: 'deprecated-verification-token',
        action_ts: String(Date.now() / 1000),
        team,
        user: { id: user, name: user.toLowerCase(), team_id: slack.teamId },
        channel: { id: message.channel, name: channel?.name ?? 'directmessage' },
        is_enterprise_install: false,
        enterprise: null,
        callback_id: callbackId,
        trigger_id: slack.issueTrigger({ user }),
        message_ts: message.ts,
        response_url: slack.responseUrl(),
        message: {
          type: 'message',
          ...(message.user === slack.botUserId ? { subtype: 'bot_message', bot_id: slack.botId } : { user: message.user }),
          ts: message.ts,
          text: message.text ?? '',
          ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
          ...(message.blocks ? { blocks: message.blocks } : {}),
        },
      });
    },
    chooseOption(actionId, value, opts = {}) {
      const action = { type: 'static_select', action_id: actionId, selected_option: { text: { type: 'plain_text', text: value }, value } };
      return send.interaction(blockActionsPayload(slack, { user: opts.user ?? 'U1', where: opts.viewId ? { viewId: opts.viewId } : {}, action }));
    },
    settle: () => herald.dispatcher.runDue(),
    async stop() {
      await herald.stop();
      dropOwnDataDir();
      if (ownsDatabase) await database.drop();
      if (!options.slack) await slack.close();
    },
  };
}

/** Polls until `check` returns something truthy; Herald answers Slack first and does slow work after. */
export async function waitFor<T>(check: () => T | Promise<T>, what = 'the condition', timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
