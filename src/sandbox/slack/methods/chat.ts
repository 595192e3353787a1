import { type Args, refuse } from '../args';
import type { StubMessage } from '../types';
import { kindOf } from '../scopes';
import { type Handler, messageContent, requireContent } from './common';

const POST_TEXT_MAX = 40000;
const UPDATE_TEXT_MAX = 4000;

/** `metadata`: {event_type: string, event_payload: object}, as Slack requires. */
function metadataArg(a: Args): StubMessage['metadata'] {
  const raw = a.json('metadata');
  if (raw === undefined) return undefined;
  if (!raw.ok || typeof raw.value !== 'object' || raw.value === null || Array.isArray(raw.value)) refuse('invalid_metadata_format');
  const { event_type, event_payload } = raw.value as Record<string, unknown>;
  if (typeof event_type !== 'string' || event_type === '' || typeof event_payload !== 'object' || event_payload === null || Array.isArray(event_payload)) {
    refuse('invalid_metadata_schema');
  }
  return { event_type, event_payload: event_payload as Record<string, unknown> };
}

export const chatMethods: Record<string, Handler> = {
  'chat.postMessage'(w, a) {
    const channel = w.postTarget(a.nonEmpty('channel'));
    if (channel.is_archived) refuse('is_archived');
    if (channel.is_im && !w.tabs.messages) refuse('messages_tab_disabled');
    // chat:write.public lets a bot post in any public channel without joining it.
    if (!w.botIsMember(channel) && !(kindOf(channel) === 'public' && w.scopes.has('chat:write.public'))) refuse('not_in_channel');
    const content = messageContent(a, POST_TEXT_MAX);
    requireContent(content);
    const metadata = metadataArg(a);
    let threadTs: string | undefined;
    const requestedThread = a.nonEmpty('thread_ts');
    if (requestedThread !== undefined) {
      const parent = w.message(channel.id, requestedThread);
      if (!parent) refuse('thread_not_found');
      threadTs = parent.thread_ts ?? parent.ts; // a reply's ts lands in its parent's thread
    }
    const msg: StubMessage = {
      channel: channel.id,
      ts: w.nextTs(),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(content.text !== undefined ? { text: content.text } : {}),
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(metadata ? { metadata } : {}),
      user: w.id.botUserId,
      edited: false,
      history: [],
    };
    w.messages.push(msg);
    return { channel: channel.id, ts: msg.ts, message: w.messageObject(msg) };
  },

  'chat.update'(w, a) {
    const channel = w.channel(a.nonEmpty('channel'));
    const msg = w.message(channel.id, a.nonEmpty('ts'));
    if (!msg) refuse('message_not_found');
    if (msg.user !== w.id.botUserId) refuse('cant_update_message');
    if (channel.is_archived) refuse('is_archived');
    const content = messageContent(a, UPDATE_TEXT_MAX);
    if (!content.text && content.blocks === undefined && !content.hasAttachments) refuse('no_text');
    msg.history.push({
      ...(msg.text !== undefined ? { text: msg.text } : {}),
      ...(msg.blocks !== undefined ? { blocks: msg.blocks } : {}),
    });
    // Slack keeps the previous blocks when `blocks` is omitted ([] removes them); same for text.
    if (content.text !== undefined) msg.text = content.text;
    if (content.blocks !== undefined) msg.blocks = content.blocks;
    msg.edited = true;
    return { channel: channel.id, ts: msg.ts, text: msg.text ?? '', message: w.messageObject(msg) };
  },

  'chat.postEphemeral'(w, a) {
    const channel = w.postTarget(a.nonEmpty('channel'));
    if (channel.is_archived) refuse('is_archived');
    // chat:write.public lets a bot post in any public channel without joining it.
    if (!w.botIsMember(channel) && !(kindOf(channel) === 'public' && w.scopes.has('chat:write.public'))) refuse('not_in_channel');
    const user = w.user(a.nonEmpty('user'));
    if (!channel.members.has(user.id)) refuse('user_not_in_channel');
    const content = messageContent(a, POST_TEXT_MAX);
    requireContent(content);
    const ts = w.nextTs();
    const threadTs = a.nonEmpty('thread_ts');
    w.ephemerals.push({
      channel: channel.id,
      user: user.id,
      ...(content.text !== undefined ? { text: content.text } : {}),
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ts,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    return { message_ts: ts };
  },

  'chat.getPermalink'(w, a) {
    const channel = w.channel(a.nonEmpty('channel'));
    const msg = w.message(channel.id, a.nonEmpty('message_ts'));
    if (!msg) refuse('message_not_found');
    const link = `https://stub.slack.com/archives/${channel.id}/p${msg.ts.replace('.', '')}`;
    // A reply's permalink also names its thread, as Slack's does.
    const thread = msg.thread_ts && msg.thread_ts !== msg.ts ? `?thread_ts=${msg.thread_ts}&cid=${channel.id}` : '';
    return { channel: channel.id, permalink: `${link}${thread}` };
  },
};
