import type { Incident } from '../../incidents/model';
import { CARD_ACTIONS, CARD_BLOCKS } from '../ids';
import { incidentLabel, servicesText, severityBadge, severityLine, statusLabel } from './incidentText';
import type { MessageContent } from './kit';
import { escapeMrkdwn, LIMITS, mrkdwn, plain, slackDate, truncate, userMention } from './text';

const button = (text: string, action_id: string, value: string, style?: 'primary' | 'danger') => ({
  type: 'button' as const,
  text: plain(text, LIMITS.buttonText),
  action_id,
  value,
  ...(style ? { style } : {}),
});

/** The pinned summary card in the incident channel: the incident at a glance, and what to do next. */
export function summaryCard(incident: Incident): MessageContent {
  const value = String(incident.id);
  const roles = [`*Commander*\n${userMention(incident.commanderId)}`];
  const fields = [
    mrkdwn(`*Severity*\n${severityBadge(incident)}`, LIMITS.field),
    mrkdwn(`*Status*\n${statusLabel(incident)}`, LIMITS.field),
    mrkdwn(roles[0], LIMITS.field),
    mrkdwn(`*Comms lead*\n${incident.commsId ? userMention(incident.commsId) : '_the commander_'}`, LIMITS.field),
    mrkdwn(`*Services*\n${servicesText(incident)}`, LIMITS.field),
    mrkdwn(`*Declared*\n${slackDate(incident.declaredAt)}`, LIMITS.field),
  ];
  if (incident.scribeId) fields.push(mrkdwn(`*Scribe*\n${userMention(incident.scribeId)}`, LIMITS.field));
  const isDone = incident.status === 'resolved' || incident.status === 'closed';
  const actions = [
    button('Post update', CARD_ACTIONS.update, value, 'primary'),
    button('Change status', CARD_ACTIONS.status, value),
    button('Change severity', CARD_ACTIONS.severity, value),
    button('Assign role', CARD_ACTIONS.role, value),
    ...(isDone ? [] : [button('Resolve', CARD_ACTIONS.resolve, value, 'danger')]),
  ];
  const header = truncate(`${incident.isPrivate ? '🔒 ' : ''}Incident ${incidentLabel(incident)}`, LIMITS.header);
  return {
    text: `Incident #${incident.number} (${incident.severity}, ${incident.status}): ${incident.title}`,
    blocks: [
      { type: 'header', text: plain(header, LIMITS.header) },
      { type: 'section', fields },
      { type: 'section', text: mrkdwn(`*Summary*\n${incident.summary ? escapeMrkdwn(incident.summary) : '_No summary yet._'}`) },
      { type: 'actions', block_id: CARD_BLOCKS.actions, elements: actions },
      { type: 'context', elements: [mrkdwn(`${severityLine(incident)} · This card is kept up to date by Herald.`)] },
    ],
  };
}
