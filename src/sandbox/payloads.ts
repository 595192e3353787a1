/** The bodies Slack sends an app: slash command fields and Events API envelopes. */

import { APP_ID } from './slack/interactions';

export { APP_ID };

export interface Workspace {
  teamId: string;
  botUserId: string;
  domain: string;
}

/** The form fields of a slash command, as Slack posts them. */
export function commandFields(ws: Workspace, c: { user: string; userName?: string; channel: string; channelName?: string; text: string; responseUrl: string; triggerId: string }): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: ws.teamId,
    team_domain: ws.domain,
    channel_id: c.channel,
    channel_name: c.channelName ?? 'general',
    user_id: c.user,
    user_name: c.userName ?? 'someone',
    command: '/incident',
    text: c.text,
    api_app_id: APP_ID,
    response_url: c.responseUrl,
    trigger_id: c.triggerId,
  };
}

/** An Events API envelope around `event`; the same `eventId` twice is Slack retrying one event. */
export function eventEnvelope(ws: Workspace, event: Record<string, unknown>, eventId: string, nowSeconds = Math.floor(Date.now() / 1000)): Record<string, unknown> {
  return {
    token: 'deprecated-verification-token',
    team_id: ws.teamId,
    api_app_id: APP_ID,
    event: { event_ts: `${nowSeconds}.000100`, ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: nowSeconds,
    authorizations: [{ enterprise_id: null, team_id: ws.teamId, user_id: ws.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}
