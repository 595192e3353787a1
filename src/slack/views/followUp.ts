import { z } from 'zod';
import { dueDateProblem, FOLLOW_UP_TITLE_MAX } from '../../reviews/followUps';
import { earliestDateAnywhere, isCalendarDate, zonedDate } from '../../reviews/localTime';
import { PRIORITIES } from '../../reviews/model';
import { parseFollowUpMetadata } from '../blocks/followUpModal';
import type { SlackDeps } from '../deps';
import { FOLLOW_UP_BLOCKS as B, VIEWS } from '../ids';
import { isChannelMember } from '../membership';
import { lookupPersonWithin, problemWithPerson } from '../people';
import type { SlackRoutes } from '../routes';
import { fieldErrors, readState, type ViewState } from './values';
import { viewWork } from './viewWork';

const followUpSchema = z.object({
  title: z.string().trim().min(3, 'Say what needs doing, in at least 3 characters.').max(FOLLOW_UP_TITLE_MAX, `Keep it to ${FOLLOW_UP_TITLE_MAX} characters.`),
  ownerId: z.string({ message: 'Choose the person who owns it.' }).regex(/^[UW][A-Z0-9]+$/, 'Choose the person who owns it.'),
  dueOn: z.string({ message: 'Choose a due date.' }).refine(isCalendarDate, 'Choose a due date.'),
  priority: z.enum(PRIORITIES, { message: 'Choose a priority.' }),
});

const BLOCK_FOR = { title: B.title, ownerId: B.owner, dueOn: B.due, priority: B.priority };

export function parseFollowUpSubmission(values: ViewState) {
  const state = readState(values);
  return followUpSchema.safeParse({
    title: state.text(B.title, B.title),
    ownerId: state.user(B.owner, B.owner) ?? undefined,
    dueOn: state.date(B.due, B.due) ?? undefined,
    priority: state.option(B.priority, B.priority) ?? undefined,
  });
}

/**
 * Adding a follow-up: the owner must be a person; the due date must not be in the past where the person
 * choosing it is (when Slack does not say where that is, only dates past everywhere are refused).
 * Time zones learned on the way are cached for the 09:00 reminders.
 */
export function registerFollowUpView(routes: SlackRoutes, deps: SlackDeps): void {
  routes.submission(VIEWS.followUp, async ({ ack, body, view }) => {
    const incidentId = parseFollowUpMetadata(view.private_metadata);
    if (incidentId === null) {
      await ack({ response_action: 'errors', errors: { [B.title]: 'This form is out of date. Close it and run `/incident followup` again.' } });
      return;
    }
    const parsed = parseFollowUpSubmission(view.state.values as ViewState);
    if (!parsed.success) {
      await ack({ response_action: 'errors', errors: fieldErrors(parsed.error.issues, BLOCK_FOR) });
      return;
    }
    const input = parsed.data;
    const userId = body.user.id;
    const now = deps.clock();

    // What Herald knows is read while Slack is asked about both people.
    const [known, owner, submitter] = await Promise.all([
      viewWork(deps, (r) => ack(r), B.title, Promise.all([deps.useCases.getIncident(incidentId), deps.useCases.findCachedTimeZone(userId, new Date(0))])),
      lookupPersonWithin(deps, input.ownerId),
      lookupPersonWithin(deps, userId),
    ]);
    if (known === undefined) return; // viewWork has answered: the database is away
    const [incident, cachedZone] = known;
    const ownerProblem = problemWithPerson(deps, input.ownerId, owner, 'the owner');
    if (ownerProblem) {
      await ack({ response_action: 'errors', errors: { [B.owner]: ownerProblem } });
      return;
    }
    const submitterZone = submitter ?? cachedZone;
    const dateProblem = dueDateProblem(input.dueOn, submitterZone ? zonedDate(now, submitterZone) : earliestDateAnywhere(now));
    if (dateProblem) {
      await ack({ response_action: 'errors', errors: { [B.due]: dateProblem } });
      return;
    }
    if (!incident || (incident.isPrivate && !(incident.channelId && (await isChannelMember(deps, incident.channelId, userId))))) {
      await ack({ response_action: 'errors', errors: { [B.title]: 'Only members of the incident’s channel can add its follow-ups.' } });
      return;
    }
    const created = await viewWork(
      deps,
      (r) => ack(r),
      B.title,
      deps.useCases.createFollowUp({ ...input, teamId: incident.teamId, incidentId, createdBy: userId, createKey: view.id }, now),
    );
    if (!created) return;
    await ack();
    deps.dispatcher.kick();
    // Keep the time zones for the reminders and lists; a miss here is filled by the reminder job.
    for (const [id, person] of [[input.ownerId, owner], [userId, submitter]] as const) {
      if (person) await deps.useCases.cacheTimeZone(id, { tz: person.tz, offsetSeconds: person.offsetSeconds }, now).catch(() => undefined);
    }
  });
}
