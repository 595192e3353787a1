import { UserFacingError } from '../../errors';
import { usageOf } from '../blocks/help';
import { followUpModal } from '../blocks/followUpModal';
import { incidentFollowUpList, myFollowUpList } from '../blocks/followUps';
import { requireIncidentChannel } from '../incidentContext';
import { openModal } from '../openModal';
import type { CommandHandler } from './types';

/** `/incident followup [title]`: the follow-up modal, title prefilled. */
export const openFollowUp: CommandHandler = async ({ command, parsed, ack, respond, deps }) => {
  const incident = await requireIncidentChannel(deps, command.channel_id, 'followup');
  const today = await deps.useCases.todayFor(command.user_id, deps.clock());
  await ack();
  await openModal(deps, {
    triggerId: command.trigger_id,
    view: followUpModal({ incidentId: incident.id, incidentNumber: incident.number, title: parsed.rest, today }),
    respond,
    what: 'follow-up form',
    retry: 'run `/incident followup` again',
  });
};

/** `/incident followups` (yours, anywhere) and `/incident followups all` (this incident's). */
export const listFollowUps: CommandHandler = async ({ command, parsed, ack, deps }) => {
  const arg = parsed.args[0]?.toLowerCase();
  if (arg !== undefined && arg !== 'all') {
    throw new UserFacingError(`\`${parsed.rest}\` is not something \`/incident followups\` knows. Usage: \`${usageOf('followups')}\``);
  }
  const today = await deps.useCases.todayFor(command.user_id, deps.clock());
  if (arg === 'all') {
    const incident = await deps.useCases.findIncidentByChannel(command.channel_id);
    if (!incident) {
      throw new UserFacingError('`/incident followups all` lists an incident’s follow-ups in its own channel. `/incident followups` lists yours from anywhere.');
    }
    const followUps = await deps.useCases.listIncidentFollowUps(incident.id);
    await ack({ response_type: 'ephemeral', ...incidentFollowUpList(incident, followUps, today) });
    return;
  }
  const mine = await deps.useCases.listMyFollowUps(command.team_id, command.user_id);
  await ack({ response_type: 'ephemeral', ...myFollowUpList(mine, today) });
};
