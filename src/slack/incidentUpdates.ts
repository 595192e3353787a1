import type { WebClient } from '@slack/web-api';
import { ExternalCallError } from '../errors';
import type { IncidentUpdates } from '../incidents/ports';
import { announcement } from './blocks/announcement';
import { announcementReply, changeNote } from './blocks/changeNote';
import { summaryCard } from './blocks/summaryCard';
import { createIncidentChannels } from './incidentChannels';
import { slackCall } from './slackErrors';

/** The metadata event type on Herald's posts; the payload's `marker` names the outbox step that posted it. */
const MARKER_EVENT = 'herald_post';
/** How far before an interrupted attempt to look for its post (clocks differ a little). */
const LOOK_BACK_S = 300;
/** Messages read when looking for a post; an interrupted post is among the latest. */
const LOOK_AT = 200;

type Found = { ts?: string; metadata?: { event_type?: string; event_payload?: Record<string, unknown> } };

const markedWith = (marker: string) => (m: Found) => m.metadata?.event_type === MARKER_EVENT && m.metadata.event_payload?.marker === marker;

/** Codes that mean the message is not there (any more). */
const GONE = ['message_not_found', 'thread_not_found'];

async function unlessGone<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await slackCall(call);
  } catch (err) {
    if (err instanceof ExternalCallError && GONE.includes(err.code)) return null;
    throw err;
  }
}

export function createIncidentUpdates(client: WebClient, botUserId: string): IncidentUpdates {
  const channels = createIncidentChannels(client, botUserId);
  const metadata = (marker: string) => ({ event_type: MARKER_EVENT, event_payload: { marker } });

  return {
    async updateSummaryCard(incident) {
      await slackCall(() => client.chat.update({ channel: incident.channelId!, ts: incident.cardTs!, ...summaryCard(incident) }));
    },

    setTopic: (incident) => channels.setTopic(incident),
    invite: (channelId, userIds) => channels.invite(channelId, userIds),

    async postChangeNote(incident, change, marker) {
      const result = await slackCall(() =>
        client.chat.postMessage({ channel: incident.channelId!, ...changeNote(change, change.actorId), metadata: metadata(marker) }),
      );
      return result.ts!;
    },

    async postAnnouncementReply(incident, change, marker) {
      const result = await slackCall(() =>
        client.chat.postMessage({
          channel: incident.announcementChannelId!,
          thread_ts: incident.announcementTs!,
          ...announcementReply(incident, change, change.actorId),
          metadata: metadata(marker),
        }),
      );
      return result.ts!;
    },

    async updateAnnouncement(incident) {
      await slackCall(() =>
        client.chat.update({ channel: incident.announcementChannelId!, ts: incident.announcementTs!, ...announcement(incident) }),
      );
    },

    async findMarkedPost(channelId, marker, since, threadTs) {
      const oldest = String(Math.floor(since.getTime() / 1000) - LOOK_BACK_S);
      const page = threadTs
        ? await unlessGone(() => client.conversations.replies({ channel: channelId, ts: threadTs, oldest, include_all_metadata: true, limit: LOOK_AT }))
        : await slackCall(() => client.conversations.history({ channel: channelId, oldest, include_all_metadata: true, limit: LOOK_AT }));
      const found = ((page?.messages ?? []) as Found[]).find(markedWith(marker));
      return found?.ts ?? null;
    },

    async readMessage(channelId, ts) {
      const window = { channel: channelId, latest: ts, oldest: ts, inclusive: true };
      const history = await slackCall(() => client.conversations.history({ ...window, limit: 1 }));
      let message = history.messages?.find((m) => m.ts === ts);
      // A reply in a thread is not in the channel's history; its thread has it.
      if (!message) message = (await unlessGone(() => client.conversations.replies({ ...window, ts })))?.messages?.find((m) => m.ts === ts);
      if (!message) return null;
      const link = await unlessGone(() => client.chat.getPermalink({ channel: channelId, message_ts: ts }));
      return { ts, authorId: message.user ?? null, text: message.text ?? '', permalink: link?.permalink ?? null };
    },
  };
}
