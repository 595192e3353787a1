import type { ModalView } from './blocks/kit';
import type { SlackDeps } from './deps';
import { errorCodeOf } from './slackErrors';

type Respond = (reply: { text: string; response_type?: 'ephemeral'; replace_original?: boolean }) => Promise<unknown>;

/**
 * Opens a modal with the trigger of the request (or pushes it onto the modal the click came from); the
 * id of the view opened. When Slack refuses, the person is told how to try again instead of being left
 * with nothing, and the answer is null.
 */
export async function openModal(
  deps: SlackDeps,
  options: { triggerId: string; view: ModalView; push?: boolean; respond?: Respond; tell?: (text: string) => Promise<void>; what: string; retry: string },
): Promise<string | null> {
  try {
    const opened = options.push
      ? await deps.client.views.push({ trigger_id: options.triggerId, view: options.view })
      : await deps.client.views.open({ trigger_id: options.triggerId, view: options.view });
    return opened.view?.id ?? null;
  } catch (err) {
    const code = errorCodeOf(err);
    deps.log.warn({ err: code, what: options.what }, 'Could not open a modal');
    const text = `Herald could not open the ${options.what} (Slack said "${code}"). Please ${options.retry}.`;
    if (options.tell) {
      await options.tell(text);
      return null;
    }
    await options
      .respond?.({ response_type: 'ephemeral', replace_original: false, text })
      .catch((e) => deps.log.warn({ err: e }, 'Could not tell the person the modal did not open'));
    return null;
  }
}
