import type { WebClient } from '@slack/web-api';
import type { ChannelArchiver } from '../incidents/ports';
import { archiveNotice } from './blocks/archiveNotice';
import { postOnce } from './markedPosts';
import { slackCall } from './slackErrors';

export function createChannelArchiver(client: WebClient): ChannelArchiver {
  return {
    async warnOfArchive(incident, archiveAt, once) {
      await postOnce(client, { channel: incident.channelId, ...archiveNotice(incident, archiveAt) }, once);
    },
    async archive(channelId) {
      await slackCall(() => client.conversations.archive({ channel: channelId }));
    },
  };
}
