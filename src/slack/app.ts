import { App, HTTPReceiver, type CustomRoute } from '@slack/bolt';
import type { Logger } from '../logger';
import { registerActions } from './actions';
import { registerReviewActions } from './actions/reviews';
import { createBoltLogger } from './boltLogger';
import { registerCommands } from './commands';
import type { SlackDeps } from './deps';
import { registerEvents } from './events';
import { createRoutes } from './routes';
import { createSocketModeReceivers, socketModeLifecycle } from './socketMode';
import { registerChangeViews } from './views/changes';
import { registerDeclareView } from './views/declare';
import { registerFollowUpView } from './views/followUp';
import { registerReviewView } from './views/review';
import { registerStakeholdersView } from './views/stakeholders';
import { registerUpdateView } from './views/update';

export interface BotIdentity {
  botUserId: string;
  botId: string;
  teamId: string;
}

/** How long a Slack call may take before Herald stops waiting for its answer. */
export const SLACK_TIMEOUT_MS = 10_000;

/** Where Slack's Web API is and how long to wait for it. */
function apiEndpoint(apiUrl: string | undefined, log: Logger, timeoutMs: number) {
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}),
    timeout: timeoutMs,
    logger: createBoltLogger(log),
  };
}

/** The Web API client settings every Slack call uses; failures come back at once, our outbox retries. */
export function webClientOptions(apiUrl: string | undefined, log: Logger, timeoutMs = SLACK_TIMEOUT_MS) {
  return { ...apiEndpoint(apiUrl, log, timeoutMs), rejectRateLimitedCalls: true, retryConfig: { retries: 0 } };
}

/**
 * `/healthz` says whether Herald serves; `/readyz` also whether `databaseAnswers()` (a ping with its own
 * short deadline). `detail` adds what /readyz reports beside the database (e.g. the outbox's jobs that
 * gave up); it informs people and never makes Herald unready while the database answers.
 */
export function healthRoutes(databaseAnswers: () => Promise<boolean>, isServing: () => boolean, detail: () => Promise<Record<string, unknown>> = async () => ({})): CustomRoute[] {
  const json = (res: import('node:http').ServerResponse, status: number, body: object) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  return [
    { path: '/healthz', method: ['GET'], handler: (_req, res) => json(res, isServing() ? 200 : 503, { ok: isServing() }) },
    {
      path: '/readyz',
      method: ['GET'],
      handler: async (_req, res) => {
        const ready = isServing() && (await databaseAnswers());
        const extra = ready ? await detail().catch(() => ({})) : {};
        json(res, ready ? 200 : 503, { ok: ready, database: ready ? 'up' : 'unreachable', ...extra });
      },
    },
  ];
}

export interface SlackAppOptions {
  identity: BotIdentity;
  customRoutes: CustomRoute[];
}

export interface SlackApp {
  app: App;
  deps: SlackDeps;
  /** Starts taking requests; resolves with the HTTP port bound (PORT=0 picks a free one). */
  start(): Promise<number>;
  /** Stops taking requests (closes the Socket Mode connections or the HTTP listener). */
  stop(): Promise<void>;
}

/** Bolt app with Herald's listeners: HTTP on PORT, or Socket Mode when SLACK_APP_TOKEN is set. */
export function createSlackApp(deps: Omit<SlackDeps, 'client' | 'botUserId'>, options: SlackAppOptions): SlackApp {
  const { config, log } = deps;
  const logger = createBoltLogger(log);
  const sockets = config.slack.appToken ? createSocketModeReceivers(config.slack.appToken, apiEndpoint(config.slack.apiUrl, log, SLACK_TIMEOUT_MS), logger) : null;
  const receiver =
    sockets?.[0] ??
    new HTTPReceiver({
      signingSecret: config.slack.signingSecret!,
      endpoints: '/slack/events',
      customRoutes: options.customRoutes,
      port: config.port,
      logger,
    });
  const app = new App({
    token: config.slack.botToken,
    receiver,
    // Known at start-up, so Bolt never calls auth.test per request.
    botId: options.identity.botId,
    botUserId: options.identity.botUserId,
    logger,
    clientOptions: webClientOptions(config.slack.apiUrl, log),
    // Bolt's default conversation store keeps state in this process's memory, wrong with several
    // replicas and unused here; it also made and threw away an Error on every request (~15 µs).
    convoStore: false,
  });
  const full: SlackDeps = { ...deps, client: app.client, botUserId: options.identity.botUserId };
  registerCommands(app, full);
  const routes = createRoutes(app);
  registerDeclareView(routes, full);
  registerStakeholdersView(routes, full);
  registerUpdateView(routes, full);
  registerActions(routes, full);
  registerReviewView(routes, full);
  registerFollowUpView(routes, full);
  registerReviewActions(routes, full);
  registerChangeViews(routes, full);
  registerEvents(app, full);
  app.error(async (error) => {
    log.error({ err: error.original ?? error, code: error.code }, 'Unhandled error in a Slack listener');
  });

  if (sockets) return { app, deps: full, ...socketModeLifecycle(app, sockets, options.customRoutes, config.port, config.host) };
  return {
    app,
    deps: full,
    async start() {
      const server = (await app.start(config.host ? { port: config.port, host: config.host } : config.port)) as { address?: () => unknown } | undefined;
      const address = server?.address?.();
      return typeof address === 'object' && address && 'port' in address ? Number(address.port) : config.port;
    },
    async stop() {
      await app.stop();
    },
  };
}
