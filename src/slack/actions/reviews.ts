import type { ButtonAction } from '@slack/bolt';
import { UserFacingError } from '../../errors';
import { followUpModal } from '../blocks/followUpModal';
import { followUpDoneNote, incidentFollowUpList, myFollowUpList, parseDoneButtonValue } from '../blocks/followUps';
import { reviewModal } from '../blocks/reviewModal';
import { escapeMrkdwn } from '../blocks/text';
import type { SlackDeps } from '../deps';
import { explainFailure } from '../guard';
import { publishHome, windowOfView } from '../home';
import { REVIEW_ACTIONS } from '../ids';
import { openModal } from '../openModal';
import { tellerFor, type ClickOrigin } from '../viewNotice';
import type { SlackRoutes } from '../routes';

/** Tells the clicker why nothing happened (a rule they hit, or the database being away), where they clicked. */
async function explain(deps: SlackDeps, origin: ClickOrigin, err: unknown): Promise<void> {
  const text = explainFailure(err, deps.log);
  if (text === null) throw err;
  await tellerFor(deps, origin)?.(text);
}

/** Bolt hands over a respond() only when Slack sent a response_url; the view only for a click inside one. */
const originOf = (body: { view?: unknown }, respond: unknown): ClickOrigin => ({ respond: respond as ClickOrigin['respond'], view: body.view as ClickOrigin['view'] });

const incidentIdOf = (action: ButtonAction) => (/^\d+$/.test(action.value ?? '') ? Number(action.value) : null);

/**
 * Buttons of reviews and follow-ups. Anyone who sees a message can click its buttons, so each click
 * checks against the database that this person may do it.
 */
export function registerReviewActions(routes: SlackRoutes, deps: SlackDeps): void {
  routes.button(REVIEW_ACTIONS.start, async ({ ack, body, action, respond }) => {
    await ack();
    const incidentId = incidentIdOf(action);
    if (incidentId === null) return;
    try {
      const form = await deps.useCases.loadReviewForm(incidentId, body.user.id);
      await openModal(deps, { triggerId: body.trigger_id, view: reviewModal({ ...form, values: form.prefill }), respond, what: 'review form', retry: 'run `/incident review` in the incident channel' });
    } catch (err) {
      await explain(deps, originOf(body, respond), err);
    }
  });

  routes.button(REVIEW_ACTIONS.addFollowUp, async ({ ack, body, action, respond }) => {
    await ack();
    const incidentId = incidentIdOf(action);
    if (incidentId === null) return;
    try {
      const [incident, today] = await Promise.all([deps.useCases.getIncident(incidentId), deps.useCases.todayFor(body.user.id, deps.clock())]);
      if (!incident) throw new UserFacingError('That incident no longer exists.');
      await openModal(deps, {
        triggerId: body.trigger_id,
        // From inside the review modal, the follow-up form goes on top of it and returns to it when done.
        push: body.view !== undefined,
        view: followUpModal({ incidentId, incidentNumber: incident.number, today }),
        tell: tellerFor(deps, originOf(body, respond)),
        what: 'follow-up form',
        retry: 'run `/incident followup` in the incident channel',
      });
    } catch (err) {
      await explain(deps, originOf(body, respond), err);
    }
  });

  routes.button(REVIEW_ACTIONS.followUpDone, async ({ ack, body, action, respond }) => {
    await ack();
    const target = parseDoneButtonValue(action.value ?? '');
    if (!target) return;
    const userId = body.user.id;
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    try {
      const { followUp, changed } = await deps.useCases.completeFollowUp({ followUpId: target.followUpId, userId, ownerHomeRedrawn: target.list === 'home' }, deps.clock());
      // The owner's Home tab, pushed again through the outbox.
      if (changed) deps.dispatcher.kick();
      // Redraw what the button sat in: the Home tab, the DM note, or the list it came from.
      if (target.list === 'home') {
        await publishHome(deps, { teamId, userId, window: windowOfView(body.view), notice: `Marked done: *${escapeMrkdwn(followUp.title)}*` });
        return;
      }
      if (target.list === 'dm') {
        await respond({ replace_original: true, ...followUpDoneNote(followUp, userId) });
        return;
      }
      const today = await deps.useCases.todayFor(userId, deps.clock());
      if (target.list === 'mine') {
        const mine = await deps.useCases.listMyFollowUps(body.team?.id ?? followUp.teamId, userId);
        await respond({ response_type: 'ephemeral', replace_original: true, ...myFollowUpList(mine, today) });
      } else {
        const incident = await deps.useCases.getIncident(followUp.incidentId);
        const all = await deps.useCases.listIncidentFollowUps(followUp.incidentId);
        if (incident) await respond({ response_type: 'ephemeral', replace_original: true, ...incidentFollowUpList(incident, all, today) });
      }
    } catch (err) {
      // The Home tab has no response_url: the reason is drawn at the top of the tab instead.
      if (target.list === 'home' && err instanceof UserFacingError) {
        await publishHome(deps, { teamId, userId, window: windowOfView(body.view), notice: err.message });
        return;
      }
      await explain(deps, originOf(body, respond), err);
    }
  });
}
