import type { Incident } from '../../incidents/model';
import { daysBetween } from '../../reviews/localTime';
import type { FollowUp, FollowUpWithIncident } from '../../reviews/model';
import { REVIEW_ACTIONS } from '../ids';
import { channelText, incidentLabel } from './incidentText';
import type { KnownBlock, MessageContent } from './kit';
import { PRIORITY_LABELS } from './followUpModal';
import { escapeMrkdwn, LIMITS, mrkdwn, plain, slackDate, truncate, userMention } from './text';

/** Leaves room under the 50-block limit for the heading and the "more" line. */
const MAX_LISTED = 45;

/** Which list a Done button sits in, so the click can redraw that list. */
export type FollowUpListKind = 'mine' | 'incident' | 'dm' | 'home';

export function doneButtonValue(followUpId: number, list: FollowUpListKind): string {
  return `${followUpId}|${list}`;
}

export function parseDoneButtonValue(value: string): { followUpId: number; list: FollowUpListKind } | null {
  const m = /^(\d+)\|(mine|incident|dm|home)$/.exec(value);
  return m ? { followUpId: Number(m[1]), list: m[2] as FollowUpListKind } : null;
}

const doneButton = (f: FollowUp, list: FollowUpListKind) => ({
  type: 'button' as const,
  text: plain('Done', LIMITS.buttonText),
  action_id: REVIEW_ACTIONS.followUpDone,
  value: doneButtonValue(f.id, list),
  style: 'primary' as const,
});

/** "due 2026-03-10", "due today", "overdue by 3 days". */
export function dueText(dueOn: string, today: string): string {
  const days = daysBetween(today, dueOn);
  if (days < 0) return `*:warning: overdue by ${-days} day${days === -1 ? '' : 's'}* (due ${dueOn})`;
  if (days === 0) return '*due today*';
  return `due ${dueOn}`;
}

const title = (f: FollowUp) => escapeMrkdwn(truncate(f.title, 300));
const where = (f: FollowUpWithIncident) => `#${f.incidentNumber} ${f.incidentChannelId ? `<#${f.incidentChannelId}>` : escapeMrkdwn(truncate(f.incidentTitle, 100))}`;

/** The caller's open follow-ups, earliest due first, each with a Done button. */
export function myFollowUpList(followUps: FollowUpWithIncident[], today: string): MessageContent {
  if (followUps.length === 0) {
    return { text: 'You have no open follow-ups.', blocks: [{ type: 'section', text: mrkdwn(':white_check_mark: You have no open follow-ups.') }] };
  }
  const shown = followUps.slice(0, MAX_LISTED);
  const overdue = followUps.filter((f) => f.dueOn < today).length;
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwn(`*Your open follow-ups (${followUps.length})*${overdue > 0 ? ` — ${overdue} overdue, listed first` : ''}`) },
    ...shown.map(
      (f): KnownBlock => ({
        type: 'section',
        text: mrkdwn(`*${title(f)}*\n${dueText(f.dueOn, today)} · ${PRIORITY_LABELS[f.priority]} priority · incident ${where(f)}`),
        accessory: doneButton(f, 'mine'),
      }),
    ),
  ];
  if (followUps.length > shown.length) blocks.push({ type: 'context', elements: [mrkdwn(`…and ${followUps.length - shown.length} more.`)] });
  const text = shown.map((f) => `${f.title} (due ${f.dueOn})`).join('\n');
  return { text: truncate(`Your open follow-ups:\n${text}`, LIMITS.updateText), blocks };
}

/** An incident's follow-ups: the open ones with Done buttons, then those done, with who and when. */
export function incidentFollowUpList(incident: Pick<Incident, 'number' | 'title'>, followUps: FollowUpWithIncident[], today: string): MessageContent {
  const heading = `*Follow-ups of incident ${escapeMrkdwn(truncate(incidentLabel(incident), 200))}*`;
  if (followUps.length === 0) {
    return {
      text: `Incident #${incident.number} has no follow-ups yet.`,
      blocks: [{ type: 'section', text: mrkdwn(`${heading}\nNone yet. Add one with \`/incident followup [title]\`.`) }],
    };
  }
  const open = followUps.filter((f) => f.status === 'open').length;
  const shown = followUps.slice(0, MAX_LISTED);
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwn(`${heading} — ${open} open, ${followUps.length - open} done`) },
    ...shown.map((f): KnownBlock => {
      if (f.status === 'done') {
        const done = f.doneBy && f.doneAt ? ` by ${userMention(f.doneBy)} ${slackDate(f.doneAt)}` : '';
        return { type: 'section', text: mrkdwn(`:white_check_mark: ~${title(f)}~\nDone${done} · owner ${userMention(f.ownerId)}`) };
      }
      return {
        type: 'section',
        text: mrkdwn(`*${title(f)}*\nOwner ${userMention(f.ownerId)} · ${dueText(f.dueOn, today)} · ${PRIORITY_LABELS[f.priority]} priority`),
        accessory: doneButton(f, 'incident'),
      };
    }),
  ];
  if (followUps.length > shown.length) blocks.push({ type: 'context', elements: [mrkdwn(`…and ${followUps.length - shown.length} more.`)] });
  const text = shown.map((f) => `${f.status === 'done' ? '[done] ' : ''}${f.title} — owner <@${f.ownerId}>, due ${f.dueOn}`).join('\n');
  return { text: truncate(`Follow-ups of incident #${incident.number}:\n${text}`, LIMITS.updateText), blocks };
}

/** The DM telling an owner about a new follow-up. */
export function followUpAssignedMessage(f: FollowUp, incident: Incident): MessageContent {
  const head = `:clipboard: ${userMention(f.createdBy)} added a follow-up for you from incident *${escapeMrkdwn(truncate(incidentLabel(incident), 300))}* (${channelText(incident)}):`;
  return {
    text: `New follow-up from incident #${incident.number}: ${truncate(f.title, 200)} (due ${f.dueOn})`,
    blocks: [
      { type: 'section', text: mrkdwn(`${head}\n*${title(f)}*\nDue ${f.dueOn} · ${PRIORITY_LABELS[f.priority]} priority`), accessory: doneButton(f, 'dm') },
      { type: 'context', elements: [mrkdwn('Herald reminds you the morning it is due. `/incident followups` lists all of yours.')] },
    ],
  };
}

/** The 09:00 DM: due today, or still open after its due date. */
export function followUpReminderMessage(f: FollowUp, incident: Incident, overdueDays: number): MessageContent {
  const when = overdueDays === 0 ? 'is due today' : `is overdue by ${overdueDays} day${overdueDays === 1 ? '' : 's'} (due ${f.dueOn})`;
  return {
    text: `Follow-up ${when}: ${truncate(f.title, 200)}`,
    blocks: [
      {
        type: 'section',
        text: mrkdwn(`:alarm_clock: Your follow-up *${title(f)}* ${when} — from incident *${escapeMrkdwn(truncate(incidentLabel(incident), 300))}* (${channelText(incident)}).`),
        accessory: doneButton(f, 'dm'),
      },
    ],
  };
}

/** What a Done button in a DM becomes once clicked. */
export function followUpDoneNote(f: FollowUp, userId: string): MessageContent {
  return { text: `Follow-up done: ${truncate(f.title, 200)}`, blocks: [{ type: 'section', text: mrkdwn(`:white_check_mark: ~${title(f)}~ — marked done by ${userMention(userId)}.`) }] };
}
