import { isOpen, type Incident } from '../../incidents/model';
import { channelText, incidentLabel, milestonesLine, servicesText, severityBadge, statusLabel } from './incidentText';
import type { MessageContent } from './kit';
import { escapeMrkdwn, LIMITS, mrkdwn, truncate, userMention } from './text';

/**
 * The post in ANNOUNCE_CHANNEL that tells the organisation an incident is running and where. It is
 * redrawn on every change, so it always shows the incident as it is now.
 */
export function announcement(incident: Incident): MessageContent {
  const title = escapeMrkdwn(truncate(incidentLabel(incident), 500));
  const icon = isOpen(incident) ? ':rotating_light:' : ':white_check_mark:';
  const lines = [
    `${icon} *${severityBadge(incident)} · Incident ${title}*`,
    `*Status:* ${statusLabel(incident)} · *Commander:* ${userMention(incident.commanderId)}`,
    `*Services:* ${servicesText(incident)}`,
    `*Join:* ${channelText(incident)}`,
  ];
  if (incident.summary) lines.push(`>${escapeMrkdwn(truncate(incident.summary, 1500)).replace(/\n/g, '\n>')}`);
  return {
    text: `${incident.severity} incident #${incident.number} (${incident.status}): ${incident.title}`,
    blocks: [
      { type: 'section', text: mrkdwn(lines.join('\n'), LIMITS.sectionText) },
      { type: 'context', elements: [mrkdwn(`${milestonesLine(incident)} · Declared by ${userMention(incident.declaredBy)}`)] },
    ],
  };
}
