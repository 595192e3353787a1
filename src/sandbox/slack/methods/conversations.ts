import { type Args, invalidArguments, refuse } from '../args';
import type { StubChannel } from '../types';
import type { World } from '../world';
import type { Handler } from './common';

const NAME_MAX = 80;
const TOPIC_MAX = 250;
const INVITE_MAX = 100;
/** conversations.list/members/history/replies: `limit` must be under 1,000 (Slack's reference); 1000 gets `invalid_limit`. */
const PAGE_MAX = 999;
const CHANNEL_TYPES = ['public_channel', 'private_channel', 'mpim', 'im'] as const;

/** Slack's channel-name rules, with its error codes. */
function checkName(name: string | undefined): string {
  if (name === undefined || name === '') refuse('invalid_name_required');
  if ([...name].length > NAME_MAX) refuse('invalid_name_maxlength');
  if (!/^[\p{Ll}\p{Lo}\p{Nd}_-]+$/u.test(name)) refuse('invalid_name_specials');
  if (/^[-_]+$/.test(name)) refuse('invalid_name_punctuation');
  return name;
}

/** Offset-based cursors, opaque like Slack's. */
const encodeCursor = (offset: number): string => Buffer.from(`offset:${offset}`).toString('base64');
function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString());
  if (!m) refuse('invalid_cursor');
  return Number(m[1]);
}

function page<T>(a: Args, items: T[]): { items: T[]; next_cursor: string } {
  const limit = a.int('limit') ?? 100;
  if (limit < 0 || limit > PAGE_MAX) refuse('invalid_limit');
  const from = decodeCursor(a.nonEmpty('cursor'));
  const size = limit === 0 ? 100 : limit;
  const slice = items.slice(from, from + size);
  return { items: slice, next_cursor: from + size < items.length ? encodeCursor(from + size) : '' };
}

function typeOf(c: StubChannel): (typeof CHANNEL_TYPES)[number] {
  if (c.is_im) return 'im';
  if (c.is_mpim) return 'mpim';
  return c.is_private ? 'private_channel' : 'public_channel';
}

/** `oldest`/`latest` (message timestamps) and `inclusive`, as history and replies read them. */
function timeWindow(a: Args): (ts: string) => boolean {
  const oldest = Number(a.nonEmpty('oldest') ?? 0);
  const latest = a.nonEmpty('latest') === undefined ? Infinity : Number(a.nonEmpty('latest'));
  if (Number.isNaN(oldest) || Number.isNaN(latest)) invalidArguments('oldest and latest must be message timestamps');
  const inclusive = a.bool('inclusive');
  return (ts) => {
    const t = Number(ts);
    return inclusive ? t >= oldest && t <= latest : t > oldest && t < latest;
  };
}

/** A channel the bot is in and that accepts changes (setTopic, setPurpose, invite). */
function writableChannel(w: World, id: string | undefined): StubChannel {
  const c = w.channel(id);
  if (c.is_archived) refuse('is_archived');
  if (!w.botIsMember(c)) refuse('not_in_channel');
  return c;
}

function setText(field: 'topic' | 'purpose'): Handler {
  return (w, a) => {
    const c = writableChannel(w, a.nonEmpty('channel'));
    const value = a.str(field);
    if (value === undefined) invalidArguments(`missing required field: ${field}`);
    if ([...value].length > TOPIC_MAX) refuse('too_long');
    c[field] = value;
    return { channel: w.channelObject(c) };
  };
}

