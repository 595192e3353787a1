import { z } from 'zod';
import { describeDestinations } from '../../comms/destinations';
import { withDeadline } from '../../deadline';
import { parseDuration } from '../../duration';
import { incidentLabel } from '../blocks/incidentText';
import { doneView } from '../blocks/doneView';
import { escapeMrkdwn, truncate } from '../blocks/text';
import { ACTIONS_MAX, IMPACT_MAX, NO_NEXT_UPDATE } from '../blocks/updateModal';
import type { SlackDeps } from '../deps';
import { UPDATE_ACTIONS as A, UPDATE_BLOCKS as B, VIEWS } from '../ids';
import { listChannelMembers } from '../membership';
import type { SlackRoutes } from '../routes';
import { submitOrShowError } from './submission';
import { fieldErrors, readState, type ViewState } from './values';

/** How long the channel member lookup may take inside the submission's 3 seconds. */
const MEMBERS_DEADLINE_MS = 900;

const updateSchema = z.object({
  incidentId: z.number().int().positive(),
  status: z.enum(['investigating', 'identified', 'monitoring', 'resolved'], { message: 'Choose a status.' }),
  customerImpact: z.string().trim().min(1, 'Say what customers notice (or "No customer impact").').max(IMPACT_MAX, `Keep it to ${IMPACT_MAX} characters.`),
  actions: z.string().trim().min(1, 'Say what the team is doing.').max(ACTIONS_MAX, `Keep it to ${ACTIONS_MAX} characters.`),
  nextUpdateMs: z.union([z.literal(NO_NEXT_UPDATE).transform(() => null), z.string().transform((v, ctx) => parseDuration(v) ?? (ctx.addIssue({ code: 'custom', message: 'Choose when the next update comes.' }), z.NEVER))]),
});

const BLOCK_FOR: Record<string, string> = { status: B.status, customerImpact: B.impact, actions: B.actions, nextUpdateMs: B.next, incidentId: B.status };

export function parseUpdateSubmission(values: ViewState, privateMetadata: string) {
  const state = readState(values);
  let incidentId: unknown;
  try {
    incidentId = (JSON.parse(privateMetadata) as { incidentId?: unknown }).incidentId;
  } catch {
    incidentId = undefined;
  }
  return updateSchema.safeParse({
    incidentId,
    status: state.option(B.status, A.status) ?? undefined,
    customerImpact: state.text(B.impact, A.impact),
    actions: state.text(B.actions, A.actions),
    nextUpdateMs: state.option(B.next, A.next) ?? NO_NEXT_UPDATE,
  });
}

export function registerUpdateView(routes: SlackRoutes, deps: SlackDeps): void {
  const channelMembers = (channelId: string) => withDeadline(listChannelMembers(deps, channelId), MEMBERS_DEADLINE_MS);

  routes.submission(VIEWS.update, async ({ ack, body, view }) => {
    const parsed = parseUpdateSubmission(view.state.values as ViewState, view.private_metadata);
    if (!parsed.success) {
      await ack({ response_action: 'errors', errors: fieldErrors(parsed.error.issues, BLOCK_FOR) });
      return;
    }
    const posted = await submitOrShowError(ack, deps.log, { unavailable: B.impact, rule: B.status }, () =>
      deps.useCases.postStatusUpdate(channelMembers, { ...parsed.data, authorId: body.user.id, submitKey: view.id }, deps.clock()),
    );
    if (!posted) return;
    const count = posted.destinations.length;
    await ack({
      response_action: 'update',
      view: doneView('Update sent', [
        `:outbox_tray: Your update on *${escapeMrkdwn(truncate(incidentLabel(posted.incident), 300))}* is on its way to ${count} destination${count === 1 ? '' : 's'}: ${describeDestinations(posted.destinations)}.`,
        'Herald will DM you once every one has it, and name any it could not reach.',
      ]),
    });
    deps.dispatcher.kick();
  });
}
