/**
 * The `block_actions` payloads Slack sends an app when someone clicks or chooses in what it drew, built
 * as Slack builds them: a click on a message carries a `response_url` and the message's channel; a click
 * inside a view (a modal or the Home tab) carries the view as it stands and **no** `response_url` — the
 * app must answer in the view itself. The tests and the sandbox's page both click through this.
 */
import type { SlackStub } from './types';

/** Where the click happened: a message (its channel and ts), or an open view (its id). */
export type ClickContainer =
  | {
      channel: string;
      messageTs?: string;
      /** The clicked message was an ephemeral one (only the clicker saw it). */
      ephemeral?: boolean;
      channelName?: string;
      /** The clicked message as Slack hands it back (not for an ephemeral one). */
      message?: Record<string, unknown>;
    }
  | { viewId: string; state?: Record<string, Record<string, unknown>> }
  | Record<string, never>;

export interface BlockAction {
  type: string;
  action_id: string;
  block_id?: string;
  [key: string]: unknown;
}

export interface ClickOptions {
  user: string;
  action: BlockAction;
  where: ClickContainer;
  /** The clicker's name, as Slack adds it beside the id. */
  userName?: string;
  /** The workspace's domain (Slack sends it with the team id). */
  domain?: string;
  /** A message click's response_url; a fresh one from the stand-in when not given. */
  responseUrl?: string;
  actionTs?: string;
}

export const APP_ID = 'A0HERALD';

export function blockActionsPayload(slack: SlackStub, opts: ClickOptions): Record<string, unknown> {
  const { where } = opts;
  const action = { block_id: 'any', ...opts.action, action_ts: opts.actionTs ?? String(Date.now() / 1000) };
  const common = {
    type: 'block_actions',
    team: { id: slack.teamId, domain: opts.domain ?? 'herald-test' },
    user: { id: opts.user, team_id: slack.teamId, ...(opts.userName ? { username: opts.userName, name: opts.userName } : {}) },
    api_app_id: APP_ID,
    actions: [action],
  };
  if ('viewId' in where) {
    const stored = slack.views.get(where.viewId);
    if (!stored) throw new Error(`No view ${where.viewId} is open`);
    return {
      ...common,
      trigger_id: slack.issueTrigger({ viewId: where.viewId, user: opts.user }),
      container: { type: 'view', view_id: where.viewId },
      view: where.state ? { ...stored.view, state: { values: where.state } } : stored.view,
    };
  }
  return {
    ...common,
    trigger_id: slack.issueTrigger({ user: opts.user }),
    response_url: opts.responseUrl ?? slack.responseUrl(),
    ...('channel' in where
      ? {
          channel: { id: where.channel, ...(where.channelName !== undefined ? { name: where.channelName } : {}) },
          container: { type: 'message', message_ts: where.messageTs, channel_id: where.channel, is_ephemeral: where.ephemeral ?? false },
          ...(where.message ? { message: where.message } : {}),
          state: { values: {} },
        }
      : {}),
  };
}
