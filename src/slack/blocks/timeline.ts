import type { Incident } from '../../incidents/model';
import type { TimelineEvent } from '../../incidents/timelineRepository';
import { incidentLabel, milestonesLine } from './incidentText';
import type { KnownBlock, MessageContent } from './kit';
import { CORRECTION_KIND, isEditable } from '../../incidents/timelineCorrections';
import { TIMELINE_ACTIONS } from '../ids';
import { escapeMrkdwn, LIMITS, mrkdwn, plain, slackDate, truncate, userMention } from './text';

const ICONS: Record<string, string> = {
  declared: ':rotating_light:',
  status: ':arrow_right:',
  severity: ':warning:',
  role: ':bust_in_silhouette:',
  closed: ':lock:',
  note: ':memo:',
  pinned: ':pushpin:',
  message: ':speech_balloon:',
  setup_problem: ':x:',
  slack_problem: ':x:',
  corrected: ':pencil2:',
};

/** One entry's text is cut to this; the pinned message's permalink has the rest. */
const ENTRY_MAX = 600;
/** Sections of entries; with the heading, milestones, "earlier" and footer lines this stays under 50 blocks. */
const MAX_SECTIONS = 45;

/** Cuts Slack-formatted text to one line of `max` characters without leaving a `<…>` link or mention half open. */
function clip(text: string, max = ENTRY_MAX): string {
  const line = text.replace(/\s*\n\s*/g, ' ').trim();
  if (line.length <= max) return line;
  let cut = line.slice(0, max - 1);
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  return `${cut.trimEnd()}…`;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function entryLine(e: TimelineEvent): string {
  const head = `${slackDate(e.at, '{date_short} {time}')} ${ICONS[e.kind] ?? ':small_blue_diamond:'}`;
  if (e.kind === 'pinned' || e.kind === 'message') {
    const author = text(e.data.authorId);
    const link = text(e.data.permalink);
    const how = e.kind === 'pinned' ? 'pinned by' : e.data.source === true ? 'declared from it by' : 'added by';
    const by = e.actorId ? ` — ${how} ${userMention(e.actorId)}` : '';
    return `${head} ${author ? `${userMention(author)}: ` : ''}${clip(e.text)}${link ? ` <${link}|view>` : ''}${by}`;
  }
  if (e.kind === 'note') return `${head} ${e.actorId ? `${userMention(e.actorId)}: ` : ''}${clip(e.text)}`;
  if (e.kind === CORRECTION_KIND) {
    const before = (e.data.before ?? {}) as { at?: string; text?: string };
    const when = before.at ? ` at ${slackDate(new Date(before.at), '{date_short} {time}')}` : '';
    return `${head} ${e.actorId ? userMention(e.actorId) : 'Someone'} corrected an entry; it read “${clip(before.text ?? e.text, 300)}”${when}`;
  }
  // The declaration's text carries the title as typed in a form, and an alert's what a monitoring
  // system sent: plain text, never Slack formatting (an alert named "<!channel>" must not ping anyone).
  const body = e.kind === 'declared' || e.kind === 'alert' ? escapeMrkdwn(clip(e.text)) : clip(e.text);
  const by = e.actorId && !body.includes(userMention(e.actorId)) ? ` — ${userMention(e.actorId)}` : '';
  return `${head} ${body}${by}`;
}

interface Line {
  text: string;
  /** The entry's id when the reader may correct it: it gets a section of its own with an Edit button. */
  editId?: number;
}
interface Section {
  text: string;
  editId?: number;
}

/** Groups lines into sections (an entry with an Edit button alone in its own), keeping the newest that fit; oldest first. */
function pack(lines: Line[]): { sections: Section[]; hidden: number } {
  const sections: Section[] = [];
  let current: string[] = [];
  let size = 0;
  const flush = () => {
    if (current.length > 0) sections.push({ text: current.join('\n') });
    current = [];
    size = 0;
  };
  let index = lines.length - 1;
  for (; index >= 0; index -= 1) {
    const line = lines[index]!;
    if (line.editId !== undefined) {
      flush();
      if (sections.length >= MAX_SECTIONS) break;
      sections.push({ text: line.text, editId: line.editId });
      continue;
    }
    if (size + line.text.length + 1 > LIMITS.sectionText) flush();
    if (current.length === 0 && sections.length >= MAX_SECTIONS) break;
    current.unshift(line.text);
    size += line.text.length + 1;
  }
  flush();
  return { sections: sections.reverse(), hidden: Math.max(0, index + 1) };
}

/**
 * The incident's timeline, oldest first, each time in the reader's own time zone. `canCorrect` (the
 * reader is its commander or scribe) puts an Edit button beside each note and pinned message.
 */
export function timelineMessage(incident: Incident, events: TimelineEvent[], options: { canCorrect?: boolean } = {}): MessageContent {
  const { sections, hidden } = pack(events.map((e) => ({ text: entryLine(e), ...(options.canCorrect && isEditable(e) ? { editId: e.id } : {}) })));
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwn(`*Timeline of incident ${escapeMrkdwn(truncate(incidentLabel(incident), 300))}*`) },
    { type: 'context', elements: [mrkdwn(milestonesLine(incident))] },
  ];
  if (hidden > 0) blocks.push({ type: 'context', elements: [mrkdwn(`${hidden} earlier ${hidden === 1 ? 'entry is' : 'entries are'} not shown.`)] });
  if (sections.length === 0) blocks.push({ type: 'section', text: mrkdwn('_Nothing on the timeline yet._') });
  for (const section of sections) {
    blocks.push({
      type: 'section',
      text: mrkdwn(section.text),
      ...(section.editId !== undefined
        ? { accessory: { type: 'button', action_id: TIMELINE_ACTIONS.edit, value: String(section.editId), text: plain('Edit', LIMITS.buttonText) } }
        : {}),
    });
  }
  blocks.push({ type: 'context', elements: [mrkdwn('React with :pushpin: to a message in this channel to add it here; `/incident note <text>` adds a note.')] });
  return { text: `Timeline of incident #${incident.number} (${events.length} ${events.length === 1 ? 'entry' : 'entries'})`, blocks };
}
