import { VIEW_NOTICE_BLOCK } from '../ids';
import type { KnownBlock, ModalView } from './kit';
import { LIMITS, mrkdwn } from './text';

/** A modal as Slack sends it back with a click inside it (view_id, hash, state … besides what Herald drew). */
export interface ShownModal {
  type: 'modal' | string;
  title: ModalView['title'];
  blocks: unknown[];
  close?: ModalView['close'] | null;
  submit?: ModalView['submit'] | null;
  callback_id?: string;
  private_metadata?: string;
  external_id?: string;
  clear_on_close?: boolean;
  notify_on_close?: boolean;
}

/**
 * The modal a click came from, drawn again with `text` at its top (in place of an earlier notice).
 * Every other block keeps its block_id and action_id, so Slack keeps what the person had typed.
 */
export function modalWithNotice(shown: ShownModal, text: string): ModalView {
  const others = (shown.blocks as KnownBlock[]).filter((b) => b.block_id !== VIEW_NOTICE_BLOCK);
  const notice: KnownBlock = { type: 'section', block_id: VIEW_NOTICE_BLOCK, text: mrkdwn(`:warning: ${text}`) };
  return {
    type: 'modal',
    title: shown.title,
    ...(shown.close ? { close: shown.close } : {}),
    ...(shown.submit ? { submit: shown.submit } : {}),
    ...(shown.callback_id ? { callback_id: shown.callback_id } : {}),
    ...(shown.private_metadata ? { private_metadata: shown.private_metadata } : {}),
    ...(shown.external_id ? { external_id: shown.external_id } : {}),
    ...(shown.clear_on_close ? { clear_on_close: true } : {}),
    ...(shown.notify_on_close ? { notify_on_close: true } : {}),
    blocks: [notice, ...others].slice(0, LIMITS.modalBlocks),
  };
}
