import { formatDuration } from '../../duration';
import { SEVERITIES } from '../../incidents/severity';
import type { SeverityDurations } from '../../config';
import type { MessageContent } from './kit';
import { mrkdwn } from './text';

export interface SubcommandHelp {
  usage: string;
  what: string;
  /** Where it works; "incident channel" subcommands answer elsewhere with where to go. */
  where: 'anywhere' | 'incident channel';
  ready: boolean;
}

/** Every subcommand of PRODUCT.md, in the order a user meets them. */
export const SUBCOMMANDS: Record<string, SubcommandHelp> = {
  help: { usage: '/incident help', what: 'this help', where: 'anywhere', ready: true },
  declare: { usage: '/incident declare [title]', what: 'declare an incident: opens a form, then a channel is made for it', where: 'anywhere', ready: true },
  list: { usage: '/incident list', what: 'open incidents you can see', where: 'anywhere', ready: true },
  status: { usage: '/incident status <investigating|identified|monitoring|resolved>', what: 'change the status', where: 'incident channel', ready: true },
  sev: { usage: '/incident sev <1-4>', what: 'change the severity', where: 'incident channel', ready: true },
  role: { usage: '/incident role <commander|comms|scribe> <@user>', what: 'assign a role', where: 'incident channel', ready: true },
  update: { usage: '/incident update', what: 'send a status update to every stakeholder', where: 'incident channel', ready: true },
  note: { usage: '/incident note <text>', what: 'add a note to the timeline', where: 'incident channel', ready: true },
  timeline: { usage: '/incident timeline', what: 'show the timeline (react with :pushpin: to add a message)', where: 'incident channel', ready: true },
  resolve: { usage: '/incident resolve', what: 'mark resolved and schedule the review', where: 'incident channel', ready: true },
  review: { usage: '/incident review', what: 'write the blameless post-incident review', where: 'incident channel', ready: true },
  followup: { usage: '/incident followup [title]', what: 'add a follow-up action', where: 'incident channel', ready: true },
  close: { usage: '/incident close', what: 'close a resolved incident; its channel is archived after ARCHIVE_AFTER (the commander can reopen it first with `status investigating`)', where: 'incident channel', ready: true },
  subscribe: { usage: '/incident subscribe', what: "get this incident's updates by DM", where: 'incident channel', ready: true },
  unsubscribe: { usage: '/incident unsubscribe', what: 'stop getting them', where: 'incident channel', ready: true },
  followups: { usage: '/incident followups [all]', what: 'your open follow-ups (all: this incident’s)', where: 'anywhere', ready: true },
  stakeholders: { usage: '/incident stakeholders <service>', what: "edit a service's owner and stakeholders", where: 'anywhere', ready: true },
  insights: { usage: '/incident insights [7d|30d|90d] [service]', what: 'customer impact by service, response times and the standards met, against the window before', where: 'anywhere', ready: true },
  doctor: { usage: '/incident doctor', what: 'check how Herald is set up — scopes, channels, tabs, database — each problem with its fix (workspace admins)', where: 'anywhere', ready: true },
};

function cadenceLine(cadence: SeverityDurations): string {
  return SEVERITIES.map((s) => `${s} every ${cadence[s] === null ? '— (no prompts)' : formatDuration(cadence[s]!)}`).join(' · ');
}

function subcommandLine(name: string): string {
  const s = SUBCOMMANDS[name];
  const where = s.where === 'incident channel' ? ' _(in an incident channel)_' : '';
  return `\`${s.usage}\` — ${s.what}${where}${s.ready ? '' : ' _(coming)_'}`;
}

export function helpMessage(cadence: SeverityDurations, intro?: string): MessageContent {
  const lines = Object.keys(SUBCOMMANDS).map(subcommandLine);
  const blocks: MessageContent['blocks'] = [];
  if (intro) blocks.push({ type: 'section', text: mrkdwn(intro) });
  blocks.push(
    { type: 'section', text: mrkdwn(`*Herald — incident response in Slack*\n${lines.join('\n')}`) },
    { type: 'context', elements: [mrkdwn(`Status updates are due: ${cadenceLine(cadence)}`)] },
  );
  return { text: `${intro ? `${intro}\n` : ''}Herald commands:\n${lines.join('\n')}`, blocks };
}

/** The slash command's `usage_hint` in manifest.yml: every subcommand, as Slack shows it while /incident is typed. */
export function usageHint(): string {
  return Object.values(SUBCOMMANDS)
    .map((s) => s.usage.replace(/^\/incident /, ''))
    .join(' | ');
}

export function usageOf(name: string): string {
  return SUBCOMMANDS[name]?.usage ?? '/incident help';
}
