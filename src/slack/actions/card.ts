import { z } from 'zod';
import type { Incident } from '../../incidents/model';
import { roleModal, severityModal, statusModal } from '../blocks/changeModals';
import { closeConfirmation } from '../blocks/closeConfirmation';
import type { ModalView } from '../blocks/kit';
import type { SlackDeps } from '../deps';
import { CARD_ACTIONS, CLOSE_ACTIONS } from '../ids';
import { incidentForResponder } from '../permissions';
import type { ButtonArgs, SlackRoutes } from '../routes';
import { errorCodeOf } from '../slackErrors';
import { answerClick } from './answer';

/** Every Herald button carries its incident's id as its value. */
const incidentIdOf = (args: ButtonArgs) => z.coerce.number().int().positive().parse(args.action.value);

function onClick(routes: SlackRoutes, deps: SlackDeps, actionId: string, work: (args: ButtonArgs, tell: (reply: { text: string; blocks?: unknown[]; replace_original?: boolean }) => Promise<void>) => Promise<void>) {
  routes.button(actionId, async (args) => {
    await answerClick({ ack: () => args.ack(), respond: (reply) => args.respond(reply) }, deps.log, (tell) => work(args, tell));
  });
}

/** A card button that needs a choice opens its modal, for people in the incident's channel only. */
function opensModal(routes: SlackRoutes, deps: SlackDeps, actionId: string, build: (incident: Incident) => ModalView): void {
  onClick(routes, deps, actionId, async (args, tell) => {
    const incident = await incidentForResponder(deps, incidentIdOf(args), args.body.user.id);
    try {
      await deps.client.views.open({ trigger_id: args.body.trigger_id, view: build(incident) });
    } catch (err) {
      deps.log.warn({ err: errorCodeOf(err) }, 'Could not open a change modal');
      await tell({ text: `Herald could not open the form (Slack said "${errorCodeOf(err)}"). Please click again.` });
    }
  });
}

export function registerCardActions(routes: SlackRoutes, deps: SlackDeps): void {
  opensModal(routes, deps, CARD_ACTIONS.status, statusModal);
  opensModal(routes, deps, CARD_ACTIONS.severity, severityModal);
  opensModal(routes, deps, CARD_ACTIONS.role, roleModal);

  onClick(routes, deps, CARD_ACTIONS.resolve, async (args, tell) => {
    const incident = await incidentForResponder(deps, incidentIdOf(args), args.body.user.id);
    const outcome = await deps.useCases.changeStatus({ incidentId: incident.id, actorId: args.body.user.id, status: 'resolved' }, deps.clock());
    if (outcome.changed) deps.dispatcher.kick();
    else await tell({ text: `#${incident.number} is already resolved.` });
  });

  // The answer to `/incident close` when something is still owed. The use case checks again that the clicker is the commander.
  onClick(routes, deps, CLOSE_ACTIONS.confirm, async (args, tell) => {
    const outcome = await deps.useCases.closeIncident({ incidentId: incidentIdOf(args), actorId: args.body.user.id, confirmed: true }, deps.clock());
    if ('needsConfirmation' in outcome) {
      await tell({ replace_original: true, ...closeConfirmation(outcome.incident, outcome.needsConfirmation) });
      return;
    }
    deps.dispatcher.kick();
    await tell({ replace_original: true, text: `#${outcome.incident.number} is closed.` });
  });
}
