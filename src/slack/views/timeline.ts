import { z } from 'zod';
import { CorrectionFieldError } from '../../incidents/timelineCorrections';
import { doneView } from '../blocks/doneView';
import type { SlackDeps } from '../deps';
import { explainFailure } from '../guard';
import { TIMELINE_ACTIONS as A, TIMELINE_BLOCKS as B, VIEWS } from '../ids';
import type { SlackRoutes } from '../routes';
import { readState, type ViewState } from './values';

const metadataSchema = z.object({ eventId: z.number().int().positive() });

/**
 * The correction form's submission: the use case checks again who may correct and what may be, and
 * records the correction. A refusal stays in the form, under the field it concerns.
 */
export function registerTimelineViews(routes: SlackRoutes, deps: SlackDeps): void {
  routes.submission(VIEWS.timelineCorrection, async ({ ack, body, view }) => {
    const { eventId } = metadataSchema.parse(JSON.parse(view.private_metadata));
    const state = readState(view.state.values as ViewState);
    const at = state.dateTime(B.at, A.at);
    if (!at) return ack({ response_action: 'errors', errors: { [B.at]: 'Choose when it happened.' } });
    try {
      const outcome = await deps.useCases.correctTimelineEntry({ eventId, actorId: body.user.id, at, text: state.text(B.text, A.text) }, deps.clock());
      const line = outcome.corrected
        ? `The timeline of #${outcome.incident.number} is corrected, and says who corrected it and what it read before. \`/incident timeline\` shows it.`
        : 'Nothing was changed: the entry already read so.';
      await ack({ response_action: 'update', view: doneView('Timeline corrected', [line]) });
    } catch (err) {
      if (err instanceof CorrectionFieldError) return ack({ response_action: 'errors', errors: { [err.field === 'at' ? B.at : B.text]: err.message } });
      const explained = explainFailure(err, deps.log);
      if (explained === null) throw err;
      return ack({ response_action: 'errors', errors: { [B.text]: explained } });
    }
  });
}
