import type { TriageView } from '../../signals/ports';
import { ALERT_ACTIONS, ALERT_BLOCKS } from '../ids';
import type { Button, KnownBlock, MessageContent } from './kit';
import { escapeMrkdwn, LIMITS, mrkdwn, plain, slackDate, truncate, userMention, channelMention } from './text';

/** Longest source link shown (Slack's text limit is 3,000 characters). */
const MAX_LINK = 2_900;

const SOURCE_NAMES = { alertmanager: 'Alertmanager', grafana: 'Grafana', generic: 'Monitoring' } as const;

/** One line per alert: resolved ones struck through. */
function alertLine(a: TriageView['alerts'][number]): string {
  const text = `${escapeMrkdwn(truncate(a.name, 120))}${a.summary ? ` — ${escapeMrkdwn(truncate(a.summary, 160))}` : ''}`;
  return a.status === 'resolved' ? `• ~${text}~` : `• 🔥 ${text}`;
}

function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', action_id: actionId, text: plain(text, LIMITS.buttonText), value, ...(style ? { style } : {}) };
}

/**
 * The triage message of one alert group: what fires, since when, for which service, a link to the
 * source, the alerts (capped, "and N more") and what to do about it. Pure; within Block Kit's limits
 * whatever the group's size.
 */
export function alertTriageMessage(view: TriageView): MessageContent {
  const total = view.firing + view.resolved;
  const state = view.status === 'firing' ? `🚨 *${view.firing} of ${total} firing*` : `✅ *All ${total} resolved*`;
  const head = `${SOURCE_NAMES[view.source]}: ${truncate(view.title, 200)}`;
  const facts = [
    state,
    `since ${slackDate(view.firstFiredAt)}`,
    view.service ? `service *${escapeMrkdwn(truncate(view.service, 80))}*` : 'no known service',
    ...(view.severityLabel ? [`severity ${escapeMrkdwn(truncate(view.severityLabel, 30))}`] : []),
  ].join(' · ');
  // Whole lines only, as many as fit beside the "and N more" line, so a strikethrough is never cut in two.
  const room = LIMITS.sectionText - 40;
  const lines: string[] = [];
  for (const line of view.alerts.map(alertLine)) {
    if (lines.join('\n').length + line.length + 1 > room) break;
    lines.push(line);
  }
  const more = total - lines.length;
  const list = lines.join('\n') + (more > 0 ? `\n…and ${more} more` : '');

  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(head, LIMITS.header) },
    { type: 'section', text: mrkdwn(facts) },
    ...(list ? [{ type: 'section' as const, text: mrkdwn(list) }] : []),
  ];
  // A link cut short would point somewhere else: one too long for the block is left out.
  if (view.sourceUrl && view.sourceUrl.length <= MAX_LINK && !/[<>|]/.test(view.sourceUrl)) {
    blocks.push({ type: 'context', elements: [mrkdwn(`<${view.sourceUrl}|Open in ${SOURCE_NAMES[view.source]}>`)] });
  }

  if (view.incident) {
    const where = view.incident.channelId ? ` in ${channelMention(view.incident.channelId)}` : '';
    const who = view.attachedBy ? ` by ${userMention(view.attachedBy)}` : '';
    blocks.push({ type: 'context', elements: [mrkdwn(`📎 Attached to *INC-${view.incident.number}*${where}${who}`)] });
    if (view.incident.needsCommander) {
      blocks.push({ type: 'section', text: mrkdwn(`⚠️ *INC-${view.incident.number} has no commander.* An alert rule declared it and its service has no owner: someone join ${view.incident.channelId ? channelMention(view.incident.channelId) : 'its channel'} and run \`/incident role commander @you\`.`) });
    }
  } else if (view.dismissedBy) {
    blocks.push({ type: 'context', elements: [mrkdwn(`Dismissed by ${userMention(view.dismissedBy)}`)] });
  } else {
    const value = String(view.groupId);
    blocks.push({
      type: 'actions',
      block_id: ALERT_BLOCKS.actions,
      elements: [
        button(ALERT_ACTIONS.declare, 'Declare incident', value, 'primary'),
        ...view.attachable.slice(0, ALERT_ACTIONS.attach.length).map((inc, i) => button(ALERT_ACTIONS.attach[i]!, `Attach to INC-${inc.number}`, `${view.groupId}:${inc.id}`)),
        button(ALERT_ACTIONS.dismiss, 'Dismiss', value),
      ],
    });
  }
  const text = `${head} — ${view.status === 'firing' ? `${view.firing} of ${total} firing` : `all ${total} resolved`}`;
  return { text: truncate(text, LIMITS.updateText), blocks };
}

/** Told in the incident's channel, once, when every alert of an attached group resolved. */
export function alertGroupResolvedMessage(view: TriageView): MessageContent {
  const text = `✅ All ${view.firing + view.resolved} alerts of "${truncate(view.title, 200)}" have resolved.`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(escapeMrkdwn(text)) }] };
}
