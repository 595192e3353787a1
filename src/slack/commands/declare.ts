import { listServices } from '../../comms/servicesRepository';
import { declareModal } from '../blocks/declareModal';
import { LIMITS } from '../blocks/text';
import { withinRequestDeadline } from '../guard';
import { openModal } from '../openModal';
import type { CommandHandler } from './types';

/** Opens the declare modal. The trigger lives 3 seconds, so only the service list is read first. */
export const openDeclareModal: CommandHandler = async ({ command, parsed, ack, respond, deps }) => {
  const services = await withinRequestDeadline(listServices(deps.db, command.team_id, LIMITS.staticOptions));
  await ack();
  await openModal(deps, command.trigger_id, declareModal({ title: parsed.rest, declarerId: command.user_id, services }), 'declare form', respond, 'run `/incident declare`');
};
