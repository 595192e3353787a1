import { z } from 'zod';
import { UserFacingError } from '../../errors';
import type { ShortcutMessage } from '../../incidents/messages';
import { answerClick } from '../actions/updateButtons';
import { addedToTimelineText, addToTimelineLoading, addToTimelineModal, NO_OPEN_INCIDENT_TEXT } from '../blocks/addToTimelineModal';
import { doneView } from '../blocks/doneView';
import type { SlackDeps } from '../deps';
import { ADD_TO_TIMELINE_ACTIONS as A, ADD_TO_TIMELINE_BLOCKS as B, SHORTCUTS, VIEWS } from '../ids';
import { visibleTo } from '../membership';
import { openModal } from '../openModal';
import type { SlackRoutes } from '../routes';
import { slackCall } from '../slackErrors';
import { submitOrShowError } from '../views/submission';
import { readState, type ViewState } from '../views/values';
import { permalinkOf, shortcutMessage, teamOfShortcut } from './message';

/** Enough open incidents for any real day; the choice shows what the person may see of them. */
const OPEN_READ = 200;

const metadataSchema = z.object({
  message: z.object({
    channelId: z.string().min(1),
    ts: z.string().regex(/^\d+\.\d+$/),
    authorId: z.string().nullable(),
    text: z.string(),
    permalink: z.string().nullable().optional(),
  }),
});

/** The message a choice modal carries, or null when its metadata is not Herald's. */
function messageOf(privateMetadata: string | undefined): ShortcutMessage | null {
  try {
    return metadataSchema.parse(JSON.parse(privateMetadata ?? '')).message;
  } catch {
    return null;
  }
}

/**
 * *Add to timeline* on a message. In an incident's channel the message goes on that incident's
 * timeline and the person is told ephemerally. Elsewhere a modal opens at once (the trigger lives 3
 * seconds) and then offers the open incidents the person may see (private ones only to their members).
 */
export function registerAddToTimeline(routes: SlackRoutes, deps: SlackDeps): void {
  routes.messageShortcut(SHORTCUTS.addToTimeline, async ({ ack, shortcut, respond }) => {
    await ack();
    await answerClick(deps, respond, async () => {
      const message = shortcutMessage(shortcut);
      const here = await deps.useCases.findIncidentByChannel(message.channelId);
      if (here) {
        const permalink = await permalinkOf(deps, message);
        const { incident, added } = await deps.useCases.addMessageToIncident({ incidentId: here.id, message: { ...message, permalink }, addedBy: shortcut.user.id });
        await respond({ response_type: 'ephemeral', replace_original: false, text: addedToTimelineText(incident, added) });
        return;
      }
      const viewId = await openModal(deps, { triggerId: shortcut.trigger_id, view: addToTimelineLoading(), what: 'timeline form', respond, retry: 'use the *Add to timeline* shortcut again' });
      if (!viewId) return;
      const [open, permalink] = await Promise.all([
        deps.useCases.listOpenIncidents(teamOfShortcut(shortcut), OPEN_READ).then((all) => visibleTo(deps, shortcut.user.id, all)),
        permalinkOf(deps, message),
      ]);
      const view = open.length > 0 ? addToTimelineModal({ ...message, permalink }, open) : doneView('Add to timeline', [NO_OPEN_INCIDENT_TEXT]);
      await slackCall(() => deps.client.views.update({ view_id: viewId, view }));
    });
  });

  routes.submission(VIEWS.addToTimeline, async ({ ack, body, view }) => {
    const message = messageOf(view.private_metadata);
    const incidentId = Number(readState(view.state.values as ViewState).option(B.incident, A.incident));
    if (!message || !Number.isInteger(incidentId) || incidentId <= 0) {
      await ack({ response_action: 'errors', errors: { [B.incident]: 'Choose an incident from the list.' } });
      return;
    }
    const outcome = await submitOrShowError(ack, deps.log, { unavailable: B.incident, rule: B.incident }, async () => {
      const incident = await deps.useCases.getIncident(incidentId);
      // The choice offered only what this person may see; a forged or stale choice is refused the same way.
      if (!incident || (await visibleTo(deps, body.user.id, [incident])).length === 0) throw new UserFacingError('That incident is not one you can add to.');
      return deps.useCases.addMessageToIncident({ incidentId, message, addedBy: body.user.id });
    });
    if (!outcome) return;
    await ack({ response_action: 'update', view: doneView('Add to timeline', [addedToTimelineText(outcome.incident, outcome.added)]) });
  });
}
