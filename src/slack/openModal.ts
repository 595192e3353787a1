import type { ModalView } from './blocks/kit';
import type { SlackDeps } from './deps';
import { errorCodeOf } from './slackErrors';

type Respond = (reply: { text: string; response_type?: 'ephemeral'; replace_original?: boolean }) => Promise<unknown>;

/**
 * Opens a modal after the request was acknowledged (the trigger lives 3 seconds). When Slack refuses,
 * the person is told, through the request's response_url, what to do instead of waiting for nothing.
 */
export async function openModal(deps: SlackDeps, triggerId: string, view: ModalView, what: string, respond: Respond, retry: string): Promise<void> {
  try {
    await deps.client.views.open({ trigger_id: triggerId, view });
  } catch (err) {
    const code = errorCodeOf(err);
    deps.log.warn({ err: code, what }, 'Could not open a modal');
    await respond({ response_type: 'ephemeral', replace_original: false, text: `Herald could not open the ${what} (Slack said "${code}"). Please ${retry} again.` }).catch(
      (e) => deps.log.warn({ err: e }, 'Could not tell the person that the modal did not open'),
    );
  }
}
