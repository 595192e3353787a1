import { mayCorrect } from '../../incidents/timelineCorrections';
import { timelineMessage } from '../blocks/timeline';
import { requireIncidentChannel } from '../incidentContext';
import { parseNoArgs, valid } from './arguments';
import type { CommandHandler } from './types';

export const addNoteCommand: CommandHandler = async ({ command, parsed, ack, deps }) => {
  const incident = await requireIncidentChannel(deps, command.channel_id, 'note');
  await deps.useCases.addNote({ incidentId: incident.id, actorId: command.user_id, text: parsed.rest }, deps.clock());
  await ack({ response_type: 'ephemeral', text: `Added to the timeline of #${incident.number}. \`/incident timeline\` shows it.` });
};

/** Shown only to the person who asked; it is typed in the incident's channel, so they are in it. */
export const showTimelineCommand: CommandHandler = async ({ command, parsed, ack, deps }) => {
  valid('timeline', parseNoArgs(parsed.args));
  const incident = await requireIncidentChannel(deps, command.channel_id, 'timeline');
  const events = await deps.useCases.listTimeline(incident.id);
  await ack({ response_type: 'ephemeral', ...timelineMessage(incident, events, { canCorrect: mayCorrect(incident, command.user_id) }) });
};
