import type { WebClient } from '@slack/web-api';
import type { ReviewMessenger } from '../reviews/ports';
import { followUpAssignedMessage, followUpReminderMessage } from './blocks/followUps';
import type { MessageContent } from './blocks/kit';
import { reviewDocument } from './blocks/reviewDocument';
import { reviewPrompt, reviewReminder, reviewSummary } from './blocks/reviewMessages';
import { slackCall } from './slackErrors';

/** Reviews' and follow-ups' messages, sent with Herald's bot token. A user id as channel means a DM. */
export function createReviewMessenger(client: WebClient): ReviewMessenger {
  const post = async (channel: string, content: MessageContent, threadTs?: string): Promise<string> => {
    const result = await slackCall(() => client.chat.postMessage({ channel, ...content, unfurl_links: false, ...(threadTs ? { thread_ts: threadTs } : {}) }));
    return result.ts!;
  };
  return {
    async promptReview(to, incident, review) {
      await post(to, reviewPrompt(incident, review, to === incident.channelId));
    },
    async remindReview(userId, incident, review, overdueDays) {
      await post(userId, reviewReminder(incident, review, overdueDays));
    },
    async publishReview(incident, revision, timeline, alreadyPosted, posted) {
      const parts = reviewDocument(incident, revision, timeline);
      for (const part of parts.slice(alreadyPosted)) await posted(await post(incident.channelId!, part));
    },
    async summarizeReview(channelId, threadTs, incident, revision, followUps) {
      await post(channelId, reviewSummary(incident, revision, followUps), threadTs);
    },
    async followUpAssigned(followUp, incident) {
      await post(followUp.ownerId, followUpAssignedMessage(followUp, incident));
    },
    async remindFollowUp(followUp, incident, overdueDays) {
      await post(followUp.ownerId, followUpReminderMessage(followUp, incident, overdueDays));
    },
  };
}

