import { requireIncidentChannel } from '../incidentContext';
import { openModal } from '../openModal';
import { prepareUpdateModal } from '../updateModalView';
import type { CommandHandler } from './types';

/** `/incident update`: opens the status update modal for this channel's incident. */
export const openUpdateFromCommand: CommandHandler = async ({ command, ack, respond, deps }) => {
  const incident = await requireIncidentChannel(deps, command.channel_id, 'update');
  const view = await prepareUpdateModal(deps, incident);
  await ack();
  await openModal(deps, { triggerId: command.trigger_id, view, what: 'update form', respond, retry: 'run `/incident update` again' });
};
