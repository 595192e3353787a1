import type { WebClient } from '@slack/web-api';
import type { PostOnce } from '../outbox/steps';
import { ExternalCallError } from '../errors';
import type { MessageContent } from './blocks/kit';
import { slackCall } from './slackErrors';

/** The metadata event type on Herald's posts; the payload's `marker` names the outbox job (and step) that posted it. */
const MARKER_EVENT = 'herald_post';
/** How far before an interrupted attempt to look for its post (clocks differ a little). */
const LOOK_BACK_S = 300;
/** Messages read when looking for a post; an interrupted post is among the latest. */
const LOOK_AT = 200;

/** Codes that mean the message is not there (any more). */
const GONE = ['message_not_found', 'thread_not_found'];

/** Where a message goes: a channel id, or a user id for that person's DM; a thread when `thread_ts` is set. */
export interface MarkedMessage extends MessageContent {
  channel: string;
  thread_ts?: string;
  unfurl_links?: boolean;
}

/** Where a post landed: the conversation's own id (a DM's D… id for a user) and the message's ts. */
export interface Posted {
  channel: string;
  ts: string;
}

type Found = { ts?: string; metadata?: { event_type?: string; event_payload?: Record<string, unknown> } };

const markedWith = (marker: string) => (m: Found) => m.metadata?.event_type === MARKER_EVENT && m.metadata.event_payload?.marker === marker;

/** Runs a call that reads a message or thread; null when it no longer exists. */
export async function unlessGone<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await slackCall(call);
  } catch (err) {
    if (err instanceof ExternalCallError && GONE.includes(err.code)) return null;
    throw err;
  }
}

/** Slack takes a user id as a post's channel (the DM), but reading the DM needs its own id. */
const isUserId = (id: string) => /^[UW][A-Z0-9]+$/.test(id);

async function readableChannel(client: WebClient, channel: string): Promise<string> {
  if (!isUserId(channel)) return channel;
  const opened = await slackCall(() => client.conversations.open({ users: channel }));
  return opened.channel!.id!;
}

/** A post carrying `marker` made since `since` where `where` points (in its thread when it has one), if any. */
async function findMarkedPost(client: WebClient, where: Pick<MarkedMessage, 'channel' | 'thread_ts'>, marker: string, since: Date): Promise<Posted | null> {
  const channel = await readableChannel(client, where.channel);
  const oldest = String(Math.floor(since.getTime() / 1000) - LOOK_BACK_S);
  const window = { channel, oldest, include_all_metadata: true, limit: LOOK_AT };
  const threadTs = where.thread_ts;
  const page = threadTs
    ? await unlessGone(() => client.conversations.replies({ ...window, ts: threadTs }))
    : await slackCall(() => client.conversations.history(window));
  const found = ((page?.messages ?? []) as Found[]).find(markedWith(marker));
  return found?.ts ? { channel, ts: found.ts } : null;
}

/**
 * Posts `message` carrying `once.marker` in its metadata. Slack has no idempotency key: when an earlier
 * attempt may have posted it without Herald hearing back (`once.lookSince`), the destination's latest
 * messages are read first and a post with the marker is adopted instead of posting again. The first
 * attempt just posts. When Slack refuses the look for good (say a public channel the bot posts to
 * through chat:write.public but cannot read), Herald cannot see an earlier post: it posts, and the
 * post's own answer decides — a second copy is better than an update lost.
 */
export async function postOnce(client: WebClient, message: MarkedMessage, once: PostOnce): Promise<Posted> {
  if (once.lookSince) {
    const found = await findMarkedPost(client, message, once.marker, once.lookSince).catch((err: unknown) => {
      if (err instanceof ExternalCallError && !err.retryable) return null;
      throw err;
    });
    if (found) return found;
  }
  const metadata = { event_type: MARKER_EVENT, event_payload: { marker: once.marker } };
  const result = await slackCall(() => client.chat.postMessage({ ...message, metadata }));
  return { channel: result.channel!, ts: result.ts! };
}
