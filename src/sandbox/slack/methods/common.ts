import { Args, refuse } from '../args';
import { validateMessageBlocks } from '../blockKit';
import type { World } from '../world';

/** A Web API method: returns the fields added to {ok:true}, or throws an ApiRefusal. */
export type Handler = (w: World, a: Args) => Record<string, unknown>;

export interface MessageContent {
  text?: string;
  blocks?: any[];
  hasAttachments: boolean;
}

/**
 * The text/blocks of a message, validated: `invalid_blocks_format` when blocks is not a JSON
 * array, `invalid_blocks` (with Slack-style messages) when a block breaks a rule,
 * `msg_too_long` past maxText. Does not check that anything was given (see requireContent).
 */
export function messageContent(a: Args, maxText: number): MessageContent {
  const text = a.str('text');
  let blocks: any[] | undefined;
  const raw = a.json('blocks');
  if (raw !== undefined) {
    if (!raw.ok || !Array.isArray(raw.value)) refuse('invalid_blocks_format');
    blocks = raw.value;
  }
  const attachments = a.json('attachments');
  if (attachments !== undefined && (!attachments.ok || !Array.isArray(attachments.value))) refuse('invalid_attachments');
  if (text !== undefined && [...text].length > maxText) refuse('msg_too_long');
  if (blocks) {
    const problems = validateMessageBlocks(blocks);
    if (problems.length > 0) refuse('invalid_blocks', problems);
  }
  const hasAttachments = attachments !== undefined && attachments.ok && (attachments.value as unknown[]).length > 0;
  return { ...(text !== undefined ? { text } : {}), ...(blocks ? { blocks } : {}), hasAttachments };
}

export function requireContent(c: MessageContent): void {
  if (!c.text && !(c.blocks && c.blocks.length > 0) && !c.hasAttachments) refuse('no_text');
}
