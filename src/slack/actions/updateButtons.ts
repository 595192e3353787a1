import { UserFacingError } from '../../errors';
import { slackDate } from '../blocks/text';
import { parseSnoozeValue } from '../blocks/updatePrompt';
import type { SlackDeps } from '../deps';
import { explainFailure } from '../guard';
import { CARD_ACTIONS, PROMPT_ACTIONS } from '../ids';
import { openModal } from '../openModal';
import type { SlackRoutes } from '../routes';
import { prepareUpdateModal } from '../updateModalView';

type Respond = (reply: { text: string; response_type?: 'ephemeral'; replace_original?: boolean }) => Promise<unknown>;

/** A button's work, with failures told to the person who clicked rather than swallowed. */
export async function answerClick(deps: SlackDeps, respond: Respond, work: () => Promise<void>): Promise<void> {
  const tell = (text: string) =>
    respond({ response_type: 'ephemeral', replace_original: false, text }).catch((err) => deps.log.warn({ err }, 'Could not answer a button click'));
  try {
    await work();
  } catch (err) {
    const explained = explainFailure(err, deps.log);
    if (explained !== null) return void (await tell(explained));
    await tell('Something went wrong on Herald’s side and nothing was changed.');
    throw err;
  }
}

/** "Post update" on the card and the overdue notice, and "Write the update" on a prompt. */
export function registerUpdateButtons(routes: SlackRoutes, deps: SlackDeps): void {
  for (const actionId of [CARD_ACTIONS.update, PROMPT_ACTIONS.write]) {
    routes.button(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      await answerClick(deps, respond, async () => {
        const incidentId = Number(action.value);
        if (!Number.isInteger(incidentId) || incidentId <= 0) throw new UserFacingError('That button no longer points at an incident.');
        const view = await prepareUpdateModal(deps, incidentId);
        await openModal(deps, { triggerId: body.trigger_id, view, what: 'update form', respond, retry: 'click the button again' });
      });
    });
  }

  routes.button(PROMPT_ACTIONS.snooze, async ({ ack, body, action, respond }) => {
    await ack();
    await answerClick(deps, respond, async () => {
      const target = parseSnoozeValue(action.value ?? '');
      if (!target) throw new UserFacingError('That button no longer points at an incident.');
      const outcome = await deps.useCases.snoozeUpdatePrompt({ ...target, actorId: body.user.id }, deps.clock());
      const text =
        'stale' in outcome
          ? `An update on incident #${outcome.incident.number} has gone out since this reminder, or its schedule changed; nothing to put off.`
          : `Okay — no change for now. Herald will remind you ${slackDate(outcome.remindAt, 'at {time}')} (in ${outcome.minutes} min) unless an update goes out first.`;
      await respond({ replace_original: true, text });
    });
  });
}
