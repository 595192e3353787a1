import type { types } from '@slack/bolt';

export type KnownBlock = types.KnownBlock;
export type ModalView = types.ModalView;
export type PlainTextOption = types.PlainTextOption;
export type Button = types.Button;

/** A message as Herald sends it: blocks plus the plain text Slack shows in notifications. */
export interface MessageContent {
  text: string;
  blocks: KnownBlock[];
}
