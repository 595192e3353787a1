import { parseHomeWindow } from '../../home/model';
import { declareForm } from '../commands/declare';
import type { SlackDeps } from '../deps';
import { publishHome } from '../home';
import { HOME_ACTIONS } from '../ids';
import { openModal } from '../openModal';
import type { SlackRoutes } from '../routes';

const teamOf = (body: { team: { id: string } | null; user: { team_id?: string } }) => body.team?.id ?? body.user.team_id ?? '';

/**
 * The Home tab's own controls. Clicks there carry no response_url, so what a person needs to know
 * is drawn into the tab itself (see the follow-up Done button in ./reviews.ts).
 */
export function registerHomeActions(routes: SlackRoutes, deps: SlackDeps): void {
  routes.button(HOME_ACTIONS.declare, async ({ ack, body }) => {
    await ack();
    const view = await declareForm(deps, teamOf(body), body.user.id);
    await openModal(deps, { triggerId: body.trigger_id, view, what: 'declare form', retry: 'run `/incident declare`' });
  });

  // A link button: Slack opens the channel and still tells Herald, which has nothing to add.
  routes.button(HOME_ACTIONS.open, async ({ ack }) => {
    await ack();
  });

  routes.select(HOME_ACTIONS.window, async ({ ack, body, action }) => {
    await ack();
    const window = parseHomeWindow(action.selected_option?.value);
    if (!window) return;
    const teamId = teamOf(body);
    await deps.useCases.chooseHomeWindow(teamId, body.user.id, window, deps.clock());
    await publishHome(deps, { teamId, userId: body.user.id, window });
  });
}
