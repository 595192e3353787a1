import { declareModal } from '../blocks/declareModal';
import type { ModalView } from '../blocks/kit';
import { LIMITS } from '../blocks/text';
import type { SlackDeps } from '../deps';
import { openModal } from '../openModal';
import type { CommandHandler } from './types';

/** The declare modal for this person; the trigger lives 3 seconds, so only the service list is read. */
export async function declareForm(deps: SlackDeps, teamId: string, declarerId: string, title?: string): Promise<ModalView> {
  const services = await deps.useCases.listServices(teamId, LIMITS.staticOptions);
  return declareModal({ title, declarerId, services });
}

/** Opens the declare modal. */
export const openDeclareModal: CommandHandler = async ({ command, parsed, ack, respond, deps }) => {
  const view = await declareForm(deps, command.team_id, command.user_id, parsed.rest);
  await ack();
  await openModal(deps, { triggerId: command.trigger_id, view, what: 'declare form', respond, retry: 'run `/incident declare` again' });
};
