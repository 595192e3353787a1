import { declareModal } from '../blocks/declareModal';
import { LIMITS } from '../blocks/text';
import { openModal } from '../openModal';
import type { CommandHandler } from './types';

/** Opens the declare modal. The trigger lives 3 seconds, so only the service list is read first. */
export const openDeclareModal: CommandHandler = async ({ command, parsed, ack, respond, deps }) => {
  const services = await deps.useCases.listServices(command.team_id, LIMITS.staticOptions);
  await ack();
  await openModal(deps, { triggerId: command.trigger_id, view: declareModal({ title: parsed.rest, declarerId: command.user_id, services }), what: 'declare form', respond, retry: 'run `/incident declare` again' });
};
