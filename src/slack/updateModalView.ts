import { CadencePolicy } from '../comms/cadence';
import { describeDestinations, incidentKeptToMembers, planDestinations } from '../comms/destinations';
import type { Incident } from '../incidents/model';
import type { ModalView } from './blocks/kit';
import { updateModal } from './blocks/updateModal';
import type { SlackDeps } from './deps';

/**
 * The update modal for an incident (or its id), ready to open: from the last update's wording, with the
 * severity's cadence as the default next update and where it will go. Reads only the database, so it
 * fits inside the trigger's 3 seconds.
 */
export async function prepareUpdateModal(deps: SlackDeps, incidentOrId: Incident | number): Promise<ModalView> {
  const { incident, previous, audience, subscribers } = await deps.useCases.loadUpdateForm(incidentOrId);
  const where = incidentKeptToMembers(incident)
    ? `the incident channel, and by DM to its stakeholders and subscribers who are members of it${incident.isDrill ? ' (a drill: nothing goes to stakeholder or announcement channels)' : ''}`
    : describeDestinations(planDestinations({ incident, audience, subscribers }));
  const cadenceMs = new CadencePolicy(deps.config.updateCadence).of(incident.severity);
  return updateModal({ incident, previous, cadenceMs, audience: where });
}
