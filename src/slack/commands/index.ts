import type { App } from '@slack/bolt';
import { SUBCOMMANDS } from '../blocks/help';
import type { SlackDeps } from '../deps';
import { answerCommand } from '../guard';
import { COMMAND } from '../ids';
import { assignRoleCommand, changeSeverityCommand, changeStatusCommand, closeCommand, resolveCommand } from './changes';
import { openDeclareModal } from './declare';
import { runDoctor } from './doctor';
import { listFollowUps, openFollowUp } from './followUps';
import { comingSoon, showHelp, unknownSubcommand } from './help';
import { showInsights } from './insights';
import { listIncidents } from './list';
import { parseCommandText } from './parse';
import { openReview } from './review';
import { addNoteCommand, showTimelineCommand } from './timeline';
import { openStakeholdersModal } from './stakeholders';
import { subscribeToIncident, unsubscribeFromIncident } from './subscribe';
import { openUpdateFromCommand } from './update';
import type { CommandHandler } from './types';

const HANDLERS: Record<string, CommandHandler> = {
  '': showHelp,
  help: showHelp,
  declare: openDeclareModal,
  list: listIncidents,
  review: openReview,
  followup: openFollowUp,
  followups: listFollowUps,
  status: changeStatusCommand,
  sev: changeSeverityCommand,
  role: assignRoleCommand,
  note: addNoteCommand,
  timeline: showTimelineCommand,
  resolve: resolveCommand,
  close: closeCommand,
  stakeholders: openStakeholdersModal,
  subscribe: subscribeToIncident,
  unsubscribe: unsubscribeFromIncident,
  update: openUpdateFromCommand,
  insights: showInsights,
  doctor: runDoctor,
};

/** Every subcommand the router answers by name (bare `/incident` aside). */
export const SUBCOMMAND_NAMES = Object.keys(HANDLERS).filter((name) => name !== '');

function handlerFor(name: string): CommandHandler {
  if (HANDLERS[name]) return HANDLERS[name];
  return SUBCOMMANDS[name] ? comingSoon : unknownSubcommand;
}

export function registerCommands(app: App, deps: SlackDeps): void {
  app.command(COMMAND, async ({ command, ack, respond }) => {
    const parsed = parseCommandText(command.text ?? '');
    await answerCommand({ ack, respond }, deps.log, (trackedAck) =>
      handlerFor(parsed.name)({ command, parsed, ack: trackedAck, respond, deps }),
    );
  });
}
