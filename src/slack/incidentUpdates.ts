import type { WebClient } from '@slack/web-api';
import type { IncidentUpdates } from '../incidents/ports';
import { announcement } from './blocks/announcement';
import { announcementReply, changeNote } from './blocks/changeNote';
import { summaryCard } from './blocks/summaryCard';
import { createIncidentChannels } from './incidentChannels';
import { postOnce, unlessGone } from './markedPosts';
import { slackCall } from './slackErrors';

export function createIncidentUpdates(client: WebClient, botUserId: string): IncidentUpdates {
  const channels = createIncidentChannels(client, botUserId);

  return {
    async updateSummaryCard(incident) {
      await slackCall(() => client.chat.update({ channel: incident.channelId!, ts: incident.cardTs!, ...summaryCard(incident) }));
    },

    setTopic: (incident) => channels.setTopic(incident, false),
    invite: (channelId, userIds) => channels.invite(channelId, userIds),

    async postChangeNote(incident, change, once) {
      return (await postOnce(client, { channel: incident.channelId!, ...changeNote(change, change.actorId) }, once)).ts;
    },

    async postAnnouncementReply(incident, change, once) {
      const reply = announcementReply(incident, change, change.actorId);
      return (await postOnce(client, { channel: incident.announcementChannelId!, thread_ts: incident.announcementTs!, ...reply }, once)).ts;
    },

    async updateAnnouncement(incident) {
      await slackCall(() =>
        client.chat.update({ channel: incident.announcementChannelId!, ts: incident.announcementTs!, ...announcement(incident) }),
      );
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
