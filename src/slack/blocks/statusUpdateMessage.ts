import type { Destination } from '../../comms/destinations';
import type { StatusUpdate } from '../../comms/statusUpdateRepository';
import type { Incident } from '../../incidents/model';
import { channelText, incidentLabel, servicesText, severityBadge, severityLine } from './incidentText';
import type { MessageContent } from './kit';
import { capitalize, escapeMrkdwn, LIMITS, mrkdwn, plain, slackDate, truncate, userMention } from './text';

const quote = (text: string) => escapeMrkdwn(text).replace(/\n/g, '\n>');

function footer(update: StatusUpdate, incident: Incident, destination: Pick<Destination, 'kind' | 'reason'>): string {
  const parts: string[] = [];
  if (update.status === 'resolved') parts.push('*Resolved* — this is the final update.');
  else if (update.nextUpdateAt) parts.push(`*Next update* by ${slackDate(update.nextUpdateAt, '{time}')}`);
  parts.push(`Posted by ${userMention(update.authorId)} ${slackDate(update.postedAt)}`);
  if (destination.kind !== 'incident_channel') parts.push(`Details in ${channelText(incident)}`);
  return parts.join(' · ');
}

function whyYouGetThis(incident: Incident, destination: Pick<Destination, 'kind' | 'reason'>): string | null {
  if (destination.kind === 'dm' && destination.reason === 'subscriber') {
    return `You subscribed to this incident. Stop with \`/incident unsubscribe\` in ${channelText(incident)}.`;
  }
  if (destination.kind === 'dm' || destination.kind === 'stakeholder_channel') return `Sent to you as ${escapeMrkdwn(destination.reason)}.`;
  return null;
}

/**
 * A status update as people who were not in the room need it: which incident, how bad, what customers
 * see, what is being done, when they will hear next, and where to follow along.
 */
export function statusUpdateMessage(update: StatusUpdate, incident: Incident, destination: Pick<Destination, 'kind' | 'reason'>): MessageContent {
  const sev = { severity: update.severity };
  const header = truncate(`📣 Update on incident ${incidentLabel(incident)}`, LIMITS.header);
  const why = whyYouGetThis(incident, destination);
  const blocks: MessageContent['blocks'] = [
    { type: 'header', text: plain(header, LIMITS.header) },
    {
      type: 'section',
      fields: [
        mrkdwn(`*Severity*\n${severityBadge(sev)}`, LIMITS.field),
        mrkdwn(`*Status*\n${capitalize(update.status)}`, LIMITS.field),
        mrkdwn(`*Services*\n${servicesText(incident)}`, LIMITS.field),
        mrkdwn(`*Started*\n${slackDate(incident.declaredAt)}`, LIMITS.field),
      ],
    },
    { type: 'section', text: mrkdwn(`*Customer impact*\n>${quote(update.customerImpact)}`) },
    { type: 'section', text: mrkdwn(`*What we are doing*\n>${quote(update.actions)}`) },
    { type: 'context', elements: [mrkdwn(footer(update, incident, destination))] },
  ];
  if (why) blocks.push({ type: 'context', elements: [mrkdwn(`${why} ${severityLine(sev)}.`)] });
  const text = `Update on incident #${incident.number} (${update.severity}, ${update.status}): ${incident.title}. Impact: ${update.customerImpact}`;
  return { text: truncate(text, LIMITS.sectionText), blocks };
}
