import { incidentList } from '../blocks/incidentList';
import { visibleTo } from '../membership';
import type { CommandHandler } from './types';

/** Enough for any real day; the list shows the newest. */
const LIST_LIMIT = 200;

export const listIncidents: CommandHandler = async ({ command, ack, deps }) => {
  const open = await deps.useCases.listOpenIncidents(command.team_id, LIST_LIMIT);
  const visible = await visibleTo(deps, command.user_id, open);
  await ack({ response_type: 'ephemeral', ...incidentList(visible) });
};
