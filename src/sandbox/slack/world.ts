/**
 * The workspace the stub pretends to be: users, channels, messages, views and triggers,
 * plus the lookups every method shares (and the refusals they imply).
 */
import { randomBytes } from 'node:crypto';
import { refuse } from './args';
import { loadWorkspace, saveWorkspace, type SavedWorkspace } from './saved';
import type { StubChannel, StubEphemeral, StubFile, StubMessage, StubUser, StubView, TriggerOptions } from './types';

export interface Identity {
  token: string;
  teamId: string;
  botUserId: string;
  botId: string;
}

interface Trigger {
  issuedAt: number;
  ttlMs: number;
  used: boolean;
  user: string;
  viewId?: string;
}

export const DEFAULT_USERS: StubUser[] = [
  { id: 'U1', name: 'alice', tz: 'Europe/London', tz_offset: 0 },
  { id: 'U2', name: 'bob', tz: 'America/New_York', tz_offset: -18000 },
  { id: 'U3', name: 'carol', tz: 'Asia/Tokyo', tz_offset: 32400 },
  { id: 'U4', name: 'dave', tz: 'America/Los_Angeles', tz_offset: -28800 },
  { id: 'U5', name: 'erin', tz: 'Europe/Berlin', tz_offset: 3600 },
];

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The clock message timestamps follow (a sandbox can move it forward); triggers keep real time. */
export type MessageClock = () => number;

export class World {
  readonly users = new Map<string, StubUser>();
  readonly channels = new Map<string, StubChannel>();
  readonly messages: StubMessage[] = [];
  readonly ephemerals: StubEphemeral[] = [];
  readonly views = new Map<string, StubView>();
  readonly files = new Map<string, StubFile>();
  /** Where the stand-in serves upload URLs (set once it listens). */
  origin = '';
  readonly openedViews: any[] = [];
  private readonly triggers = new Map<string, Trigger>();
  /** Sorted user ids joined by ',' → DM / MPDM channel id. */
  private readonly dms = new Map<string, string>();
  private readonly externalIds = new Map<string, string>();
  private readonly homeViews = new Map<string, string>();
  private seq = 0;
  private lastTsMicros = 0;
  /** Milliseconds since the epoch that message timestamps follow. */
  messageClock: MessageClock = Date.now;

  /**
   * The OAuth scopes granted to the bot token, and the App Home tabs the app has on (manifest.yml's
   * `features.app_home`): with the Messages tab off, Slack refuses the bot's DMs.
   */
  constructor(
    readonly id: Identity,
    users: StubUser[],
    readonly scopes: ReadonlySet<string>,
    readonly tabs: { home: boolean; messages: boolean } = { home: true, messages: true },
  ) {
    for (const u of users) this.users.set(u.id, { ...u });
    if (!this.users.has(id.botUserId)) this.users.set(id.botUserId, { id: id.botUserId, name: 'herald', is_bot: true });
  }

  /** Keep users, channels and DMs; forget everything recorded. */
  clearRecords(): void {
    this.messages.length = 0;
    this.ephemerals.length = 0;
    this.openedViews.length = 0;
    this.views.clear();
    this.files.clear();
    this.triggers.clear();
    this.externalIds.clear();
    this.homeViews.clear();
  }

  /** Keep the users; forget channels, DMs and everything recorded (a fresh workspace). */
  forgetAll(): void {
    this.clearRecords();
    this.channels.clear();
    this.dms.clear();
    this.lastTsMicros = 0;
  }

  /** Everything but the people and the triggers, to be written down (see ./saved.ts). */
  save(): SavedWorkspace {
    return saveWorkspace(this.state());
  }

  /** Replaces the workspace with a saved one (the people stay as configured). */
  load(saved: SavedWorkspace): void {
    this.forgetAll();
    const counters = loadWorkspace(this.state(), saved);
    this.seq = counters.seq;
    this.lastTsMicros = counters.lastTsMicros;
  }

