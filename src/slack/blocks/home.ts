import { isUpdateOverdue, HOME_WINDOWS, type HomeIncident, type HomeWindow, type HomeWork, type Listed } from '../../home/model';
import type { Role } from '../../incidents/model';
import { formatElapsed } from '../../reviews/model';
import { HOME_ACTIONS, HOME_BLOCKS, REVIEW_ACTIONS } from '../ids';
import { doneButtonValue, dueText } from './followUps';
import { channelText, drillMark, ROLE_LABELS, severityBadge, statusLabel } from './incidentText';
import type { Button, KnownBlock, PlainTextOption } from './kit';
import { escapeMrkdwn, LIMITS, mrkdwn, plain, slackDate, truncate, userMention } from './text';

/** Slack's limit for a Home tab. */
export const HOME_MAX_BLOCKS = 100;

/** How many of each list the tab shows; the rest are counted ("…and 12 more"). */
export const HOME_CAPS = { incidents: 15, roles: 5, reviews: 5, followUps: 10 } as const;

/**
 * Blocks left for service health once everything above it is at its caps: the top with a notice (3),
 * three dividers, open incidents (heading, 15, "more" = 17), your work (heading, then three lists of
 * heading + items + "more" = 28), and the health heading and window select (2).
 */
export const HOME_HEALTH_BLOCK_BUDGET = HOME_MAX_BLOCKS - 3 - 3 - 17 - 28 - 2;

export interface HomeInput {
  teamId: string;
  userId: string;
  now: Date;
  /** Today's date where the person is (YYYY-MM-DD), to tell overdue follow-ups. */
  today: string;
  /** Open incidents this person may see, newest first. */
  incidents: HomeIncident[];
  work: HomeWork;
  window: HomeWindow;
  /** Service health for the window, built elsewhere; cut to HOME_HEALTH_BLOCK_BUDGET. */
  health: KnownBlock[];
  /** A line (mrkdwn) shown at the top, e.g. why a click did nothing (the Home tab has no ephemeral replies). */
  notice?: string;
}

export interface HomeView {
  type: 'home';
  /** The window chosen, so opening the tab again keeps it. */
  private_metadata: string;
  blocks: KnownBlock[];
}

const WINDOW_LABELS: Record<HomeWindow, string> = { '7d': 'Last 7 days', '30d': 'Last 30 days', '90d': 'Last 90 days' };

const windowOption = (w: HomeWindow): PlainTextOption => ({ text: plain(WINDOW_LABELS[w], LIMITS.optionText), value: w });

/** A button that opens the incident's channel in Slack (the click still reaches Herald, which only acknowledges it). */
function openButton(teamId: string, channelId: string | null, incidentId: number): Button | undefined {
  if (!channelId) return undefined;
  return {
    type: 'button',
    text: plain('Open', LIMITS.buttonText),
    action_id: HOME_ACTIONS.open,
    value: String(incidentId),
    url: `https://slack.com/app_redirect?team=${encodeURIComponent(teamId)}&channel=${encodeURIComponent(channelId)}`,
  };
}

const section = (text: string, accessory?: Button): KnownBlock => ({ type: 'section', text: mrkdwn(text, LIMITS.sectionText), ...(accessory ? { accessory } : {}) });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [mrkdwn(text)] });
const more = (list: { total: number }, shown: number): KnownBlock[] => (list.total > shown ? [context(`…and ${list.total - shown} more.`)] : []);
const incidentName = (i: { number: number; title: string; isDrill?: boolean }) => `*${drillMark(i)}#${i.number}* ${escapeMrkdwn(truncate(i.title, 200))}`;

function top(input: HomeInput): KnownBlock[] {
  return [
    {
      type: 'section',
      text: mrkdwn(`*Herald* — incidents, your work and service health, for ${userMention(input.userId)}.`),
    },
    {
      type: 'actions',
      block_id: HOME_BLOCKS.top,
      elements: [{ type: 'button', text: plain('Declare incident', LIMITS.buttonText), action_id: HOME_ACTIONS.declare, value: 'declare', style: 'danger' }],
    },
    ...(input.notice ? [section(`:information_source: ${truncate(input.notice, 2000)}`)] : []),
  ];
}

