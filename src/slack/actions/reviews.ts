import type { ButtonAction } from '@slack/bolt';
import { isDatabaseUnavailable } from '../../db/client';
import { UserFacingError } from '../../errors';
import { getIncident } from '../../incidents/repository';
import { completeFollowUp, listIncidentFollowUps, listMyFollowUps } from '../../reviews/followUps';
import { todayFor } from '../../reviews/timeZones';
import { loadReviewForm } from '../../reviews/writeReview';
import { followUpModal } from '../blocks/followUpModal';
import { followUpDoneNote, incidentFollowUpList, myFollowUpList, parseDoneButtonValue } from '../blocks/followUps';
import { reviewModal } from '../blocks/reviewModal';
import { escapeMrkdwn } from '../blocks/text';
import type { SlackDeps } from '../deps';
import { publishHome, windowOfView } from '../home';
import { DB_DOWN_MESSAGE, withinRequestDeadline } from '../guard';
import { REVIEW_ACTIONS } from '../ids';
import { openModal } from '../openModal';
import type { SlackRoutes } from '../routes';

type Respond = (reply: { text: string; blocks?: unknown[]; response_type?: 'ephemeral'; replace_original?: boolean }) => Promise<unknown>;


/** Tells the clicker why nothing happened: a rule they hit, or the database being away. */
async function explain(deps: SlackDeps, respond: Respond | undefined, err: unknown): Promise<void> {
  let text: string;
  if (err instanceof UserFacingError) text = err.message;
  else if (isDatabaseUnavailable(err)) text = DB_DOWN_MESSAGE;
  else throw err;
  if (!respond) return;
  await respond({ response_type: 'ephemeral', replace_original: false, text }).catch((e) => deps.log.warn({ err: e }, 'Could not answer a button click'));
}

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
      const form = await withinRequestDeadline(loadReviewForm(deps.db, incidentId, body.user.id));
      await openModal(deps, { triggerId: body.trigger_id, view: reviewModal({ ...form, values: form.prefill }), respond, what: 'review form', retry: 'run `/incident review` in the incident channel' });
    } catch (err) {
      await explain(deps, respond, err);
    }
  });

  routes.button(REVIEW_ACTIONS.addFollowUp, async ({ ack, body, action, respond }) => {
    await ack();
    const incidentId = incidentIdOf(action);
    if (incidentId === null) return;
    try {
      const [incident, today] = await withinRequestDeadline(Promise.all([getIncident(deps.db, incidentId), todayFor(deps.db, body.user.id, deps.clock())]));
      if (!incident) throw new UserFacingError('That incident no longer exists.');
      await openModal(deps, {
        triggerId: body.trigger_id,
        // From inside the review modal, the follow-up form goes on top of it and returns to it when done.
        push: body.view !== undefined,
        view: followUpModal({ incidentId, incidentNumber: incident.number, today }),
        respond,
        what: 'follow-up form',
        retry: 'run `/incident followup` in the incident channel',
      });
    } catch (err) {
      await explain(deps, respond, err);
    }
  });

  routes.button(REVIEW_ACTIONS.followUpDone, async ({ ack, body, action, respond }) => {
    await ack();
    const target = parseDoneButtonValue(action.value ?? '');
    if (!target) return;
    const userId = body.user.id;
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    try {
      const { followUp, changed } = await withinRequestDeadline(completeFollowUp(deps.db, { followUpId: target.followUpId, userId, ownerHomeRedrawn: target.list === 'home' }, deps.clock()));
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
      const today = await withinRequestDeadline(todayFor(deps.db, userId, deps.clock()));
      if (target.list === 'mine') {
        const mine = await withinRequestDeadline(listMyFollowUps(deps.db, body.team?.id ?? followUp.teamId, userId));
        await respond({ response_type: 'ephemeral', replace_original: true, ...myFollowUpList(mine, today) });
      } else {
        const incident = await withinRequestDeadline(getIncident(deps.db, followUp.incidentId));
        const all = await withinRequestDeadline(listIncidentFollowUps(deps.db, followUp.incidentId));
        if (incident) await respond({ response_type: 'ephemeral', replace_original: true, ...incidentFollowUpList(incident, all, today) });
      }
    } catch (err) {
      // The Home tab has no response_url: the reason is drawn at the top of the tab instead.
      if (target.list === 'home' && err instanceof UserFacingError) {
        await publishHome(deps, { teamId, userId, window: windowOfView(body.view), notice: err.message });
        return;
      }
      await explain(deps, respond, err);
    }
  });
}
