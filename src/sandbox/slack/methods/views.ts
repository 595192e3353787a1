import { type Args, invalidArguments, refuse } from '../args';
import { validateView } from '../blockKit';
import type { StubView } from '../types';
import type { World } from '../world';
import type { Handler } from './common';
import { STACK_MAX } from '../submissions';


/** The `view` argument, parsed and validated (`invalid_arguments` with Slack-style messages). */
function viewArg(a: Args, kind: 'modal' | 'home'): any {
  const raw = a.json('view');
  if (raw === undefined) invalidArguments('missing required field: view');
  if (!raw.ok) invalidArguments('failed to parse view as JSON', '/view');
  const problems = validateView(raw.value, kind);
  if (problems.length > 0) refuse('invalid_arguments', problems);
  return raw.value;
}

/** trigger_id (or interactivity_pointer), checked but not yet spent. */
function triggerArg(w: World, a: Args): { id: string; trigger: ReturnType<World['trigger']> } {
  const id = a.nonEmpty('trigger_id') ?? a.nonEmpty('interactivity_pointer');
  if (id === undefined) invalidArguments('missing required field: trigger_id');
  return { id, trigger: w.trigger(id) };
}

const answer = (v: StubView): Record<string, unknown> => ({ view: v.view });

export const viewMethods: Record<string, Handler> = {
  'views.open'(w, a) {
    const { id, trigger } = triggerArg(w, a);
    const payload = viewArg(a, 'modal');
    w.claimExternalId(payload.external_id, '');
    w.spendTrigger(id);
    const stored = w.storeView(payload, { user: trigger.user, stack: [] });
    w.openedViews.push(payload);
    return answer(stored);
  },

  'views.push'(w, a) {
    const { id, trigger } = triggerArg(w, a);
    const payload = viewArg(a, 'modal');
    const stack = w.stackFor(trigger);
    if (!stack) invalidArguments('views.push needs an open modal: no modal is open for this trigger (stub: pass issueTrigger({ viewId }))');
    if (stack.length >= STACK_MAX) refuse('push_limit_reached');
    w.claimExternalId(payload.external_id, '');
    w.spendTrigger(id);
    return answer(w.storeView(payload, { user: trigger.user, stack }));
  },

  'views.update'(w, a) {
    const viewId = a.nonEmpty('view_id');
    const externalId = a.nonEmpty('external_id');
    if (viewId === undefined && externalId === undefined) invalidArguments('missing required field: view_id or external_id');
    const current = w.viewByRef(viewId, externalId);
    if (!current) refuse('not_found');
    const payload = viewArg(a, current.view.type === 'home' ? 'home' : 'modal');
    const hash = a.nonEmpty('hash');
    if (hash !== undefined && hash !== current.hash) refuse('hash_conflict');
    w.claimExternalId(payload.external_id, current.id);
    return answer(w.storeView(payload, { id: current.id, user: current.user }));
  },

  'views.publish'(w, a) {
    const userId = a.nonEmpty('user_id');
    if (userId === undefined) invalidArguments('missing required field: user_id');
    if (!w.users.has(userId)) refuse('invalid_arguments', ['invalid `user_id`']);
    const payload = viewArg(a, 'home');
    const current = w.homeViewOf(userId);
    const hash = a.nonEmpty('hash');
    if (hash !== undefined && current && hash !== current.hash) refuse('hash_conflict');
    w.claimExternalId(payload.external_id, current?.id ?? '');
    const stored = w.storeView(payload, { ...(current ? { id: current.id } : {}), user: userId });
    w.setHomeView(userId, stored.id);
    return answer(stored);
  },
};