function openIncidents(input: HomeInput): KnownBlock[] {
  const { incidents, now } = input;
  if (incidents.length === 0) return [section('*Open incidents*\n:white_check_mark: None that you can see.')];
  const shown = incidents.slice(0, HOME_CAPS.incidents);
  const overdue = incidents.filter((i) => isUpdateOverdue(i, now)).length;
  return [
    section(`*Open incidents (${incidents.length})*${overdue > 0 ? ` — :warning: ${overdue} with an update overdue` : ''}`),
    ...shown.map((i) =>
      section(
        [
          `${incidentName(i)}${i.isPrivate ? ' · 🔒 private' : ''}${i.isDrill ? ' · drill' : ''}`,
          [
            severityBadge(i),
            statusLabel(i),
            `${formatElapsed(now.getTime() - i.declaredAt.getTime())} old`,
            `commander ${userMention(i.commanderId)}`,
            ...(isUpdateOverdue(i, now) ? ['*:warning: update overdue*'] : []),
          ].join(' · '),
          channelText(i),
        ].join('\n'),
        openButton(input.teamId, i.channelId, i.id),
      ),
    ),
    ...more({ total: incidents.length }, shown.length),
  ];
}

const roleNames = (roles: Role[]) => roles.map((r) => ROLE_LABELS[r]).join(', ');

function subList<T>(heading: string, empty: string, list: Listed<T>, cap: number, item: (t: T) => KnownBlock): KnownBlock[] {
  const shown = list.items.slice(0, cap);
  if (list.total === 0 || shown.length === 0) return [context(`*${heading}* — ${empty}`)];
  return [context(`*${heading} (${list.total})*`), ...shown.map(item), ...more(list, shown.length)];
}

function yourWork(input: HomeInput): KnownBlock[] {
  const { work, today, teamId, now } = input;
  return [
    section('*Your work*'),
    ...subList('Roles you hold', 'none in open incidents.', work.roles, HOME_CAPS.roles, (r) =>
      section(`${incidentName(r)} — ${roleNames(r.roles)}`, openButton(teamId, r.channelId, r.incidentId)),
    ),
    ...subList('Reviews you owe', 'none.', work.reviews, HOME_CAPS.reviews, (r) =>
      section(
        `${incidentName(r)}\n${r.dueAt.getTime() < now.getTime() ? '*:warning: overdue* — was due' : 'due'} ${slackDate(r.dueAt)}${r.draft ? ' · draft saved' : ''}`,
        { type: 'button', text: plain(r.draft ? 'Continue review' : 'Write review', LIMITS.buttonText), action_id: REVIEW_ACTIONS.start, value: String(r.incidentId) },
      ),
    ),
    ...subList('Follow-ups you own', 'none open.', work.followUps, HOME_CAPS.followUps, (f) =>
      section(`*${escapeMrkdwn(truncate(f.title, 300))}*\n${dueText(f.dueOn, today)} · incident #${f.incidentNumber} ${channelText({ channelId: f.incidentChannelId })}`, {
        type: 'button',
        text: plain('Mark done', LIMITS.buttonText),
        action_id: REVIEW_ACTIONS.followUpDone,
        value: doneButtonValue(f.id, 'home'),
        style: 'primary',
      }),
    ),
  ];
}

function serviceHealth(input: HomeInput): KnownBlock[] {
  return [
    section(`*Service health* — ${WINDOW_LABELS[input.window].toLowerCase()}`),
    {
      type: 'actions',
      block_id: HOME_BLOCKS.window,
      elements: [
        {
          type: 'static_select',
          action_id: HOME_ACTIONS.window,
          placeholder: plain('Window', LIMITS.optionText),
          options: HOME_WINDOWS.map(windowOption),
          initial_option: windowOption(input.window),
        },
      ],
    },
    ...input.health.slice(0, HOME_HEALTH_BLOCK_BUDGET),
  ];
}

const divider: KnownBlock = { type: 'divider' };

/**
 * A person's Home tab. Every list is capped and counted, so the tab stays within Slack's 100 blocks
 * whatever the history; the window chosen travels in private_metadata.
 */
export function homeView(input: HomeInput): HomeView {
  const blocks = [...top(input), divider, ...openIncidents(input), divider, ...yourWork(input), divider, ...serviceHealth(input)];
  return { type: 'home', private_metadata: input.window, blocks: blocks.slice(0, HOME_MAX_BLOCKS) };
}
