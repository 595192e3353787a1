import type { WebClient } from '@slack/web-api';
import type { PostOnce } from '../outbox/steps';
import type { ReviewMessenger } from '../reviews/ports';
import { followUpAssignedMessage, followUpReminderMessage } from './blocks/followUps';
import type { MessageContent } from './blocks/kit';
import { reviewDocument } from './blocks/reviewDocument';
import { reviewPrompt, reviewReminder, reviewSummary } from './blocks/reviewMessages';
import { postOnce } from './markedPosts';

/** Reviews' and follow-ups' messages, sent with Herald's bot token. A user id as channel means a DM. */
export function createReviewMessenger(client: WebClient): ReviewMessenger {
  const post = async (channel: string, content: MessageContent, once: PostOnce, threadTs?: string): Promise<string> => {
    const message = { channel, ...content, unfurl_links: false, ...(threadTs ? { thread_ts: threadTs } : {}) };
    return (await postOnce(client, message, once)).ts;
  };
  return {
    async promptReview(to, incident, review, once) {
      await post(to, reviewPrompt(incident, review, to === incident.channelId), once);
    },
    async remindReview(userId, incident, review, overdueDays, once) {
      await post(userId, reviewReminder(incident, review, overdueDays), once);
    },
    async publishReview(incident, revision, timeline, alreadyPosted, posted, partOnce) {
      const parts = reviewDocument(incident, revision, timeline);
      for (let i = alreadyPosted; i < parts.length; i += 1) await posted(await post(incident.channelId!, parts[i], partOnce(i)));
    },
    async summarizeReview(channelId, threadTs, incident, revision, followUps, once) {
      await post(channelId, reviewSummary(incident, revision, followUps), once, threadTs);
    },
    async followUpAssigned(followUp, incident, once) {
      await post(followUp.ownerId, followUpAssignedMessage(followUp, incident), once);
    },
    async remindFollowUp(followUp, incident, overdueDays, once) {
      await post(followUp.ownerId, followUpReminderMessage(followUp, incident, overdueDays), once);
    },
  };
}

