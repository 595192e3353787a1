import type { SlashCommand } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import type { ParsedCommand } from './parse';

type Reply = { text: string; response_type?: 'ephemeral' | 'in_channel'; blocks?: unknown[] };

export interface CommandContext {
  command: SlashCommand;
  parsed: ParsedCommand;
  ack: (reply?: Reply) => Promise<void>;
  respond: (reply: Reply) => Promise<unknown>;
  deps: SlackDeps;
}

export type CommandHandler = (ctx: CommandContext) => Promise<void>;
