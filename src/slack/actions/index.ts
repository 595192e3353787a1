import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { CARD_ACTIONS } from '../ids';

/** Matches exactly the given action ids. */
export function anyOf(ids: Iterable<string>): RegExp {
  const escaped = [...ids].map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^(?:${escaped.join('|')})$`);
}

/** Card buttons whose flows are not built yet. */
export const COMING_SOON_ACTIONS: string[] = Object.values(CARD_ACTIONS);

/**
 * Card buttons whose flows are not built yet answer the person who clicked, ephemerally, instead of
 * leaving the click unanswered. One listener serves them all: Bolt runs every listener's middleware on
 * every request (a slash command too), about 8 µs each in the bench, so listeners are not multiplied.
 */
export function registerActions(app: App, deps: SlackDeps): void {
  app.action(anyOf(COMING_SOON_ACTIONS), async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: 'ephemeral', replace_original: false, text: 'That action is coming soon. Type `/incident help` for what works today.' }).catch(
      (err) => deps.log.warn({ err }, 'Could not answer a button click'),
    );
  });
}
