import { COMMANDER_HINT, withCommanderHint } from '../blocks/declareModal';
import type { SlackDeps } from '../deps';
import { DECLARE_ACTIONS, DECLARE_BLOCKS, VIEWS } from '../ids';
import { personProblem } from '../people';
import type { SlackRoutes } from '../routes';
import { slackCall } from '../slackErrors';

/**
 * A commander picked in the declare modal is looked up there and then, while the person fills in the
 * rest: the answer is kept, so the submission does not wait for Slack before the incident is stored. A
 * pick who cannot lead (a bot, a deactivated account) is shown under the field at once; the submission
 * still refuses them with the same words.
 */
export function registerDeclareCommanderPick(routes: SlackRoutes, deps: SlackDeps): void {
  routes.userSelect(DECLARE_ACTIONS.commander, async ({ ack, body, action }) => {
    await ack();
    const view = body.view;
    if (!view || view.callback_id !== VIEWS.declare || !action.selected_user) return;
    const problem = await personProblem(deps, action.selected_user, 'the commander', body.user.id);
    const hint = problem ?? COMMANDER_HINT;
    const shown = (view.blocks as Array<{ block_id?: string; hint?: { text?: string } }>).find((b) => b.block_id === DECLARE_BLOCKS.commander)?.hint?.text;
    if (shown === hint) return;
    try {
      // The hash makes Slack refuse the update if the modal changed meanwhile (a later pick): that one shows its own answer.
      await slackCall(() => deps.client.views.update({ view_id: view.id, hash: view.hash, view: withCommanderHint(view, hint) }));
    } catch (err) {
      deps.log.info({ err, viewId: view.id }, 'The commander hint could not be shown; the submission checks the pick again');
    }
  });
}
