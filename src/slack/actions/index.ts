import type { SlackDeps } from '../deps';
import type { SlackRoutes } from '../routes';
import { registerAlertActions } from './alerts';
import { registerCardActions } from './card';
import { registerDeclareCommanderPick } from './declareCommander';
import { registerSetupActions } from './setup';
import { registerHomeActions } from './home';
import { registerTimelineActions } from './timeline';
import { registerUpdateButtons } from './updateButtons';

export function registerActions(routes: SlackRoutes, deps: SlackDeps): void {
  registerCardActions(routes, deps);
  registerUpdateButtons(routes, deps);
  registerSetupActions(routes, deps);
  registerHomeActions(routes, deps);
  registerAlertActions(routes, deps);
  registerDeclareCommanderPick(routes, deps);
  registerTimelineActions(routes, deps);
}
