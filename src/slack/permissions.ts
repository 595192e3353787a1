import { UserFacingError } from '../errors';
import type { Incident } from '../incidents/model';
import { channelText } from './blocks/incidentText';
import type { SlackDeps } from './deps';
import { isChannelMember } from './membership';

/** Past this the membership check counts as "could not tell", which refuses: the click can simply be tried again. */
const MEMBERSHIP_DEADLINE_MS = 1_000;

function isMemberWithin(deps: SlackDeps, channelId: string, userId: string): Promise<boolean> {
  const timer = new Promise<boolean>((resolve) => setTimeout(resolve, MEMBERSHIP_DEADLINE_MS, false).unref());
  return Promise.race([isChannelMember(deps, channelId, userId), timer]);
}

/**
 * The incident behind a button or a modal, when `userId` may change it: anyone in its channel may change
 * status, severity and roles. Read afresh from the database on every click and submission, because anyone
 * who can see a message can click its buttons. Closing has its own rule (the commander), kept by the use case.
 */
export async function incidentForResponder(deps: SlackDeps, incidentId: number, userId: string): Promise<Incident> {
  const incident = await deps.useCases.getIncident(incidentId);
  if (!incident) throw new UserFacingError('That incident no longer exists.');
  if (incident.status === 'closed') throw new UserFacingError(`Incident #${incident.number} is closed; nothing more can change.`);
  if (!incident.channelId || !(await isMemberWithin(deps, incident.channelId, userId))) {
    throw new UserFacingError(`Only people in ${channelText(incident)} can change incident #${incident.number}. Join the channel first.`);
  }
  return incident;
}
