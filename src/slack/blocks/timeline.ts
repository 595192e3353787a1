import type { Incident } from '../../incidents/model';
import type { TimelineEvent } from '../../incidents/timelineRepository';
import { incidentLabel, milestonesLine } from './incidentText';
import type { KnownBlock, MessageContent } from './kit';
import { escapeMrkdwn, LIMITS, mrkdwn, slackDate, truncate, userMention } from './text';

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
  // The declaration's text carries the title as typed in a form, and an alert's what a monitoring
  // system sent: plain text, never Slack formatting (an alert named "<!channel>" must not ping anyone).
  const body = e.kind === 'declared' || e.kind === 'alert' ? escapeMrkdwn(clip(e.text)) : clip(e.text);
  const by = e.actorId && !body.includes(userMention(e.actorId)) ? ` — ${userMention(e.actorId)}` : '';
  return `${head} ${body}${by}`;
}

/** Groups lines into section texts, keeping the newest that fit; returns them oldest first. */
function pack(lines: string[]): { sections: string[]; hidden: number } {
  const sections: string[][] = [];
  let current: string[] = [];
  let size = 0;
  let index = lines.length - 1;
  for (; index >= 0; index -= 1) {
    const line = lines[index];
    if (size + line.length + 1 > LIMITS.sectionText) {
      sections.push(current);
      if (sections.length === MAX_SECTIONS) break;
      current = [];
      size = 0;
    }
    current.unshift(line);
    size += line.length + 1;
  }
  if (index < 0 && current.length > 0) sections.push(current);
  return { sections: sections.reverse().map((s) => s.join('\n')), hidden: Math.max(0, index + 1) };
}

/** The incident's timeline, oldest first, each time in the reader's own time zone. */
export function timelineMessage(incident: Incident, events: TimelineEvent[]): MessageContent {
  const { sections, hidden } = pack(events.map(entryLine));
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwn(`*Timeline of incident ${escapeMrkdwn(truncate(incidentLabel(incident), 300))}*`) },
    { type: 'context', elements: [mrkdwn(milestonesLine(incident))] },
  ];
  if (hidden > 0) blocks.push({ type: 'context', elements: [mrkdwn(`${hidden} earlier ${hidden === 1 ? 'entry is' : 'entries are'} not shown.`)] });
  if (sections.length === 0) blocks.push({ type: 'section', text: mrkdwn('_Nothing on the timeline yet._') });
  for (const section of sections) blocks.push({ type: 'section', text: mrkdwn(section) });
  blocks.push({ type: 'context', elements: [mrkdwn('React with :pushpin: to a message in this channel to add it here; `/incident note <text>` adds a note.')] });
  return { text: `Timeline of incident #${incident.number} (${events.length} ${events.length === 1 ? 'entry' : 'entries'})`, blocks };
}
