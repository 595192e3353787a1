import type { Incident, Role } from '../../incidents/model';
import { SEVERITY_DESCRIPTIONS } from '../../incidents/severity';
import { capitalize, cappedList, channelMention, cutThenEscape, LIMITS, slackDate, truncate, userMention } from './text';

const SEVERITY_EMOJI = { SEV1: ':red_circle:', SEV2: ':large_orange_circle:', SEV3: ':large_yellow_circle:', SEV4: ':white_circle:' } as const;

export const severityBadge = (i: Pick<Incident, 'severity'>) => `${SEVERITY_EMOJI[i.severity]} ${i.severity}`;
export const severityLine = (i: Pick<Incident, 'severity'>) => `${i.severity} — ${SEVERITY_DESCRIPTIONS[i.severity]}`;
export const statusLabel = (i: Pick<Incident, 'status'>) => capitalize(i.status);
/** What marks a drill wherever one is shown. */
export const DRILL_MARK = '🧪';
export const drillMark = (i: { isDrill?: boolean }) => (i.isDrill ? `${DRILL_MARK} ` : '');
export const incidentLabel = (i: Pick<Incident, 'number' | 'title' | 'isDrill'>) => `${drillMark(i)}#${i.number} ${i.title}`;

/** A service's name as listed, however long it was typed. */
const SERVICE_NAME_CHARS = 100;
/** The services line of a message: whole names, capped so what follows it (the Join link …) stays. */
const SERVICES_CHARS = 1000;

export function servicesText(i: Pick<Incident, 'services'>, maxChars = SERVICES_CHARS): string {
  if (i.services.length === 0) return 'None given';
  return cappedList(
    i.services.map((s) => cutThenEscape(s.name, SERVICE_NAME_CHARS)),
    maxChars,
  );
}

export function channelText(i: Pick<Incident, 'channelId'>): string {
  return i.channelId ? channelMention(i.channelId) : '_channel being set up_';
}

/** The channel topic: what anyone glancing at the channel header needs. At most 250 characters. */
export function incidentTopic(i: Incident): string {
  const parts = [`${i.isDrill ? `${DRILL_MARK} DRILL · ` : ''}${i.severity} · ${statusLabel(i)}`, `Commander: ${userMention(i.commanderId)}`];
  if (i.commsId) parts.push(`Comms: ${userMention(i.commsId)}`);
  const head = parts.join(' | ');
  return truncate(`${head} | ${i.title}`, LIMITS.topic);
}

export const ROLE_LABELS: Record<Role, string> = { commander: 'Commander', comms: 'Comms lead', scribe: 'Scribe' };

export function roleHolder(i: Pick<Incident, 'commanderId' | 'commsId' | 'scribeId'>, role: Role): string | null {
  return role === 'commander' ? i.commanderId : role === 'comms' ? i.commsId : i.scribeId;
}

/** "Declared … · Acknowledged … · Mitigated … · Resolved … · Closed …", the ones reached, in each reader's time zone. */
export function milestonesLine(i: Pick<Incident, 'declaredAt' | 'acknowledgedAt' | 'mitigatedAt' | 'resolvedAt' | 'closedAt'>): string {
  const milestones: Array<[string, Date | null]> = [
    ['Declared', i.declaredAt],
    ['Acknowledged', i.acknowledgedAt],
    ['Mitigated', i.mitigatedAt],
    ['Resolved', i.resolvedAt],
    ['Closed', i.closedAt],
  ];
  return milestones
    .filter((m): m is [string, Date] => m[1] !== null)
    .map(([label, at]) => `${label} ${slackDate(at)}`)
    .join(' · ');
}
