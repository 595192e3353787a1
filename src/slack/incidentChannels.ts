import type { WebClient } from '@slack/web-api';
import { ExternalCallError } from '../errors';
import type { Incident } from '../incidents/model';
import type { IncidentChannels } from '../incidents/ports';
import { announcement } from './blocks/announcement';
import { declaredNotice } from './blocks/declaredNotice';
import { incidentTopic } from './blocks/incidentText';
import { setupDelayedNotice, setupGaveUpNotice } from './blocks/setupNotices';
import { summaryCard } from './blocks/summaryCard';
import { postOnce } from './markedPosts';
import { slackCall } from './slackErrors';

/** Slack allows this many users per conversations.invite call. */
const INVITE_BATCH = 100;

/** Errors that mean the work is already done, e.g. a retry of a call whose answer was lost. */
async function ignoring(codes: string[], call: () => Promise<unknown>): Promise<void> {
  try {
    await slackCall(call);
  } catch (err) {
    if (!(err instanceof ExternalCallError && codes.includes(err.code))) throw err;
  }
}

export function createIncidentChannels(client: WebClient, botUserId: string): IncidentChannels {
  return {
    async createChannel(name, isPrivate) {
      try {
        const result = await slackCall(() => client.conversations.create({ name, is_private: isPrivate }));
        return { id: result.channel!.id! };
      } catch (err) {
        if (err instanceof ExternalCallError && err.code === 'name_taken') return 'name_taken';
        throw err;
      }
    },

    async findOwnChannelByName(name) {
      let cursor: string | undefined;
      do {
        const page = await slackCall(() =>
          client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 1000, cursor }),
        );
        const match = page.channels?.find((c) => c.name === name);
        if (match) return match.creator === botUserId ? match.id! : null;
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return null;
    },

    async invite(channelId, userIds) {
      const users = [...new Set(userIds)].filter((u) => u !== botUserId);
      for (let i = 0; i < users.length; i += INVITE_BATCH) {
        const batch = users.slice(i, i + INVITE_BATCH).join(',');
        await ignoring(['already_in_channel'], () => client.conversations.invite({ channel: channelId, users: batch }));
      }
    },

    async setTopic(incident: Incident) {
      await slackCall(() => client.conversations.setTopic({ channel: incident.channelId!, topic: incidentTopic(incident) }));
    },

    async postSummaryCard(incident) {
      const result = await slackCall(() => client.chat.postMessage({ channel: incident.channelId!, ...summaryCard(incident) }));
      return result.ts!;
    },

    async pin(channelId, ts) {
      await ignoring(['already_pinned'], () => client.pins.add({ channel: channelId, timestamp: ts }));
    },

    async announce(announceChannelId, incident) {
      const result = await slackCall(() => client.chat.postMessage({ channel: announceChannelId, ...announcement(incident), unfurl_links: false }));
      return result.ts!;
    },

    async permalink(channelId, ts) {
      const result = await slackCall(() => client.chat.getPermalink({ channel: channelId, message_ts: ts }));
      return result.permalink!;
    },

    async bookmark(channelId, title, link) {
      await slackCall(() => client.bookmarks.add({ channel_id: channelId, title, type: 'link', link }));
    },

    async notifyDeclarer(incident, problems) {
      await slackCall(() => client.chat.postMessage({ channel: incident.declaredBy, ...declaredNotice(incident, problems) }));
    },

    async notifySetupGaveUp(incident, problems, once) {
      await postOnce(client, { channel: incident.declaredBy, ...setupGaveUpNotice(incident, problems) }, once);
    },

    async tellSetupDelayed(to, incident, delay, once) {
      await postOnce(client, { channel: to, ...setupDelayedNotice(incident, delay) }, once);
    },
  };
}
