import { VIEWS } from '../ids';
import type { ModalView } from './kit';
import { LIMITS, mrkdwn, plain } from './text';

/** A closing view that says what happened (e.g. after saving), with nothing left to submit. */
export function doneView(title: string, lines: string[]): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.done,
    title: plain(title, LIMITS.modalTitle),
    close: plain('Done', LIMITS.modalTitle),
    blocks: [{ type: 'section', text: mrkdwn(lines.join('\n'), LIMITS.sectionText) }],
  };
}
