import type { WebClient } from '@slack/web-api';
import type { CommsMessenger } from '../comms/ports';
import { statusUpdateMessage } from './blocks/statusUpdateMessage';
import { deliveryReceiptMessage, overdueNoticeMessage, updatePromptMessage } from './blocks/updatePrompt';
import { postOnce } from './markedPosts';

/**
 * Posts comms messages. A DM is posted with the person's user id as the channel, which Slack accepts
 * without a conversations.open round-trip (only a retry looking for a lost post opens the DM to read it).
 */
export function createCommsMessenger(client: WebClient): CommsMessenger {
  return {
    async postUpdate(update, incident, destination, once) {
      const message = {
        channel: destination.channel,
        ...(destination.threadTs ? { thread_ts: destination.threadTs } : {}),
        ...statusUpdateMessage(update, incident, destination),
        unfurl_links: false,
      };
      return postOnce(client, message, once);
    },
    async sendPrompt(userId, prompt, once) {
      await postOnce(client, { channel: userId, ...updatePromptMessage(prompt) }, once);
    },
    async postOverdueNotice(channelId, notice, once) {
      await postOnce(client, { channel: channelId, ...overdueNoticeMessage(notice) }, once);
    },
    async sendReceipt(userId, receipt, once) {
      await postOnce(client, { channel: userId, ...deliveryReceiptMessage(receipt) }, once);
    },
  };
}
