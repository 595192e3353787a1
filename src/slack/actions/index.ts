import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { registerCardActions } from './card';
import { registerUpdateButtons } from './updateButtons';

export function registerActions(app: App, deps: SlackDeps): void {
  registerCardActions(app, deps);
  registerUpdateButtons(app, deps);
}
