import type { Database } from '../db/client';
import { parseHomeWindow, type HomeIncident, type HomeWindow } from '../home/model';
import { chosenHomeWindow, loadMyWork, loadOpenIncidents } from '../home/query';
import { buildInsightsReport } from '../insights/report';
import { HOME_CAPS, homeView, type HomeView } from './blocks/home';
import type { KnownBlock } from './blocks/kit';
import { serviceHealthBlocks } from './blocks/insights';
import type { SlackDeps } from './deps';
import { visibleTo } from './membership';
import { slackCall } from './slackErrors';

/** What publishing a Home tab needs: the database, a Web API client, a clock and a logger. */
export type HomeDeps = Pick<SlackDeps, 'db' | 'client' | 'log' | 'clock'>;

export interface HomeRequest {
  teamId: string;
  userId: string;
  /** The service-health window; by default the one this person last chose. */
  window?: HomeWindow;
  notice?: string;
}

/** The window a Home tab was drawn with (carried in its private_metadata), when Slack sent the tab. */
export function windowOfView(view: { private_metadata?: string } | undefined): HomeWindow | undefined {
  return parseHomeWindow(view?.private_metadata) ?? undefined;
}

/** Service health for the window: the insights module's figures, drawn by its own builder. */
async function healthBlocks(db: Database, teamId: string, window: HomeWindow, now: Date): Promise<KnownBlock[]> {
  return serviceHealthBlocks(await buildInsightsReport(db, { teamId, window }, now));
}

/**
 * Draws a person's Home tab from what is in the database at `now`; `visible` keeps the open incidents
 * this person may see. The database reads run side by side.
 */
export async function drawHome(db: Database, request: HomeRequest, now: Date, visible: (open: HomeIncident[]) => Promise<HomeIncident[]>): Promise<HomeView> {
  // A tab pushed by the outbox (or opened for the first time) uses the window the person last chose.
  const window = request.window ?? (await chosenHomeWindow(db, request.teamId, request.userId));
  const [open, work, health] = await Promise.all([
    loadOpenIncidents(db, request.teamId),
    loadMyWork(db, request.teamId, request.userId, HOME_CAPS, now),
    healthBlocks(db, request.teamId, window, now),
  ]);
  const incidents = await visible(open);
  return homeView({ teamId: request.teamId, userId: request.userId, now, today: work.today, incidents, work, window, health, notice: request.notice });
}

/**
 * Draws a person's Home tab and publishes it. Private incidents are listed only to members of their
 * channel, as `/incident list` does. Slack's refusal is thrown as an ExternalCallError, so the outbox
 * can retry it.
 */
export async function publishHome(deps: HomeDeps, request: HomeRequest): Promise<void> {
  const view = await drawHome(deps.db, request, deps.clock(), (open) => visibleTo(deps, request.userId, open));
  await slackCall(() => deps.client.views.publish({ user_id: request.userId, view }));
}
