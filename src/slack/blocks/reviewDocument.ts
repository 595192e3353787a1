import type { Incident } from '../../incidents/model';
import type { TimelineEvent } from '../../incidents/timelineRepository';
import type { ReviewRevision } from '../../reviews/model';
import { REVIEW_ACTIONS } from '../ids';
import { incidentLabel, servicesText, severityBadge } from './incidentText';
import type { KnownBlock, MessageContent } from './kit';
import { mrkdwnKeepingMentions, splitText } from './longText';
import { CHANGE_CAUSED_LABELS } from './reviewModal';
import { cutThenEscape, escapeMrkdwn, LIMITS, mrkdwn, plain, slackDate, truncate, userMention } from './text';

/** Room under the section limit for a field's heading. */
const SECTION_CHARS = 2800;
/** Per message: under the 50-block limit with room for the "part k of n" line, and short enough to read. */
const BLOCKS_PER_MESSAGE = 45;
const CHARS_PER_MESSAGE = 12_000;
const TIMELINE_LINE_CHARS = 500;

interface Piece {
  block: KnownBlock;
  chars: number;
}

const section = (text: string): Piece => ({ block: { type: 'section', text: mrkdwn(text, LIMITS.sectionText) }, chars: text.length });

/** A field of the review as sections: the heading on the first, the text split (never cut) across the rest. */
function fieldPieces(heading: string, text: string): Piece[] {
  const body = text.trim() ? mrkdwnKeepingMentions(text.trim()) : '_Not written._';
  return splitText(body, SECTION_CHARS).map((chunk, i) => section(i === 0 ? `*${heading}*\n${chunk}` : chunk));
}

function timelinePieces(events: TimelineEvent[]): Piece[] {
  if (events.length === 0) return [];
  const lines = events.map((e) => `• ${slackDate(e.at, '{date_short} {time}')} ${mrkdwnKeepingMentions(truncate(e.text, TIMELINE_LINE_CHARS))}`);
  const pieces: Piece[] = [];
  let current = '*Timeline*';
  for (const line of lines) {
    if (current.length + line.length + 1 > SECTION_CHARS) {
      pieces.push(section(current));
      current = line;
    } else current = `${current}\n${line}`;
  }
  pieces.push(section(current));
  return pieces;
}

function facts(incident: Incident, revision: ReviewRevision): string {
  const c = revision.content;
  const lines = [
    `${severityBadge(incident)} · *Services:* ${servicesText(incident)} · *Commander:* ${userMention(incident.commanderId)}`,
    `*Declared* ${slackDate(incident.declaredAt)}` +
      (incident.mitigatedAt ? ` · *Mitigated* ${slackDate(incident.mitigatedAt)}` : '') +
      (incident.resolvedAt ? ` · *Resolved* ${slackDate(incident.resolvedAt)}` : ''),
    `*Impact duration:* ${c.impactDuration.trim() ? cutThenEscape(c.impactDuration.trim(), 100) : '_not given_'} · *Caused by a change:* ${CHANGE_CAUSED_LABELS[c.changeCaused]}` +
      (c.changeReference.trim() ? ` (${mrkdwnKeepingMentions(truncate(c.changeReference.trim(), 500))})` : ''),
  ];
  return lines.join('\n');
}

/**
 * The published review: a document in the incident channel, split across as many messages as it needs
 * (each within Slack's block and text limits) so nothing is ever cut. Pure: the same revision gives the
 * same messages, which lets an interrupted publication resume at the part it stopped at.
 */
export function reviewDocument(incident: Incident, revision: ReviewRevision, timeline: TimelineEvent[]): MessageContent[] {
  const c = revision.content;
  const title = revision.revision > 1 ? `Post-incident review (revision ${revision.revision})` : 'Post-incident review';
  const pieces: Piece[] = [
    { block: { type: 'header', text: plain(truncate(`${title} · ${incidentLabel(incident)}`, LIMITS.header), LIMITS.header) }, chars: 150 },
    section(facts(incident, revision)),
    ...fieldPieces('Summary', c.summary),
    ...fieldPieces('Customer impact', c.impact),
    ...fieldPieces('Contributing factors', c.contributingFactors),
    ...fieldPieces('What went well', c.wentWell),
    ...fieldPieces('What could be better', c.toImprove),
    ...timelinePieces(timeline),
    { block: { type: 'context', elements: [mrkdwn(`Submitted by ${userMention(revision.submittedBy)} ${slackDate(revision.submittedAt)} · Blameless: it describes conditions, not culprits.`)] }, chars: 200 },
    {
      block: {
        type: 'actions',
        elements: [
          { type: 'button', text: plain('Add a follow-up', LIMITS.buttonText), action_id: REVIEW_ACTIONS.addFollowUp, value: String(incident.id) },
          { type: 'button', text: plain('Edit the review', LIMITS.buttonText), action_id: REVIEW_ACTIONS.start, value: String(incident.id) },
        ],
      },
      chars: 50,
    },
  ];

  const groups: Piece[][] = [[]];
  let chars = 0;
  for (const piece of pieces) {
    const group = groups[groups.length - 1];
    if (group.length > 0 && (group.length >= BLOCKS_PER_MESSAGE || chars + piece.chars > CHARS_PER_MESSAGE)) {
      groups.push([piece]);
      chars = piece.chars;
    } else {
      group.push(piece);
      chars += piece.chars;
    }
  }

  const label = `Post-incident review of incident #${incident.number}`;
  return groups.map((group, i) => {
    const part = groups.length > 1 ? ` (part ${i + 1} of ${groups.length})` : '';
    const blocks = group.map((p) => p.block);
    if (i > 0) blocks.unshift({ type: 'context', elements: [mrkdwn(`${escapeMrkdwn(label)} — continued${part}`)] });
    return { text: truncate(`${label}${part}`, LIMITS.updateText), blocks };
  });
}
