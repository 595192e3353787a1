import type { DeliveryReceipt, OverdueNotice, UpdatePrompt } from '../../comms/ports';
import type { Destination } from '../../comms/destinations';
import { CARD_ACTIONS, PROMPT_ACTIONS } from '../ids';
import { describeSlackError } from '../problemWords';
import { channelText, incidentLabel, severityBadge, statusLabel } from './incidentText';
import type { MessageContent } from './kit';
import { channelMention, escapeMrkdwn, LIMITS, mrkdwn, plain, slackDate, truncate, userMention } from './text';

/** Listed failures in a receipt; the rest are counted. */
const MAX_FAILURES_LISTED = 20;

const label = (p: { incident: UpdatePrompt['incident'] }) => escapeMrkdwn(truncate(incidentLabel(p.incident), 300));

const button = (text: string, action_id: string, value: string, style?: 'primary') => ({
  type: 'button' as const,
  text: plain(text, LIMITS.buttonText),
  action_id,
  value,
  ...(style ? { style } : {}),
});

/** The value a snooze button carries: which incident, and which due time it puts off. */
export const snoozeValue = (incidentId: number, dueAt: Date) => `${incidentId}|${dueAt.toISOString()}`;

export function parseSnoozeValue(value: string): { incidentId: number; dueAt: string } | null {
  const match = /^(\d+)\|(\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/.exec(value);
  return match ? { incidentId: Number(match[1]), dueAt: match[2] } : null;
}

/** The DM asking for a stakeholder update, with the buttons to write it or put it off. */
export function updatePromptMessage(p: UpdatePrompt): MessageContent {
  const overdueMinutes = Math.max(0, Math.round((p.now.getTime() - p.dueAt.getTime()) / 60_000));
  const head =
    p.stage === 'overdue'
      ? `:rotating_light: *The stakeholder update on ${label(p)} is overdue* — it was due ${slackDate(p.dueAt, '{time}')} (${overdueMinutes} min ago).`
      : `:bell: *${p.stage === 'reminder' ? 'Reminder: a' : 'A'} stakeholder update on ${label(p)} is due* ${slackDate(p.dueAt, '{time}')}.`;
  const last = p.lastUpdateAt ? `Last update ${slackDate(p.lastUpdateAt)}.` : 'No update has gone out yet.';
  const who = p.incident.commsId ? `Comms lead: ${userMention(p.incident.commsId)}` : `No comms lead — the commander (${userMention(p.incident.commanderId)}) writes it`;
  return {
    text: p.stage === 'overdue' ? `The update on incident #${p.incident.number} is overdue` : `A stakeholder update on incident #${p.incident.number} is due`,
    blocks: [
      { type: 'section', text: mrkdwn(`${head}\n${severityBadge(p.incident)} · ${statusLabel(p.incident)} · ${channelText(p.incident)}`) },
      { type: 'context', elements: [mrkdwn(`${last} ${who}.`)] },
      {
        type: 'actions',
        elements: [
          button('Write the update', PROMPT_ACTIONS.write, String(p.incident.id), 'primary'),
          button(`No change — remind me in ${p.snoozeMinutes} minute${p.snoozeMinutes === 1 ? '' : 's'}`, PROMPT_ACTIONS.snooze, snoozeValue(p.incident.id, p.dueAt)),
        ],
      },
    ],
  };
}

/** Told once in the incident channel when its update is overdue. */
export function overdueNoticeMessage(n: OverdueNotice): MessageContent {
  const people = n.prompted.map(userMention).join(' ');
  return {
    text: `The stakeholder update for incident #${n.incident.number} is overdue`,
    blocks: [
      {
        type: 'section',
        text: mrkdwn(`:hourglass: *The stakeholder update is overdue* — it was due ${slackDate(n.dueAt, '{time}')}. ${people}, stakeholders are waiting: post one with \`/incident update\`.`),
      },
      { type: 'actions', elements: [button('Post update', CARD_ACTIONS.update, String(n.incident.id), 'primary')] },
    ],
  };
}

function destinationLabel(d: Destination): string {
  switch (d.kind) {
    case 'dm':
      return userMention(d.channel);
    case 'announcement':
      return `the announcement thread in ${channelMention(d.channel)}`;
    case 'incident_channel':
      return `the incident channel ${channelMention(d.channel)}`;
    default:
      return channelMention(d.channel);
  }
}

const failureWords = (d: Destination, code: string) => (d.kind === 'dm' && code === 'is_archived' ? 'that account is deactivated' : describeSlackError(code));

/** Tells the author how far the update went, once every destination is settled. */
export function deliveryReceiptMessage(r: DeliveryReceipt): MessageContent {
  const what = `Your update on ${escapeMrkdwn(truncate(incidentLabel(r.incident), 300))}`;
  if (r.failed.length === 0) {
    const text = `${what} reached ${r.total === 1 ? 'its destination' : `all ${r.total} destinations`}.`;
    return { text, blocks: [{ type: 'section', text: mrkdwn(`:white_check_mark: ${text}`) }] };
  }
  const listed = r.failed.slice(0, MAX_FAILURES_LISTED).map((f) => `• ${destinationLabel(f.destination)} — ${failureWords(f.destination, f.code)}`);
  if (r.failed.length > listed.length) listed.push(`• …and ${r.failed.length - listed.length} more`);
  const text = `${what} reached ${r.reached} of ${r.total} destinations. Not delivered to ${r.failed.length}:`;
  return {
    text: `${text} ${r.failed.map((f) => destinationLabel(f.destination)).join(', ')}`.slice(0, LIMITS.updateText),
    blocks: [{ type: 'section', text: mrkdwn(`:warning: ${text}\n${listed.join('\n')}`) }],
  };
}
