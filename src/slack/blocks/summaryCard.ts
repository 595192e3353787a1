import type { Incident } from '../../incidents/model';
import { CARD_ACTIONS, CARD_BLOCKS } from '../ids';
import { cardDeploymentsBlock } from './deployments';
import { DRILL_MARK, incidentLabel, milestonesLine, servicesText, severityBadge, severityLine, statusLabel } from './incidentText';
import type { Button, KnownBlock, MessageContent } from './kit';
import { escapeMrkdwn, LIMITS, mrkdwn, plain, truncate, userMention } from './text';

const button = (text: string, action_id: string, value: string, style?: 'primary' | 'danger'): Button => ({
  type: 'button',
  text: plain(text, LIMITS.buttonText),
  action_id,
  value,
  ...(style ? { style } : {}),
});

/** Resolving starts the review and tells the organisation, so the button asks first. */
const resolveConfirmation = (incident: Incident) => ({
  title: plain('Resolve this incident?', 100),
  text: plain(`Customers are no longer affected by #${incident.number}? Resolving tells the organisation and starts the review.`, 300),
  confirm: plain('Resolve', 30),
  deny: plain('Not yet', 30),
});

/** The pinned summary card in the incident channel: the incident at a glance, and what to do next. */
export function summaryCard(incident: Incident): MessageContent {
  const value = String(incident.id);
  const fields = [
    mrkdwn(`*Severity*\n${severityBadge(incident)}`, LIMITS.field),
    mrkdwn(`*Status*\n${statusLabel(incident)}`, LIMITS.field),
    mrkdwn(`*Commander*\n${userMention(incident.commanderId)}`, LIMITS.field),
    mrkdwn(`*Comms lead*\n${incident.commsId ? userMention(incident.commsId) : '_the commander_'}`, LIMITS.field),
    mrkdwn(`*Services*\n${servicesText(incident)}`, LIMITS.field),
  ];
  if (incident.scribeId) fields.push(mrkdwn(`*Scribe*\n${userMention(incident.scribeId)}`, LIMITS.field));
  const header = truncate(`${incident.isPrivate ? '🔒 ' : ''}${incident.isDrill ? 'Drill' : 'Incident'} ${incidentLabel(incident)}`, LIMITS.header);
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(header, LIMITS.header) },
    ...(incident.isDrill
      ? [{ type: 'context' as const, elements: [mrkdwn(`${DRILL_MARK} *This is a drill.* It runs like an incident, but it is not announced, not sent to stakeholders and not counted in any figure.`)] }]
      : []),
    { type: 'section', fields },
    { type: 'section', text: mrkdwn(`*Summary*\n${incident.summary ? escapeMrkdwn(incident.summary) : '_No summary yet._'}`) },
  ];
  const deployments = cardDeploymentsBlock(incident.deployments);
  if (deployments) blocks.push(deployments);
  // A closed incident no longer changes: its card keeps the record, without buttons.
  if (incident.status !== 'closed') {
    const actions = [
      button('Post update', CARD_ACTIONS.update, value, 'primary'),
      button('Change status', CARD_ACTIONS.status, value),
      button('Change severity', CARD_ACTIONS.severity, value),
      button('Assign role', CARD_ACTIONS.role, value),
    ];
    if (incident.status !== 'resolved') actions.push({ ...button('Resolve', CARD_ACTIONS.resolve, value, 'danger'), confirm: resolveConfirmation(incident) });
    blocks.push({ type: 'actions', block_id: CARD_BLOCKS.actions, elements: actions });
  }
  blocks.push({
    type: 'context',
    elements: [mrkdwn(milestonesLine(incident)), mrkdwn(`${severityLine(incident)} · This card is kept up to date by Herald.`)],
  });
  return { text: `${incident.isDrill ? `${DRILL_MARK} Drill` : 'Incident'} #${incident.number} (${incident.severity}, ${incident.status}): ${incident.title}`, blocks };
}
