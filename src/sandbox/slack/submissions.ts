/**
 * What Slack does with the answer an app gives to a view_submission (its acknowledgement body), and
 * with a person closing a modal: errors under their fields, update, push (at most three views in a
 * stack), clear, or — for an empty answer — closing the submitted view.
 */
import { validateView } from './blockKit';
import type { World } from './world';

/** The modal stack's depth Slack allows (views.push and `response_action: push` alike). */
export const STACK_MAX = 3;

export type SubmissionOutcome =
  | { kind: 'closed' }
  | { kind: 'errors'; errors: Record<string, string> }
  | { kind: 'updated'; viewId: string }
  | { kind: 'pushed'; viewId: string }
  | { kind: 'cleared' }
  /** Slack shows "We had some trouble connecting" and leaves the view as it was. */
  | { kind: 'refused'; problems: string[] };

/** Removes a modal and every view pushed above it; the view below it (if any) shows again. */
export function closeView(w: World, viewId: string): void {
  const stored = w.views.get(viewId);
  if (!stored) return;
  const at = stored.stack.indexOf(viewId);
  for (const id of stored.stack.splice(at)) w.views.delete(id);
}

/** Applies an app's answer to the submission of `viewId`, as Slack would. */
export function answerSubmission(w: World, viewId: string, answer: unknown): SubmissionOutcome {
  const stored = w.views.get(viewId);
  if (!stored) return { kind: 'refused', problems: [`no open view ${viewId}`] };
  const body = typeof answer === 'object' && answer !== null ? (answer as Record<string, any>) : {};
  switch (body.response_action) {
    case undefined:
      closeView(w, viewId);
      return { kind: 'closed' };
    case 'errors': {
      const inputs = new Set((stored.view.blocks ?? []).filter((b: any) => b.type === 'input').map((b: any) => b.block_id));
      const errors = typeof body.errors === 'object' && body.errors !== null ? (body.errors as Record<string, string>) : {};
      const unknown = Object.keys(errors).filter((id) => !inputs.has(id));
      if (Object.keys(errors).length === 0 || unknown.length > 0) return { kind: 'refused', problems: unknown.map((id) => `errors names ${id}, not an input block of the view`) };
      return { kind: 'errors', errors };
    }
    case 'update':
    case 'push': {
      const problems = validateView(body.view, 'modal');
      if (problems.length > 0) return { kind: 'refused', problems };
      if (body.response_action === 'update') return { kind: 'updated', viewId: w.storeView(body.view, { id: viewId, user: stored.user }).id };
      if (stored.stack.length >= STACK_MAX) return { kind: 'refused', problems: ['push_limit_reached'] };
      return { kind: 'pushed', viewId: w.storeView(body.view, { user: stored.user, stack: stored.stack }).id };
    }
    case 'clear':
      closeView(w, stored.stack[0] ?? viewId);
      return { kind: 'cleared' };
    default:
      return { kind: 'refused', problems: [`unknown response_action ${String(body.response_action)}`] };
  }
}
