import type { Incident } from '../incidents/model';
import type { IncidentAudience } from './stakeholdersRepository';

export const DESTINATION_KINDS = ['incident_channel', 'announcement', 'stakeholder_channel', 'dm'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** One place a status update goes. `channel` is what Slack is asked to post to (a user id for a DM). */
export interface Destination {
  kind: DestinationKind;
  channel: string;
  threadTs?: string;
  /** Why this destination gets it, shown to people who were not in the room ("stakeholder of Checkout"). */
  reason: string;
}

export interface AudienceInput {
  incident: Incident;
  audience: IncidentAudience;
  subscribers: string[];
  /** For a private incident or a drill: who is in its channel. Only they may receive it. */
  channelMembers?: ReadonlySet<string>;
}

/** Private incidents and drills reach only their channel and its members: no announcement, no stakeholder channels. */
export const incidentKeptToMembers = (incident: Pick<Incident, 'isPrivate' | 'isDrill'>): boolean => incident.isPrivate || incident.isDrill === true;

const stakeholderOf = (services: string[]) => `stakeholder of ${services.join(', ')}`;

/**
 * Where an update goes, each place once: the incident channel, the announcement thread, every
 * stakeholder channel of the incident's services, and a DM to each stakeholder and subscriber. A private
 * incident or a drill reaches only its channel and the stakeholders and subscribers who are members of it.
 */
export function planDestinations(input: AudienceInput): Destination[] {
  const { incident, audience } = input;
  const onlyMembers = incidentKeptToMembers(incident);
  const out: Destination[] = [];
  const channelsUsed = new Set<string>();
  if (incident.channelId) {
    out.push({ kind: 'incident_channel', channel: incident.channelId, reason: 'incident channel' });
    channelsUsed.add(incident.channelId);
  }
  if (!onlyMembers) {
    if (incident.announcementChannelId && incident.announcementTs) {
      out.push({ kind: 'announcement', channel: incident.announcementChannelId, threadTs: incident.announcementTs, reason: 'announcement' });
      channelsUsed.add(incident.announcementChannelId);
    }
    for (const [channel, services] of audience.channels) {
      if (channelsUsed.has(channel)) continue;
      channelsUsed.add(channel);
      out.push({ kind: 'stakeholder_channel', channel, reason: stakeholderOf(services) });
    }
  }
  const people = new Map<string, string>();
  for (const [user, services] of audience.people) people.set(user, stakeholderOf(services));
  for (const user of input.subscribers) if (!people.has(user)) people.set(user, 'subscriber');
  for (const [user, reason] of people) {
    if (onlyMembers && !input.channelMembers?.has(user)) continue;
    out.push({ kind: 'dm', channel: user, reason });
  }
  return out;
}

/** "the incident channel, the announcement thread, 2 stakeholder channels and 5 people by DM" */
export function describeDestinations(destinations: Array<Pick<Destination, 'kind'>>): string {
  const count = (kind: DestinationKind) => destinations.filter((d) => d.kind === kind).length;
  const parts: string[] = [];
  if (count('incident_channel')) parts.push('the incident channel');
  if (count('announcement')) parts.push('the announcement thread');
  const channels = count('stakeholder_channel');
  if (channels) parts.push(`${channels} stakeholder channel${channels === 1 ? '' : 's'}`);
  const people = count('dm');
  if (people) parts.push(`${people} ${people === 1 ? 'person' : 'people'} by DM`);
  if (parts.length === 0) return 'nowhere yet';
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
