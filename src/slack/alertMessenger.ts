import type { WebClient } from '@slack/web-api';
import type { AlertMessenger } from '../signals/ports';
import { alertGroupResolvedMessage, alertTriageMessage } from './blocks/alertTriage';
import { postOnce } from './markedPosts';
import { slackCall } from './slackErrors';

export function createAlertMessenger(client: WebClient): AlertMessenger {
  return {
    async postTriage(channel, view, once) {
      return postOnce(client, { channel, ...alertTriageMessage(view), unfurl_links: false }, once);
    },
    async updateTriage(channel, ts, view) {
      await slackCall(() => client.chat.update({ channel, ts, ...alertTriageMessage(view) }));
    },
    async tellGroupResolved(channelId, view, once) {
      await postOnce(client, { channel: channelId, ...alertGroupResolvedMessage(view) }, once);
    },
  };
}
