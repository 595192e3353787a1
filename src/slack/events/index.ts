import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { publishHome, windowOfView } from '../home';

/** 📌 — the reaction that adds a message to its incident's timeline. */
export const TIMELINE_REACTION = 'pushpin';

/**
 * Bolt acknowledges events before listeners run. Reactions other than 📌 cost nothing; a 📌 outside an
 * incident channel costs one indexed read; the rest (reading the message) goes through the outbox.
 * Opening the Home tab draws it afresh, once per event however often Slack retries it.
 */
export function registerEvents(app: App, deps: SlackDeps): void {
  app.event('reaction_added', async ({ event, body }) => {
    if (event.reaction !== TIMELINE_REACTION || event.item.type !== 'message') return;
    const outcome = await deps.useCases.requestPin({ eventId: body.event_id, channelId: event.item.channel, ts: event.item.ts, pinnedBy: event.user }, deps.clock());
    if (outcome === 'queued') deps.dispatcher.kick();
  });

  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    if (!(await deps.useCases.claimEvent(body.event_id, deps.clock()))) return;
    await publishHome(deps, { teamId: body.team_id, userId: event.user, window: windowOfView(event.view) });
  });
}
