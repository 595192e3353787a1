import { channelText } from '../blocks/incidentText';
import { requireIncidentChannel } from '../incidentContext';
import type { CommandHandler } from './types';

/** `/incident subscribe`: the caller gets this incident's updates by DM. */
export const subscribeToIncident: CommandHandler = async ({ command, ack, deps }) => {
  const incident = await requireIncidentChannel(deps, command.channel_id, 'subscribe');
  const added = await deps.useCases.subscribe(incident, command.user_id, deps.clock());
  const text = added
    ? `You will get incident #${incident.number}'s status updates by DM. Stop with \`/incident unsubscribe\` here.`
    : `You already get incident #${incident.number}'s status updates by DM. Stop with \`/incident unsubscribe\` here.`;
  await ack({ response_type: 'ephemeral', text });
};

/** `/incident unsubscribe`: stop getting them. */
export const unsubscribeFromIncident: CommandHandler = async ({ command, ack, deps }) => {
  const incident = await requireIncidentChannel(deps, command.channel_id, 'unsubscribe');
  const removed = await deps.useCases.unsubscribe(incident, command.user_id);
  const text = removed
    ? `You will no longer get incident #${incident.number}'s updates by DM. They still appear in ${channelText(incident)}.`
    : `You were not subscribed to incident #${incident.number}. (If you are a stakeholder of one of its services, the service owner can take you off its list with \`/incident stakeholders <service>\`.)`;
  await ack({ response_type: 'ephemeral', text });
};
