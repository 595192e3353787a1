import { UserFacingError } from '../../errors';
import { declareModal } from '../blocks/declareModal';
import { LIMITS } from '../blocks/text';
import type { SlackDeps } from '../deps';
import { ALERT_ACTIONS } from '../ids';
import { openModal } from '../openModal';
import type { SlackRoutes } from '../routes';
import { answerClick } from './updateButtons';

function groupIdOf(value: string | undefined): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0) throw new UserFacingError('That button no longer points at an alert group.');
  return id;
}

/**
 * The triage message's buttons. Any member may declare, attach or dismiss; who did it is recorded
 * (the message and the incident's timeline name them).
 */
export function registerAlertActions(routes: SlackRoutes, deps: SlackDeps): void {
  routes.button(ALERT_ACTIONS.declare, async ({ ack, body, action, respond }) => {
    await ack();
    await answerClick(deps, respond, async () => {
      const form = await deps.useCases.loadAlertDeclareForm(groupIdOf(action.value));
      const services = await deps.useCases.listServices(body.team?.id ?? body.user.team_id ?? '', LIMITS.staticOptions);
      const view = declareModal({
        title: form.title,
        declarerId: body.user.id,
        services,
        severity: form.severity ?? undefined,
        serviceIds: form.serviceIds,
        summary: form.summary,
        alertGroupId: form.groupId,
      });
      await openModal(deps, { triggerId: body.trigger_id, view, what: 'declare form', respond, retry: 'click Declare incident again' });
    });
  });

  for (const actionId of ALERT_ACTIONS.attach) {
    routes.button(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      await answerClick(deps, respond, async () => {
        const [group, incident] = (action.value ?? '').split(':');
        const incidentId = Number(incident);
        if (!Number.isInteger(incidentId) || incidentId <= 0) throw new UserFacingError('That button no longer points at an incident.');
        const result = await deps.useCases.attachAlertGroup({ groupId: groupIdOf(group), incidentId, actorId: body.user.id }, deps.clock());
        deps.dispatcher.kick();
        if (!result.attached) await respond({ response_type: 'ephemeral', replace_original: false, text: 'These alerts were already attached to an incident.' });
      });
    });
  }

  routes.button(ALERT_ACTIONS.dismiss, async ({ ack, body, action, respond }) => {
    await ack();
    await answerClick(deps, respond, async () => {
      await deps.useCases.dismissAlertGroup({ groupId: groupIdOf(action.value), actorId: body.user.id }, deps.clock());
      deps.dispatcher.kick();
    });
  });
}
