import { UserFacingError } from '../errors';
import type { Incident } from '../incidents/model';
import { SUBCOMMANDS, usageOf } from './blocks/help';
import type { SlackDeps } from './deps';

const IN_CHANNEL = Object.entries(SUBCOMMANDS)
  .filter(([, s]) => s.where === 'incident channel')
  .map(([name]) => `\`${name}\``)
  .join(', ');

/** Said when an incident subcommand is used outside an incident channel: what works there, and where they are. */
export function notInIncidentChannel(subcommand: string): string {
  return (
    `\`${usageOf(subcommand)}\` works in an incident's own channel. ` +
    'Run it there — `/incident list` shows open incidents and links to their channels. ' +
    `These work in an incident channel: ${IN_CHANNEL}.`
  );
}

/** The incident whose channel this is; a UserFacingError saying where to go when it is none. */
export async function requireIncidentChannel(deps: SlackDeps, channelId: string, subcommand: string): Promise<Incident> {
  const incident = await deps.useCases.findIncidentByChannel(channelId);
  if (!incident) throw new UserFacingError(notInIncidentChannel(subcommand));
  return incident;
}
