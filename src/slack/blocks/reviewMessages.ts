import type { Incident } from '../../incidents/model';
import type { Review, ReviewRevision } from '../../reviews/model';
import { REVIEW_ACTIONS } from '../ids';
import { channelText, incidentLabel } from './incidentText';
import type { MessageContent } from './kit';
import { mrkdwnKeepingMentions } from './longText';
import { CHANGE_CAUSED_LABELS } from './reviewModal';
import { escapeMrkdwn, LIMITS, mrkdwn, plain, slackDate, truncate, userMention } from './text';

const startButton = (incident: Incident) => ({
  type: 'actions' as const,
  elements: [{ type: 'button' as const, text: plain('Start the review', LIMITS.buttonText), action_id: REVIEW_ACTIONS.start, value: String(incident.id), style: 'primary' as const }],
});

const BLAMELESS_NOTE = 'The review is blameless: it asks what about our systems and conditions made this possible, not who.';

const label = (incident: Incident) => escapeMrkdwn(truncate(incidentLabel(incident), 300));

/** Asks the commander for the review as soon as the incident is resolved: in the channel, or by DM. */
export function reviewPrompt(incident: Incident, review: Review, inChannel: boolean): MessageContent {
  const due = review.dueAt ? ` It is due ${slackDate(review.dueAt)}.` : '';
  const head = inChannel
    ? `:memo: ${userMention(incident.commanderId)}, incident *${label(incident)}* is resolved — time to learn from it with a post-incident review.${due}`
    : `:memo: Incident *${label(incident)}* (${channelText(incident)}) is resolved — as its commander, please write the post-incident review.${due}`;
  return {
    text: `Incident #${incident.number} is resolved: the post-incident review is due${review.dueAt ? ` ${review.dueAt.toISOString().slice(0, 10)}` : ''}`,
    blocks: [{ type: 'section', text: mrkdwn(head) }, startButton(incident), { type: 'context', elements: [mrkdwn(BLAMELESS_NOTE)] }],
  };
}

/** The DM reminding the commander that the review is due, or how long it has been overdue. */
export function reviewReminder(incident: Incident, review: Review, overdueDays: number): MessageContent {
  const when =
    overdueDays === 0
      ? 'is due now'
      : `is overdue by ${overdueDays} day${overdueDays === 1 ? '' : 's'}${review.dueAt ? ` (it was due ${slackDate(review.dueAt)})` : ''}`;
  const draft = review.status === 'draft' ? ' Your draft is saved — pick up where you left off.' : '';
  return {
    text: `The post-incident review of incident #${incident.number} ${overdueDays === 0 ? 'is due now' : `is overdue by ${overdueDays} day${overdueDays === 1 ? '' : 's'}`}`,
    blocks: [{ type: 'section', text: mrkdwn(`:alarm_clock: The post-incident review of *${label(incident)}* (${channelText(incident)}) ${when}.${draft}`) }, startButton(incident)],
  };
}

/** The short note in the announcement's thread once the review is published. */
export function reviewSummary(incident: Incident, revision: ReviewRevision, followUps: number): MessageContent {
  const c = revision.content;
  const lines = [
    `:memo: *Post-incident review ${revision.revision > 1 ? 'revised' : 'published'}* in ${channelText(incident)}`,
    `>${mrkdwnKeepingMentions(truncate(c.summary.trim(), 600)).replace(/\n/g, '\n>')}`,
    `*Impact duration:* ${c.impactDuration.trim() ? escapeMrkdwn(truncate(c.impactDuration.trim(), 100)) : '_not given_'} · *Caused by a change:* ${CHANGE_CAUSED_LABELS[c.changeCaused]} · *Follow-ups:* ${followUps}`,
  ];
  return { text: `Post-incident review of incident #${incident.number} published`, blocks: [{ type: 'section', text: mrkdwn(lines.join('\n')) }] };
}
