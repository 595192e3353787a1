import type { Incident } from '../../incidents/model';
import { describeProblem } from '../problemWords';
import { channelText, incidentLabel, severityBadge } from './incidentText';
import type { MessageContent } from './kit';
import { escapeMrkdwn, mrkdwn, truncate } from './text';

/** The DM telling the declarer where the incident lives, and what Herald could not do. */
export function declaredNotice(incident: Incident, problems: string[]): MessageContent {
  const where = incident.channelId
    ? `is open in ${channelText(incident)} — head there to run it.`
    : 'is recorded, but its channel could not be created.';
  const head = `${severityBadge(incident)} Incident *${escapeMrkdwn(truncate(incidentLabel(incident), 300))}* ${where}`;
  const blocks: MessageContent['blocks'] = [{ type: 'section', text: mrkdwn(head) }];
  if (problems.length > 0) {
    blocks.push({ type: 'section', text: mrkdwn(`:warning: ${problems.slice(0, 10).map(describeProblem).join('\n:warning: ')}`) });
  }
  return { text: `Incident #${incident.number} ${incident.channelId ? 'is ready' : 'needs attention'}`, blocks };
}

/** The reply in the thread of the message an incident was declared from: where it is run. */
export function sourceThreadReply(incident: Incident): MessageContent {
  const what = incident.isDrill ? 'A drill' : 'An incident';
  const where = incident.channelId ? `is run in ${channelText(incident)}` : 'is being set up';
  const head = `${severityBadge(incident)} ${what} was declared from this message: *${escapeMrkdwn(truncate(incidentLabel(incident), 300))}* ${where}.`;
  return { text: `${what} was declared from this message: #${incident.number} ${where}`, blocks: [{ type: 'section', text: mrkdwn(head) }] };
}
