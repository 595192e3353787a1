import { UserFacingError } from '../../errors';
import type { SlackDeps } from '../deps';
import { SETUP_ACTIONS } from '../ids';
import type { SlackRoutes } from '../routes';
import { answerClick } from './updateButtons';

/** "Try again" on the declarer's notice that setup gave up. */
export function registerSetupActions(routes: SlackRoutes, deps: SlackDeps): void {
  routes.button(SETUP_ACTIONS.retry, async ({ ack, body, action, respond }) => {
    await ack();
    await answerClick(deps, respond, async () => {
      const incidentId = Number(action.value);
      if (!Number.isInteger(incidentId) || incidentId <= 0) throw new UserFacingError('That button no longer points at an incident.');
      const { incident, requeued } = await deps.useCases.retryIncidentSetup({ incidentId, actorId: body.user.id }, deps.clock());
      if (requeued > 0) deps.dispatcher.kick();
      const text =
        requeued > 0
          ? `Herald is trying again to set up incident #${incident.number}; you will hear here when it is ready.`
          : `Nothing is waiting to be retried for incident #${incident.number}.`;
      await respond({ response_type: 'ephemeral', replace_original: false, text });
    });
  });
}
