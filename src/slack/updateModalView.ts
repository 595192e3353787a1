import { CadencePolicy } from '../comms/cadence';
import { describeDestinations, planDestinations } from '../comms/destinations';
import { incidentAudience } from '../comms/stakeholdersRepository';
import { latestStatusUpdate } from '../comms/statusUpdateRepository';
import { listSubscribers } from '../comms/subscribersRepository';
import { UserFacingError } from '../errors';
import type { Incident } from '../incidents/model';
import { getIncident } from '../incidents/repository';
import type { ModalView } from './blocks/kit';
import { updateModal } from './blocks/updateModal';
import type { SlackDeps } from './deps';
import { withinRequestDeadline } from './guard';

/**
 * The update modal for an incident (or its id), ready to open: from the last update's wording, with the
 * severity's cadence as the default next update and where it will go. Reads only the database, so it
 * fits inside the trigger's 3 seconds.
 */
export async function prepareUpdateModal(deps: SlackDeps, incidentOrId: Incident | number): Promise<ModalView> {
  return withinRequestDeadline(
    (async () => {
      const incident = typeof incidentOrId === 'number' ? await getIncident(deps.db, incidentOrId) : incidentOrId;
      if (!incident) throw new UserFacingError('That incident no longer exists.');
      if (incident.status === 'closed') throw new UserFacingError(`Incident #${incident.number} is closed; it takes no more updates.`);
      const [previous, audience, subscribers] = await Promise.all([
        latestStatusUpdate(deps.db, incident.id),
        incidentAudience(deps.db, incident.id),
        listSubscribers(deps.db, incident.id),
      ]);
      const where = incident.isPrivate
        ? 'the incident channel, and by DM to its stakeholders and subscribers who are members of it'
        : describeDestinations(planDestinations({ incident, audience, subscribers }));
      const cadenceMs = new CadencePolicy(deps.config.updateCadence).of(incident.severity);
      return updateModal({ incident, previous, cadenceMs, audience: where });
    })(),
  );
}
