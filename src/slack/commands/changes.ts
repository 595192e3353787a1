import { UserFacingError } from '../../errors';
import { closeConfirmation } from '../blocks/closeConfirmation';
import { ROLE_LABELS } from '../blocks/incidentText';
import { capitalize } from '../blocks/text';
import { requireIncidentChannel } from '../incidentContext';
import { personProblem } from '../people';
import { parseNoArgs, parseRoleArgs, parseSeverityArgs, parseStatusArgs, valid } from './arguments';
import type { CommandContext, CommandHandler } from './types';

/** The person sees at once what happened; the card, topic and channel note follow through the outbox. */
async function confirm(ctx: CommandContext, changed: boolean, done: string, already: string): Promise<void> {
  await ctx.ack({ response_type: 'ephemeral', text: changed ? done : `${already} Nothing changed.` });
  if (changed) ctx.deps.dispatcher.kick();
}

const incidentHere = (ctx: CommandContext, subcommand: string) => requireIncidentChannel(ctx.deps, ctx.command.channel_id, subcommand);

export const changeStatusCommand: CommandHandler = async (ctx) => {
  const status = valid('status', parseStatusArgs(ctx.parsed.args));
  const incident = await incidentHere(ctx, 'status');
  const outcome = await ctx.deps.useCases.changeStatus({ incidentId: incident.id, actorId: ctx.command.user_id, status }, ctx.deps.clock());
  await confirm(ctx, outcome.changed, `Status of #${incident.number} is now *${capitalize(status)}*.`, `#${incident.number} is already ${status}.`);
};

export const resolveCommand: CommandHandler = async (ctx) => {
  valid('resolve', parseNoArgs(ctx.parsed.args));
  const incident = await incidentHere(ctx, 'resolve');
  const outcome = await ctx.deps.useCases.changeStatus({ incidentId: incident.id, actorId: ctx.command.user_id, status: 'resolved' }, ctx.deps.clock());
  await confirm(ctx, outcome.changed, `#${incident.number} is resolved.`, `#${incident.number} is already resolved.`);
};

export const changeSeverityCommand: CommandHandler = async (ctx) => {
  const severity = valid('sev', parseSeverityArgs(ctx.parsed.rest));
  const incident = await incidentHere(ctx, 'sev');
  const outcome = await ctx.deps.useCases.changeSeverity({ incidentId: incident.id, actorId: ctx.command.user_id, severity }, ctx.deps.clock());
  await confirm(ctx, outcome.changed, `Severity of #${incident.number} is now *${severity}*.`, `#${incident.number} is already ${severity}.`);
};

export const assignRoleCommand: CommandHandler = async (ctx) => {
  const { role, userId } = valid('role', parseRoleArgs(ctx.parsed.args));
  const incident = await incidentHere(ctx, 'role');
  const problem = await personProblem(ctx.deps, userId, `the ${ROLE_LABELS[role].toLowerCase()}`);
  if (problem) throw new UserFacingError(problem);
  const outcome = await ctx.deps.useCases.assignRole({ incidentId: incident.id, actorId: ctx.command.user_id, role, userId }, ctx.deps.clock());
  await confirm(ctx, outcome.changed, `<@${userId}> is now ${ROLE_LABELS[role].toLowerCase()} of #${incident.number}.`, `<@${userId}> already is.`);
};

/** Only the commander closes; when something is still owed, they are asked to confirm with a button. */
export const closeCommand: CommandHandler = async (ctx) => {
  valid('close', parseNoArgs(ctx.parsed.args));
  const incident = await incidentHere(ctx, 'close');
  const outcome = await ctx.deps.useCases.closeIncident({ incidentId: incident.id, actorId: ctx.command.user_id, confirmed: false }, ctx.deps.clock());
  if ('needsConfirmation' in outcome) {
    await ctx.ack({ response_type: 'ephemeral', ...closeConfirmation(outcome.incident, outcome.needsConfirmation) });
    return;
  }
  await confirm(ctx, outcome.changed, `#${incident.number} is closed.`, `#${incident.number} is already closed.`);
};
