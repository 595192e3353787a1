import type { HomeData, HomeRequest as HomeQuery } from '../home/load';
import type { WorkLimits } from '../home/query';
import { parseHomeWindow, type HomeWindow } from '../home/model';
import { HOME_CAPS, homeView, type HomeView } from './blocks/home';
import { serviceHealthBlocks } from './blocks/insights';
import type { SlackDeps } from './deps';
import { visibleTo } from './membership';
import { slackCall } from './slackErrors';

/**
 * What publishing a Home tab needs: a Web API client, a clock, a logger and the use case that reads the
 * tab's data (bound to a request's deadline on Slack's path, not on the outbox's).
 */
export type HomeDeps = Pick<SlackDeps, 'client' | 'log' | 'clock'> & { useCases: { loadHome(request: HomeQuery, limits: WorkLimits, now: Date): Promise<HomeData> } };

export interface HomeRequest extends HomeQuery {
  notice?: string;
}

/** The window a Home tab was drawn with (carried in its private_metadata), when Slack sent the tab. */
export function windowOfView(view: { private_metadata?: string } | undefined): HomeWindow | undefined {
  return parseHomeWindow(view?.private_metadata) ?? undefined;
}

/** Draws a person's Home tab from its data; `visible` keeps the open incidents this person may see. */
export async function drawHome(data: HomeData, request: HomeRequest, now: Date, visible: (open: HomeData['open']) => Promise<HomeData['open']>): Promise<HomeView> {
  const incidents = await visible(data.open);
  const { work, window } = data;
  return homeView({ teamId: request.teamId, userId: request.userId, now, today: work.today, incidents, work, window, health: serviceHealthBlocks(data.health), notice: request.notice });
}

/**
 * Draws a person's Home tab and publishes it. Private incidents are listed only to members of their
 * channel, as `/incident list` does. Slack's refusal is thrown as an ExternalCallError, so the outbox
 * can retry it.
 */
export async function publishHome(deps: HomeDeps, request: HomeRequest): Promise<void> {
  const now = deps.clock();
  const data = await deps.useCases.loadHome({ teamId: request.teamId, userId: request.userId, window: request.window }, HOME_CAPS, now);
  const view = await drawHome(data, request, now, (open) => visibleTo(deps, request.userId, open));
  await slackCall(() => deps.client.views.publish({ user_id: request.userId, view }));
}
