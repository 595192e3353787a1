import { modalWithNotice, type ShownModal } from './blocks/viewNotice';
import type { SlackDeps } from './deps';
import { errorCodeOf } from './slackErrors';

type Respond = (reply: { text: string; response_type?: 'ephemeral'; replace_original?: boolean }) => Promise<unknown>;

/** Where a click came from, as Bolt hands it over: a message has a respond(); a view has none. */
export interface ClickOrigin {
  respond?: Respond;
  view?: (ShownModal & { id: string; hash?: string }) | undefined;
}

/**
 * How to tell the clicker something: ephemerally where the click had a response_url (a message), or at
 * the top of the modal it came from — Slack sends no response_url for a click inside a modal.
 */
export function tellerFor(deps: Pick<SlackDeps, 'client' | 'log'>, origin: ClickOrigin): ((text: string) => Promise<void>) | undefined {
  const { respond, view } = origin;
  if (respond) {
    return async (text) => {
      await respond({ response_type: 'ephemeral', replace_original: false, text }).catch((err) => deps.log.warn({ err }, 'Could not answer a button click'));
    };
  }
  if (view?.type !== 'modal') return undefined;
  return async (text) => {
    try {
      await deps.client.views.update({ view_id: view.id, ...(view.hash ? { hash: view.hash } : {}), view: modalWithNotice(view, text) });
    } catch (err) {
      deps.log.warn({ err: errorCodeOf(err) }, 'Could not tell the person in the modal');
    }
  };
}
