import { z } from 'zod';
import { timelineCorrectionModal } from '../blocks/timelineCorrectionModal';
import type { SlackDeps } from '../deps';
import { TIMELINE_ACTIONS } from '../ids';
import type { SlackRoutes } from '../routes';
import { errorCodeOf } from '../slackErrors';
import { answerClick } from './answer';

/** The Edit button beside a note or pinned message opens the correction form, for the commander and scribe only. */
export function registerTimelineActions(routes: SlackRoutes, deps: SlackDeps): void {
  routes.button(TIMELINE_ACTIONS.edit, async (args) => {
    await answerClick({ ack: () => args.ack(), respond: (reply) => args.respond(reply) }, deps.log, async (tell) => {
      const eventId = z.coerce.number().int().positive().parse(args.action.value);
      // Read afresh: the roles may have changed since the timeline was shown.
      const { incident, event } = await deps.useCases.loadCorrectionForm({ eventId, actorId: args.body.user.id });
      try {
        await deps.client.views.open({ trigger_id: args.body.trigger_id, view: timelineCorrectionModal(incident, event) });
      } catch (err) {
        deps.log.warn({ err: errorCodeOf(err) }, 'Could not open the timeline correction form');
        await tell({ text: `Herald could not open the form (Slack said "${errorCodeOf(err)}"). Please click again.` });
      }
    });
  });
}
