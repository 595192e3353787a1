import type { SeverityDurations } from '../../config';
import { helpMessage, usageOf } from '../blocks/help';
import type { MessageContent } from '../blocks/kit';
import { closestSubcommand } from './parse';
import type { CommandHandler } from './types';

/** The help depends only on configuration, so it is built once rather than on every request. */
const builtHelp = new WeakMap<SeverityDurations, MessageContent>();

function helpFor(cadence: SeverityDurations): MessageContent {
  let help = builtHelp.get(cadence);
  if (!help) builtHelp.set(cadence, (help = helpMessage(cadence)));
  return help;
}

export const showHelp: CommandHandler = async ({ ack, deps }) => {
  await ack({ response_type: 'ephemeral', ...helpFor(deps.config.updateCadence) });
};

export const unknownSubcommand: CommandHandler = async ({ ack, deps, parsed }) => {
  const nearest = closestSubcommand(parsed.name);
  const intro = `\`${parsed.name}\` is not a Herald subcommand.${nearest ? ` Did you mean \`${usageOf(nearest)}\`?` : ''}`;
  await ack({ response_type: 'ephemeral', ...helpMessage(deps.config.updateCadence, intro) });
};

export const comingSoon: CommandHandler = async ({ ack, parsed }) => {
  await ack({ response_type: 'ephemeral', text: `\`${usageOf(parsed.name)}\` is coming soon. Type \`/incident help\` for what works today.` });
};
