import type { SlackDeps } from '../deps';
import type { SlackRoutes } from '../routes';
import { registerAddToTimeline } from './addToTimeline';
import { registerDeclareFromMessage } from './declareFromMessage';

/** The message shortcuts (manifest.yml `features.shortcuts`). */
export function registerShortcuts(routes: SlackRoutes, deps: SlackDeps): void {
  registerDeclareFromMessage(routes, deps);
  registerAddToTimeline(routes, deps);
}
