import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { CARD_ACTIONS } from '../ids';
import { registerUpdateButtons } from './updateButtons';

/**
 * Card buttons whose flows are not built yet answer the person who clicked, ephemerally, instead of
 * leaving the click unanswered.
 */
export function registerActions(app: App, deps: SlackDeps): void {
  registerUpdateButtons(app, deps);
  for (const actionId of Object.values(CARD_ACTIONS)) {
    if (actionId === CARD_ACTIONS.update) continue;
    app.action(actionId, async ({ ack, respond }) => {
      await ack();
      await respond({ response_type: 'ephemeral', replace_original: false, text: 'That action is coming soon. Type `/incident help` for what works today.' }).catch(
        (err) => deps.log.warn({ err }, 'Could not answer a button click'),
      );
    });
  }
}
