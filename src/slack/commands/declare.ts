import { listServices } from '../../comms/servicesRepository';
import { declareModal } from '../blocks/declareModal';
import { LIMITS } from '../blocks/text';
import { withinRequestDeadline } from '../guard';
import { errorCodeOf } from '../slackErrors';
import type { CommandHandler } from './types';

/** Opens the declare modal. The trigger lives 3 seconds, so only the service list is read first. */
export const openDeclareModal: CommandHandler = async ({ command, parsed, ack, respond, deps }) => {
  const services = await withinRequestDeadline(listServices(deps.db, command.team_id, LIMITS.staticOptions));
  await ack();
  try {
    await deps.client.views.open({
      trigger_id: command.trigger_id,
      view: declareModal({ title: parsed.rest, declarerId: command.user_id, services }),
    });
  } catch (err) {
    deps.log.warn({ err: errorCodeOf(err) }, 'Could not open the declare modal');
    await respond({
      response_type: 'ephemeral',
      text: `Herald could not open the declare form (Slack said "${errorCodeOf(err)}"). Please run \`/incident declare\` again.`,
    });
  }
};
