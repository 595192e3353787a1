import type { Incident } from '../../incidents/model';
import { SETUP_ACTIONS } from '../ids';
import { declaredNotice } from './declaredNotice';
import { incidentLabel } from './incidentText';
import type { MessageContent } from './kit';
import { escapeMrkdwn, LIMITS, mrkdwn, plain, slackDate, truncate } from './text';

/**
 * Setup is waiting for Slack: said once to the declarer (and, once it exists, in the incident's
 * channel), so nobody wonders whether the declaration was lost.
 */
export function setupDelayedNotice(incident: Pick<Incident, 'number' | 'title'>, delay: { since: Date; inChannel: boolean }): MessageContent {
  const label = escapeMrkdwn(truncate(incidentLabel(incident), 300));
  const text = delay.inChannel
    ? `:hourglass: Setting up this channel took longer than usual: Slack was not answering Herald from ${slackDate(delay.since, '{time}')}. Herald kept trying; anything still missing follows as soon as Slack lets it.`
    : `:hourglass: Incident *${label}* is recorded, but Slack has not been answering Herald since ${slackDate(delay.since, '{time}')}. Herald keeps trying to set up its channel and will tell you here when it is ready — no need to declare it again.`;
  const summary = delay.inChannel
    ? `Setting up incident #${incident.number} took longer than usual: Slack was not answering`
    : `Incident #${incident.number}: Slack is not answering; Herald keeps trying`;
  return { text: summary, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

/** The declarer's notice that setup gave up: what is missing, and a button to try again. */
export function setupGaveUpNotice(incident: Incident, problems: string[]): MessageContent {
  const notice = declaredNotice(incident, problems);
  return {
    text: notice.text,
    blocks: [
      ...notice.blocks,
      {
        type: 'actions',
        elements: [{ type: 'button', text: plain('Try again', LIMITS.buttonText), action_id: SETUP_ACTIONS.retry, value: String(incident.id), style: 'primary' }],
      },
    ],
  };
}
