import { invalidArguments, refuse } from '../args';
import type { Handler } from './common';

export const miscMethods: Record<string, Handler> = {
  'auth.test'(w) {
    const bot = w.users.get(w.id.botUserId)!;
    return {
      url: 'https://stub.slack.com/',
      team: 'Stub Workspace',
      user: bot.name,
      team_id: w.id.teamId,
      user_id: w.id.botUserId,
      bot_id: w.id.botId,
      is_enterprise_install: false,
    };
  },

  'users.info'(w, a) {
    return { user: w.userObject(w.user(a.nonEmpty('user'))) };
  },

  'pins.add'(w, a) {
    const channel = w.channel(a.nonEmpty('channel'));
    if (channel.is_archived) refuse('is_archived');
    if (!w.botIsMember(channel)) refuse('not_in_channel');
    const ts = a.nonEmpty('timestamp');
    if (ts === undefined) refuse('no_item_specified');
    if (!w.message(channel.id, ts)) refuse('message_not_found');
    if (channel.pins.includes(ts)) refuse('already_pinned');
    channel.pins.push(ts);
    return {};
  },

  /** The channel's bookmarks, oldest first (Slack's ids are not kept: a bookmark's position stands in). */
  'bookmarks.list'(w, a) {
    const channelId = a.nonEmpty('channel_id');
    if (channelId === undefined) invalidArguments('missing required field: channel_id');
    const channel = w.channel(channelId);
    return {
      bookmarks: channel.bookmarks.map((b, i) => ({ id: `Bk${i + 1}`, channel_id: channel.id, title: b.title, link: b.link, type: 'link', emoji: null })),
    };
  },

  'bookmarks.add'(w, a) {
    const channelId = a.nonEmpty('channel_id');
    if (channelId === undefined) invalidArguments('missing required field: channel_id');
    const channel = w.channel(channelId);
    if (channel.is_archived) refuse('is_archived');
    if (!w.botIsMember(channel)) refuse('not_in_channel');
    const title = a.nonEmpty('title');
    if (title === undefined) invalidArguments('missing required field: title');
    const type = a.nonEmpty('type');
    if (type === undefined) invalidArguments('missing required field: type');
    if (type !== 'link') refuse('invalid_bookmark_type');
    const link = a.nonEmpty('link');
    if (link === undefined) invalidArguments('missing required field: link');
    if (!/^https?:\/\//.test(link)) refuse('invalid_link');
    channel.bookmarks.push({ title, link });
    return {
      bookmark: {
        id: w.nextId('Bk'),
        channel_id: channel.id,
        title,
        link,
        emoji: a.str('emoji') ?? null,
        type: 'link',
        entity_id: null,
        date_created: Math.floor(Date.now() / 1000),
        date_updated: 0,
        last_updated_by_user_id: w.id.botUserId,
      },
    };
  },
};
