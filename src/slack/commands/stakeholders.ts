import { stakeholdersModal } from '../blocks/stakeholdersModal';
import { openModal } from '../openModal';
import type { CommandHandler } from './types';

/** `/incident stakeholders <service>`: opens the service's owner and stakeholder list, new or known. */
export const openStakeholdersModal: CommandHandler = async ({ command, parsed, ack, respond, deps }) => {
  const service = await deps.useCases.loadServiceStakeholders(command.team_id, parsed.rest);
  await ack();
  await openModal(deps, { triggerId: command.trigger_id, view: stakeholdersModal(service), what: 'stakeholder form', respond, retry: 'run `/incident stakeholders <service>` again' });
};