  private state() {
    const { channels, messages, views, files, dms, externalIds, homeViews, seq, lastTsMicros } = this;
    return { channels, messages, views, files, dms, externalIds, homeViews, seq, lastTsMicros };
  }

  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${String(this.seq).padStart(8, '0')}`;
  }

  /** Unique, increasing message timestamps close to the real clock, e.g. '1700000000.000100'. */
  nextTs(): string {
    this.lastTsMicros = Math.max(this.lastTsMicros + 100, this.messageClock() * 1000);
    const s = Math.floor(this.lastTsMicros / 1e6);
    return `${s}.${String(this.lastTsMicros % 1e6).padStart(6, '0')}`;
  }

  newHash(): string {
    return `${nowSeconds()}.${randomBytes(4).toString('hex')}`;
  }

  /* ---------------------------------------------------------------- users */

  user(id: string | undefined, code = 'user_not_found'): StubUser {
    const u = id ? this.users.get(id) : undefined;
    if (!u) refuse(code);
    return u;
  }

  defaultTriggerUser(): string {
    for (const u of this.users.values()) if (!u.is_bot && !u.deleted) return u.id;
    return this.id.botUserId;
  }

  userObject(u: StubUser): Record<string, unknown> {
    return {
      id: u.id,
      team_id: this.id.teamId,
      name: u.name,
      real_name: u.name,
      deleted: u.deleted ?? false,
      is_bot: u.is_bot ?? false,
      is_app_user: false,
      is_admin: u.is_admin ?? false,
      is_owner: u.is_owner ?? false,
      tz: u.tz ?? 'Europe/London',
      tz_label: u.tz ?? 'Europe/London',
      tz_offset: u.tz_offset ?? 0,
      profile: {
        real_name: u.name,
        display_name: u.name,
        team: this.id.teamId,
        ...(u.id === this.id.botUserId ? { bot_id: this.id.botId } : {}),
      },
    };
  }

  /* ------------------------------------------------------------- channels */

  addChannel(c: { name: string; is_private?: boolean; members?: string[]; id?: string; creator?: string }): StubChannel {
    const id = c.id ?? this.nextId('C');
    if (this.channels.has(id)) throw new Error(`slackStub.addChannel: channel ${id} already exists`);
    const creator = c.creator ?? c.members?.[0] ?? this.defaultTriggerUser();
    const channel: StubChannel = {
      id,
      name: c.name,
      is_private: c.is_private ?? false,
      creator,
      members: new Set([...(c.members ?? []), ...(creator === this.id.botUserId ? [creator] : [])]),
      topic: '',
      purpose: '',
      pins: [],
      bookmarks: [],
      created: nowSeconds(),
    };
    this.channels.set(id, channel);
    return channel;
  }

  channelByName(name: string): StubChannel | undefined {
    for (const c of this.channels.values()) if (!c.is_im && !c.is_mpim && c.name === name) return c;
    return undefined;
  }

  botIsMember(c: StubChannel): boolean {
    return c.members.has(this.id.botUserId);
  }

  /** A channel the bot can see: public ones, and private ones / DMs it is in. */
  channel(id: string | undefined): StubChannel {
    const c = id ? this.channels.get(id) : undefined;
    if (!c || ((c.is_private || c.is_im || c.is_mpim) && !this.botIsMember(c))) refuse('channel_not_found');
    return c;
  }

  /** chat.postMessage's channel: a channel id, or a user id meaning the DM with that user. */
  postTarget(id: string | undefined): StubChannel {
    if (id && this.users.has(id) && !this.channels.has(id)) {
      const u = this.users.get(id)!;
      // A bot token cannot DM a bot (Slack support, in HubSpot/slack-client#90): no conversation opens.
      if (u.is_bot) refuse('cannot_dm_bot');
      const dm = this.dm([id]);
      if (u.deleted) refuse('is_archived');
      return dm;
    }
    return this.channel(id);
  }

  /** The DM (one user) or multi-person DM with the bot; created on first use, stable afterwards. */
  dm(userIds: string[]): StubChannel {
    const key = [...new Set(userIds)].sort().join(',');
    const existing = this.dms.get(key);
    if (existing) return this.channels.get(existing)!;
    const mpim = userIds.length > 1;
    const id = this.nextId(mpim ? 'G' : 'D');
    const names = userIds.map((u) => this.users.get(u)?.name ?? u);
    const channel: StubChannel = {
      id,
      name: mpim ? `mpdm-${[this.users.get(this.id.botUserId)!.name, ...names].join('--')}-1` : '',
      is_private: true,
      creator: this.id.botUserId,
      members: new Set([this.id.botUserId, ...userIds]),
      topic: '',
      purpose: '',
      pins: [],
      bookmarks: [],
      created: nowSeconds(),
      ...(mpim ? { is_mpim: true } : { is_im: true, user: userIds[0] }),
    };
    this.channels.set(id, channel);
    this.dms.set(key, id);
    return channel;
  }

  /** The id to count a post against: a user id means that user's DM. */
  rateKey(channel: string): string {
    return this.dms.get(channel) ?? channel;
  }

  hasDm(userIds: string[]): boolean {
    return this.dms.has([...new Set(userIds)].sort().join(','));
  }

  channelObject(c: StubChannel): Record<string, unknown> {
    if (c.is_im) {
      return { id: c.id, created: c.created, is_im: true, is_org_shared: false, user: c.user, is_open: true, is_archived: c.is_archived ?? false };
    }
    return {
      id: c.id,
      name: c.name,
      name_normalized: c.name,
      is_channel: !c.is_private && !c.is_mpim,
      is_group: c.is_private && !c.is_mpim,
      is_im: false,
      is_mpim: c.is_mpim ?? false,
      is_private: c.is_private,
      is_archived: c.is_archived ?? false,
      is_general: false,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      is_member: this.botIsMember(c),
      created: c.created,
      creator: c.creator,
      topic: { value: c.topic, creator: c.topic ? this.id.botUserId : '', last_set: 0 },
      purpose: { value: c.purpose, creator: c.purpose ? this.id.botUserId : '', last_set: 0 },
      num_members: c.members.size,
      previous_names: [],
    };
  }

  /* ------------------------------------------------------------- messages */

  message(channel: string, ts: string | undefined): StubMessage | undefined {
    return ts ? this.messages.find((m) => m.channel === channel && m.ts === ts) : undefined;
  }

  /** A message as the Web API returns it; metadata only when asked for (include_all_metadata). */
  messageObject(m: StubMessage, opts: { metadata?: boolean } = {}): Record<string, unknown> {
    const fromBot = m.user === this.id.botUserId;
    return {
      type: 'message',
      ...(fromBot ? { subtype: 'bot_message', bot_id: this.id.botId } : {}),
      user: m.user,
      team: this.id.teamId,
      ts: m.ts,
      ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
      text: m.text ?? '',
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.edited ? { edited: { user: m.user, ts: m.ts } } : {}),
      ...(opts.metadata && m.metadata ? { metadata: m.metadata } : {}),
    };
  }

  /* ------------------------------------------------------ triggers & views */

  issueTrigger(opts: TriggerOptions = {}): string {
    const id = `${nowSeconds()}.${++this.seq}.${randomBytes(8).toString('hex')}`;
    this.triggers.set(id, {
      issuedAt: Date.now(),
      ttlMs: opts.ttlMs ?? 3000,
      used: false,
      user: opts.user ?? this.defaultTriggerUser(),
      ...(opts.viewId ? { viewId: opts.viewId } : {}),
    });
    return id;
  }

  /** Check a trigger without spending it (refusals: invalid/exchanged/expired_trigger_id). */
  trigger(id: string): Trigger {
    const t = this.triggers.get(id);
    if (!t) refuse('invalid_trigger_id');
    if (t.used) refuse('exchanged_trigger_id');
    if (Date.now() - t.issuedAt > t.ttlMs) refuse('expired_trigger_id');
    return t;
  }

  viewByRef(viewId: string | undefined, externalId: string | undefined): StubView | undefined {
    const id = viewId ?? (externalId !== undefined ? this.externalIds.get(externalId) : undefined);
    return id ? this.views.get(id) : undefined;
  }

  /** Refuse an external_id already used by another view. */
  claimExternalId(externalId: unknown, viewId: string): void {
    if (typeof externalId !== 'string' || externalId === '') return;
    const owner = this.externalIds.get(externalId);
    if (owner && owner !== viewId) refuse('duplicate_external_id');
  }

  /** Store a view (new or replacing one with the same id) and return the stored object. */
  storeView(payload: any, opts: { id?: string; user: string; stack?: string[] }): StubView {
    const id = opts.id ?? this.nextId('V');
    const previous = this.views.get(id);
    const stack = previous?.stack ?? opts.stack ?? [];
    if (!stack.includes(id)) stack.push(id);
    if (previous?.view.external_id) this.externalIds.delete(previous.view.external_id);
    const hash = this.newHash();
    const view = {
      id,
      team_id: this.id.teamId,
      type: payload.type,
      blocks: payload.blocks,
      private_metadata: payload.private_metadata ?? '',
      callback_id: payload.callback_id ?? '',
      external_id: payload.external_id ?? '',
      state: { values: {} },
      hash,
      ...(payload.type === 'modal'
        ? {
            title: payload.title,
            close: payload.close ?? null,
            submit: payload.submit ?? null,
            clear_on_close: payload.clear_on_close ?? false,
            notify_on_close: payload.notify_on_close ?? false,
            root_view_id: stack[0],
            previous_view_id: stack[stack.indexOf(id) - 1] ?? null,
          }
        : {}),
      app_id: 'ASTUB',
      bot_id: this.id.botId,
    };
    if (view.external_id) this.externalIds.set(view.external_id, id);
    const stored: StubView = { id, hash, view, user: previous?.user ?? opts.user, stack };
    this.views.set(id, stored);
    return stored;
  }

  /** The stack views.push adds to: the trigger's view, else the user's most recent modal. */
  stackFor(t: Trigger): string[] | undefined {
    if (t.viewId) return this.views.get(t.viewId)?.stack;
    const modals = [...this.views.values()].filter((v) => v.view.type === 'modal' && v.user === t.user);
    return modals[modals.length - 1]?.stack;
  }

  homeViewOf(user: string): StubView | undefined {
    const id = this.homeViews.get(user);
    return id ? this.views.get(id) : undefined;
  }

  setHomeView(user: string, id: string): void {
    this.homeViews.set(user, id);
  }

  spendTrigger(id: string): void {
    const t = this.triggers.get(id);
    if (t) t.used = true;
  }
}
