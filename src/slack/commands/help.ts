import { helpMessage, usageOf } from '../blocks/help';
import { closestSubcommand } from './parse';
import type { CommandHandler } from './types';

export const showHelp: CommandHandler = async ({ ack, deps }) => {
  await ack({ response_type: 'ephemeral', ...helpMessage(deps.config.updateCadence) });
};

export const unknownSubcommand: CommandHandler = async ({ ack, deps, parsed }) => {
  const nearest = closestSubcommand(parsed.name);
  const intro = `\`${parsed.name}\` is not a Herald subcommand.${nearest ? ` Did you mean \`${usageOf(nearest)}\`?` : ''}`;
  await ack({ response_type: 'ephemeral', ...helpMessage(deps.config.updateCadence, intro) });
};

export const comingSoon: CommandHandler = async ({ ack, parsed }) => {
  await ack({ response_type: 'ephemeral', text: `\`${usageOf(parsed.name)}\` is coming soon. Type \`/incident help\` for what works today.` });
};
