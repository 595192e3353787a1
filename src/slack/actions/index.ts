import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { CARD_ACTIONS } from '../ids';
import { registerCardActions } from './card';

/** Card buttons whose flows are built elsewhere; until then they answer instead of leaving the click unanswered. */
const NOT_YET_BUILT = [CARD_ACTIONS.update];

export function registerActions(app: App, deps: SlackDeps): void {
  registerCardActions(app, deps);
  for (const actionId of NOT_YET_BUILT) {
    app.action(actionId, async ({ ack, respond }) => {
      await ack();
      await respond({ response_type: 'ephemeral', replace_original: false, text: 'That action is coming soon. Type `/incident help` for what works today.' }).catch(
        (err) => deps.log.warn({ err }, 'Could not answer a button click'),
      );
    });
  }
}
