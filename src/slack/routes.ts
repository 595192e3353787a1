import type { AllMiddlewareArgs, App, BlockAction, MessageShortcut, SlackShortcutMiddlewareArgs, BlockButtonAction, BlockStaticSelectAction, SlackActionMiddlewareArgs, UsersSelectAction, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';

/** What a button's handler receives: Bolt's own listener arguments, unchanged. */
export type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
/** What a static select's handler receives (an option chosen, e.g. on the Home tab). */
export type SelectArgs = SlackActionMiddlewareArgs<BlockStaticSelectAction> & AllMiddlewareArgs;
/** What a users select's handler receives (a person picked in a modal whose input dispatches actions). */
export type UserSelectArgs = SlackActionMiddlewareArgs<BlockAction<UsersSelectAction>> & AllMiddlewareArgs;
/** What a modal submission's handler receives: Bolt's own listener arguments, unchanged. */
export type SubmissionArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** What a message shortcut's handler receives (a person chose one of Herald's shortcuts on a message). */
export type MessageShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

type Handler<Args> = (args: Args) => Promise<void>;

/** Where Herald's buttons and modal submissions are handled, by their exact action_id or callback_id. */
export interface SlackRoutes {
  button(actionId: string, handler: Handler<ButtonArgs>): void;
  select(actionId: string, handler: Handler<SelectArgs>): void;
  userSelect(actionId: string, handler: Handler<UserSelectArgs>): void;
  submission(callbackId: string, handler: Handler<SubmissionArgs>): void;
  messageShortcut(callbackId: string, handler: Handler<MessageShortcutArgs>): void;
}

function table<Args>(kind: string) {
  const handlers = new Map<string, Handler<Args>>();
  return {
    add(id: string, handler: Handler<Args>) {
      if (handlers.has(id)) throw new Error(`Two handlers for the ${kind} "${id}"`);
      handlers.set(id, handler);
    },
    get: (id: string) => handlers.get(id),
  };
}

/**
 * One Bolt listener per surface, looking handlers up by id. Bolt runs every listener's matchers on
 * every request (a slash command included), so a listener per button and per modal cost each request
 * ~8 µs apiece. A request whose id has no handler is left unacknowledged, as when no listener matched:
 * Bolt logs it after 3 s and answers Slack 404.
 */
export function createRoutes(app: App): SlackRoutes {
  const buttons = table<ButtonArgs>('action_id');
  const selects = table<SelectArgs>('static_select action_id');
  const userSelects = table<UserSelectArgs>('users_select action_id');
  const submissions = table<SubmissionArgs>('callback_id');
  const messageShortcuts = table<MessageShortcutArgs>('message shortcut callback_id');
  app.action<BlockAction>({ type: 'block_actions' }, async (args) => {
    const { action } = args;
    if (action.type === 'button') await buttons.get(action.action_id)?.(args as ButtonArgs);
    else if (action.type === 'static_select') await selects.get(action.action_id)?.(args as SelectArgs);
    else if (action.type === 'users_select') await userSelects.get(action.action_id)?.(args as UserSelectArgs);
  });
  // No Herald modal asks to hear when it is closed (notify_on_close), so only submissions are routed.
  app.view<ViewSubmitAction>({ type: 'view_submission' }, async (args) => {
    await submissions.get(args.view.callback_id)?.(args);
  });
  app.shortcut<MessageShortcut>({ type: 'message_action' }, async (args) => {
    await messageShortcuts.get(args.shortcut.callback_id)?.(args as MessageShortcutArgs);
  });
  return { button: buttons.add, select: selects.add, userSelect: userSelects.add, submission: submissions.add, messageShortcut: messageShortcuts.add };
}