export const conversationMethods: Record<string, Handler> = {
  'conversations.create'(w, a) {
    const name = checkName(a.str('name'));
    if (w.channelByName(name)) refuse('name_taken');
    const c = w.addChannel({ name, is_private: a.bool('is_private'), creator: w.id.botUserId, members: [w.id.botUserId] });
    return { channel: w.channelObject(c) };
  },

  'conversations.invite'(w, a) {
    const c = w.channel(a.nonEmpty('channel'));
    if (c.is_im || c.is_mpim) refuse('method_not_supported_for_channel_type');
    if (c.is_archived) refuse('is_archived');
    if (!w.botIsMember(c)) refuse('not_in_channel');
    const requested = a.list('users');
    if (requested.length === 0) refuse('no_user');
    if (requested.length > INVITE_MAX) refuse('too_many_users');
    const force = a.bool('force');
    const errors: Array<{ user: string; ok: false; error: string }> = [];
    const valid: string[] = [];
    for (const id of requested) {
      if (id === w.id.botUserId) refuse('cant_invite_self');
      const u = w.users.get(id);
      const problem = !u ? 'user_not_found' : u.deleted ? 'cant_invite' : undefined;
      if (!problem) valid.push(id);
      else if (force) errors.push({ user: id, ok: false, error: problem });
      else refuse(problem);
    }
    if (valid.length === 0) refuse(errors[0]?.error ?? 'user_not_found');
    const newcomers = valid.filter((id) => !c.members.has(id));
    if (newcomers.length === 0) refuse('already_in_channel');
    for (const id of newcomers) c.members.add(id);
    return { channel: w.channelObject(c), ...(errors.length > 0 ? { errors } : {}) };
  },

  'conversations.setTopic': setText('topic'),
  'conversations.setPurpose': setText('purpose'),

  /** A bot archives a channel it is in; a DM cannot be archived. */
  'conversations.archive'(w, a) {
    const c = w.channel(a.nonEmpty('channel'));
    if (c.is_im || c.is_mpim) refuse('method_not_supported_for_channel_type');
    if (c.is_archived) refuse('already_archived');
    if (!w.botIsMember(c)) refuse('not_in_channel');
    c.is_archived = true;
    return {};
  },

  'conversations.info'(w, a) {
    return { channel: w.channelObject(w.channel(a.nonEmpty('channel'))) };
  },

  'conversations.members'(w, a) {
    const c = w.channel(a.nonEmpty('channel'));
    const { items, next_cursor } = page(a, [...c.members]);
    return { members: items, response_metadata: { next_cursor } };
  },

  /** Top-level messages, newest first; the bot must be in the channel, public or not. */
  'conversations.history'(w, a) {
    const c = w.channel(a.nonEmpty('channel'));
    if (!w.botIsMember(c)) refuse('not_in_channel');
    const within = timeWindow(a);
    const messages = w.messages
      .filter((m) => m.channel === c.id && (!m.thread_ts || m.thread_ts === m.ts) && within(m.ts))
      .sort((x, y) => Number(y.ts) - Number(x.ts));
    const { items, next_cursor } = page(a, messages);
    const metadata = a.bool('include_all_metadata');
    return { messages: items.map((m) => w.messageObject(m, { metadata })), has_more: next_cursor !== '', response_metadata: { next_cursor } };
  },

  /** A thread, parent first then replies oldest first; `ts` may be the parent's or a reply's. */
  'conversations.replies'(w, a) {
    const c = w.channel(a.nonEmpty('channel'));
    if (!w.botIsMember(c)) refuse('not_in_channel');
    const ts = a.nonEmpty('ts');
    if (ts === undefined) invalidArguments('missing required field: ts');
    const message = w.message(c.id, ts);
    if (!message) refuse('thread_not_found');
    const parent = w.message(c.id, message.thread_ts ?? message.ts) ?? message;
    const within = timeWindow(a);
    const replies = w.messages
      .filter((m) => m.channel === c.id && m.thread_ts === parent.ts && m.ts !== parent.ts && within(m.ts))
      .sort((x, y) => Number(x.ts) - Number(y.ts));
    const { items, next_cursor } = page(a, [parent, ...replies]);
    const metadata = a.bool('include_all_metadata');
    return { messages: items.map((m) => w.messageObject(m, { metadata })), has_more: next_cursor !== '', response_metadata: { next_cursor } };
  },

  'conversations.list'(w, a) {
    const types = a.list('types');
    const wanted = types.length > 0 ? types : ['public_channel'];
    if (wanted.some((t) => !(CHANNEL_TYPES as readonly string[]).includes(t))) refuse('invalid_types');
    const excludeArchived = a.bool('exclude_archived');
    const visible = [...w.channels.values()].filter(
      (c) =>
        wanted.includes(typeOf(c)) &&
        (typeOf(c) === 'public_channel' || w.botIsMember(c)) &&
        !(excludeArchived && c.is_archived),
    );
    const { items, next_cursor } = page(a, visible);
    return { channels: items.map((c) => w.channelObject(c)), response_metadata: { next_cursor } };
  },

  'conversations.open'(w, a) {
    const channelId = a.nonEmpty('channel');
    const users = a.list('users');
    if (channelId !== undefined && users.length === 0) {
      const c = w.channel(channelId);
      if (!c.is_im && !c.is_mpim) refuse('method_not_supported_for_channel_type');
      return { channel: a.bool('return_im') ? w.channelObject(c) : { id: c.id } };
    }
    if (users.length === 0) refuse('users_list_not_supplied');
    if (users.length > 8) refuse('too_many_users');
    for (const id of users) {
      const u = w.user(id);
      if (u.is_bot) refuse('cannot_dm_bot');
      if (u.deleted) refuse('user_disabled');
    }
    const existed = w.hasDm(users);
    const c = w.dm(users);
    return {
      ...(existed ? { no_op: true, already_open: true } : {}),
      channel: a.bool('return_im') ? w.channelObject(c) : { id: c.id },
    };
  },
};
