import type { WebClient } from '@slack/web-api';
import { ExternalCallError } from '../errors';
import type { Incident } from '../incidents/model';
import type { IncidentChannels } from '../incidents/ports';
import { announcement } from './blocks/announcement';
import { declaredNotice, sourceThreadReply } from './blocks/declaredNotice';
import { incidentTopic } from './blocks/incidentText';
import { setupDelayedNotice, setupGaveUpNotice } from './blocks/setupNotices';
import { summaryCard } from './blocks/summaryCard';
import { postOnce } from './markedPosts';
import { SLACK_PAGE_LIMIT, slackPages } from './paging';
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
      const listPage = (cursor: string | undefined) =>
        slackCall(() => client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: SLACK_PAGE_LIMIT, cursor }));
      for await (const page of slackPages(listPage)) {
        const match = page.channels?.find((c) => c.name === name);
        if (match) return match.creator === botUserId ? match.id! : null;
      }
      return null;
    },

    async invite(channelId, userIds) {
      const users = [...new Set(userIds)].filter((u) => u !== botUserId);
      for (let i = 0; i < users.length; i += INVITE_BATCH) {
        const batch = users.slice(i, i + INVITE_BATCH).join(',');
        await ignoring(['already_in_channel'], () => client.conversations.invite({ channel: channelId, users: batch }));
      }
    },

    async setTopic(incident: Incident, checkFirst: boolean) {
      const channel = incident.channelId!;
      const topic = incidentTopic(incident);
      // Setting a topic posts a line in the channel; a retry reads it first rather than repeat that line.
      if (checkFirst) {
        const info = await slackCall(() => client.conversations.info({ channel }));
        if (info.channel?.topic?.value === topic) return;
      }
      await slackCall(() => client.conversations.setTopic({ channel, topic }));
    },

    async postSummaryCard(incident, once) {
      return (await postOnce(client, { channel: incident.channelId!, ...summaryCard(incident) }, once)).ts;
    },

    async pin(channelId, ts) {
      await ignoring(['already_pinned'], () => client.pins.add({ channel: channelId, timestamp: ts }));
    },

    async announce(announceChannelId, incident, once) {
      return (await postOnce(client, { channel: announceChannelId, ...announcement(incident), unfurl_links: false }, once)).ts;
    },

    async permalink(channelId, ts) {
      const result = await slackCall(() => client.chat.getPermalink({ channel: channelId, message_ts: ts }));
      return result.permalink!;
    },

    async bookmark(channelId, title, link, checkFirst) {
      if (checkFirst) {
        // An installation from before bookmarks:read cannot look: it adds, as a first attempt would.
        const listed = await slackCall(() => client.bookmarks.list({ channel_id: channelId })).catch((err: unknown) => {
          if (err instanceof ExternalCallError && !err.retryable) return null;
          throw err;
        });
        if (listed?.bookmarks?.some((b) => b.link === link)) return;
      }
      await slackCall(() => client.bookmarks.add({ channel_id: channelId, title, type: 'link', link }));
    },

    async replyInSourceThread(source, incident, once) {
      await postOnce(client, { channel: source.channelId, thread_ts: source.ts, ...sourceThreadReply(incident), unfurl_links: false }, once);
    },

    async notifyDeclarer(incident, problems, once) {
      await postOnce(client, { channel: incident.declaredBy, ...declaredNotice(incident, problems) }, once);
    },

    async notifySetupGaveUp(incident, problems, once) {
      await postOnce(client, { channel: incident.declaredBy, ...setupGaveUpNotice(incident, problems) }, once);
    },

    async tellSetupDelayed(to, incident, delay, once) {
      await postOnce(client, { channel: to, ...setupDelayedNotice(incident, delay) }, once);
    },
  };
}
