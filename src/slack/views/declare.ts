import { z } from 'zod';
import { SEVERITIES } from '../../incidents/severity';
import { SUMMARY_MAX, TITLE_MAX } from '../blocks/declareModal';
import type { SlackDeps } from '../deps';
import { personProblem } from '../people';
import { DECLARE_ACTIONS as A, DECLARE_BLOCKS as B, DECLARE_DRILL_OPTION, DECLARE_PRIVATE_OPTION, VIEWS } from '../ids';
import type { SlackRoutes } from '../routes';
import { submitOrShowError } from './submission';
import { fieldErrors, readState, type ViewState } from './values';

const declareSchema = z.object({
  title: z
    .string()
    .trim()
    .min(3, 'Give the incident a title of at least 3 characters.')
    .max(TITLE_MAX, `Keep the title to ${TITLE_MAX} characters.`),
  severity: z.enum(SEVERITIES, { message: 'Choose a severity.' }),
  serviceIds: z.array(z.string().regex(/^\d+$/, 'Choose services from the list.').transform(Number)),
  summary: z.string().trim().max(SUMMARY_MAX, `Keep the summary to ${SUMMARY_MAX} characters.`),
  commanderId: z.string({ message: 'Choose an incident commander.' }).regex(/^[UW][A-Z0-9]+$/, 'Choose an incident commander.'),
  isPrivate: z.boolean(),
  isDrill: z.boolean(),
  impactStartedAt: z.date().nullable(),
});

/** A clock a minute fast in the person's device still counts as "now". */
const FUTURE_GRACE_MS = 60_000;

const BLOCK_FOR: Record<string, string> = {
  title: B.title,
  severity: B.severity,
  serviceIds: B.services,
  summary: B.summary,
  commanderId: B.commander,
  impactStartedAt: B.impactStarted,
};

export function parseDeclareSubmission(values: ViewState, now: Date) {
  const state = readState(values);
  const schema = declareSchema.refine((d) => d.impactStartedAt === null || d.impactStartedAt.getTime() <= now.getTime() + FUTURE_GRACE_MS, {
    message: 'Customer impact cannot start in the future: choose when customers were first affected, or leave it empty.',
    path: ['impactStartedAt'],
  });
  return schema.safeParse({
    title: state.text(B.title, A.title),
    severity: state.option(B.severity, A.severity) ?? undefined,
    serviceIds: state.options(B.services, A.services),
    summary: state.text(B.summary, A.summary),
    commanderId: state.user(B.commander, A.commander) ?? undefined,
    isPrivate: state.options(B.options, A.options).includes(DECLARE_PRIVATE_OPTION),
    isDrill: state.options(B.options, A.options).includes(DECLARE_DRILL_OPTION),
    impactStartedAt: state.dateTime(B.impactStarted, A.impactStarted),
  });
}

const declareMetadata = z.object({
  alertGroupId: z.number().int().positive().optional(),
  source: z
    .object({ channelId: z.string().min(1), ts: z.string().regex(/^\d+\.\d+$/), authorId: z.string().nullable(), text: z.string() })
    .optional(),
});

/** What a declare modal was opened for: an alert group, a message, or nothing. */
function declaredFrom(privateMetadata: string | undefined): z.infer<typeof declareMetadata> {
  if (!privateMetadata) return {};
  try {
    return declareMetadata.parse(JSON.parse(privateMetadata));
  } catch {
    return {};
  }
}

export function registerDeclareView(routes: SlackRoutes, deps: SlackDeps): void {
  routes.submission(VIEWS.declare, async ({ ack, body, view }) => {
    const now = deps.clock();
    const parsed = parseDeclareSubmission(view.state.values as ViewState, now);
    if (!parsed.success) {
      await ack({ response_action: 'errors', errors: fieldErrors(parsed.error.issues, BLOCK_FOR) });
      return;
    }
    const problem = await personProblem(deps, parsed.data.commanderId, 'the commander', body.user.id);
    if (problem) {
      await ack({ response_action: 'errors', errors: { [B.commander]: problem } });
      return;
    }
    const { alertGroupId, source } = declaredFrom(view.private_metadata);
    const declared = await submitOrShowError(ack, deps.log, { unavailable: B.title, rule: B.services }, () =>
      deps.useCases.declareIncident({ ...parsed.data, source, teamId: body.team?.id ?? view.team_id, declareKey: view.id, declaredBy: body.user.id }, now),
    );
    if (!declared) return;
    if (alertGroupId) {
      // Declared from a triage message: the group joins the incident (again harmlessly on a resubmission).
      const attached = await submitOrShowError(ack, deps.log, { unavailable: B.title, rule: B.title }, () =>
        deps.useCases.attachAlertGroup({ groupId: alertGroupId, incidentId: declared.incidentId, actorId: body.user.id }, deps.clock()),
      );
      if (!attached) return;
    }
    await ack();
    deps.dispatcher.kick();
  });
}
