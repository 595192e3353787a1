import { z } from 'zod';
import { type ChangeOutcome } from '../../incidents/changes';
import { ROLES } from '../../incidents/model';
import { SEVERITIES } from '../../incidents/severity';
import { CHOOSABLE_STATUSES } from '../blocks/changeModals';
import { ROLE_LABELS } from '../blocks/incidentText';
import type { SlackDeps } from '../deps';
import { explainFailure } from '../guard';
import { CHANGE_ACTIONS as A, CHANGE_BLOCKS as B, VIEWS } from '../ids';
import { personProblem } from '../people';
import { incidentForResponder } from '../permissions';
import type { SlackRoutes, SubmissionArgs } from '../routes';
import { fieldErrors, readState, type ViewState } from './values';

const metadataSchema = z.object({ incidentId: z.number().int().positive() });

/** A submission's problem shown under the block it concerns; nothing is changed. */
class FieldProblem extends Error {
  constructor(
    readonly blockId: string,
    message: string,
  ) {
    super(message);
  }
}

function parsed<T>(schema: z.ZodType<T>, input: unknown, blockFor: Record<string, string>): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const [blockId, message] = Object.entries(fieldErrors(result.error.issues, blockFor))[0];
  throw new FieldProblem(blockId, message);
}

/**
 * Handles a change modal's submission: re-checks against the database that the person may change the
 * incident (they may have left its channel since the modal opened), applies the change, and closes the
 * modal. Any refusal stays in the modal, under `mainBlock` unless it concerns another block.
 */
function onSubmit(routes: SlackRoutes, deps: SlackDeps, callbackId: string, mainBlock: string, apply: (args: SubmissionArgs, incidentId: number, values: ViewState) => Promise<ChangeOutcome>): void {
  routes.submission(callbackId, async (args) => {
    const { ack, body, view } = args;
    try {
      const { incidentId } = metadataSchema.parse(JSON.parse(view.private_metadata));
      const incident = await incidentForResponder(deps, incidentId, body.user.id);
      const outcome = await apply(args, incident.id, view.state.values as ViewState);
      await ack();
      if (outcome.changed) deps.dispatcher.kick();
    } catch (err) {
      if (err instanceof FieldProblem) return ack({ response_action: 'errors', errors: { [err.blockId]: err.message } });
      const explained = explainFailure(err, deps.log);
      if (explained === null) throw err;
      return ack({ response_action: 'errors', errors: { [mainBlock]: explained } });
    }
  });
}

const statusSchema = z.object({ status: z.enum(CHOOSABLE_STATUSES, { message: 'Choose a status.' }) });
const severitySchema = z.object({ severity: z.enum(SEVERITIES, { message: 'Choose a severity.' }) });
const roleSchema = z.object({
  role: z.enum(ROLES, { message: 'Choose a role.' }),
  userId: z.string({ message: 'Choose a person.' }).regex(/^[UW][A-Z0-9]+$/, 'Choose a person.'),
});

export function registerChangeViews(routes: SlackRoutes, deps: SlackDeps): void {
  const now = () => deps.clock();

  onSubmit(routes, deps, VIEWS.status, B.status, ({ body }, incidentId, values) => {
    const { status } = parsed(statusSchema, { status: readState(values).option(B.status, A.status) ?? undefined }, { status: B.status });
    return deps.useCases.changeStatus({ incidentId, actorId: body.user.id, status }, now());
  });

  onSubmit(routes, deps, VIEWS.severity, B.severity, ({ body }, incidentId, values) => {
    const { severity } = parsed(severitySchema, { severity: readState(values).option(B.severity, A.severity) ?? undefined }, { severity: B.severity });
    return deps.useCases.changeSeverity({ incidentId, actorId: body.user.id, severity }, now());
  });

  onSubmit(routes, deps, VIEWS.role, B.role, async ({ body }, incidentId, values) => {
    const state = readState(values);
    const { role, userId } = parsed(
      roleSchema,
      { role: state.option(B.role, A.role) ?? undefined, userId: state.user(B.user, A.user) ?? undefined },
      { role: B.role, userId: B.user },
    );
    const problem = await personProblem(deps, userId, `the ${ROLE_LABELS[role].toLowerCase()}`);
    if (problem) throw new FieldProblem(B.user, problem);
    return deps.useCases.assignRole({ incidentId, actorId: body.user.id, role, userId }, now());
  });
}
