import type { IncidentListing } from '../../incidents/model';
import { channelText, drillMark, severityBadge, statusLabel } from './incidentText';
import type { MessageContent } from './kit';
import { escapeMrkdwn, LIMITS, mrkdwn, truncate } from './text';

/** Leaves room under the 50-block limit for the heading and the "more" line. */
const MAX_LISTED = 45;

export function incidentList(incidents: IncidentListing[]): MessageContent {
  if (incidents.length === 0) {
    return { text: 'No open incidents.', blocks: [{ type: 'section', text: mrkdwn(':white_check_mark: No open incidents.') }] };
  }
  const shown = incidents.slice(0, MAX_LISTED);
  const blocks: MessageContent['blocks'] = [
    { type: 'section', text: mrkdwn(`*Open incidents (${incidents.length})*, newest first`) },
    ...shown.map((i) => ({
      type: 'section' as const,
      text: mrkdwn(
        `*${drillMark(i)}#${i.number}* ${severityBadge(i)} · ${statusLabel(i)}${i.isPrivate ? ' · 🔒 private' : ''}${i.isDrill ? ' · drill' : ''}\n${escapeMrkdwn(truncate(i.title, 300))} — ${channelText(i)}`,
        LIMITS.sectionText,
      ),
    })),
  ];
  if (incidents.length > shown.length) {
    blocks.push({ type: 'context', elements: [mrkdwn(`…and ${incidents.length - shown.length} more.`)] });
  }
  const text = shown.map((i) => `${drillMark(i)}#${i.number} ${i.severity} ${i.status}: ${i.title}`).join('\n');
  return { text: truncate(`Open incidents:\n${text}`, LIMITS.updateText), blocks };
}
