import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config } from './config';
import { CadencePolicy, createCadenceHooks } from './comms/cadence';
import { deliveryHandlers } from './comms/delivery';
import { backoffMs, createOutboxDispatcher, type OutboxDispatcher } from './outbox/dispatcher';
import { promptHandlers, queueDuePrompts } from './comms/prompts';
import { pingDatabase, type Database } from './db/client';
import { incidentJobs } from './incidents/jobs';
import { composeHooks, type IncidentLifecycleHooks } from './incidents/lifecycle';
import type { ProvisionDeps } from './incidents/provision';
import type { PublishDeps } from './incidents/publishChange';
import { outboxHealth } from './outbox/health';
import { retentionJob } from './outbox/retention';
import { ExternalCallError } from './errors';
import type { Logger } from './logger';
import { homeRefreshHandler } from './home/refresh';
import { digestCheck, digestOutboxHandler, type DigestDeps } from './insights/digest/service';
import { reviewOutboxHandlers } from './reviews/delivery';
import { reviewLifecycleHooks } from './reviews/lifecycleHooks';
import { remindFollowUps, remindOwedReviews, type ReminderDeps } from './reviews/reminders';
import { createScheduler, type Scheduler } from './scheduler';
import { createSlackApp, healthRoutes, webClientOptions, type BotIdentity } from './slack/app';
import { REQUEST_DB_DEADLINE_MS } from './slack/guard';
import { createCommsMessenger } from './slack/commsMessenger';
import { createDigestMessenger } from './slack/digestMessenger';
import { createIncidentChannels } from './slack/incidentChannels';
import { createPersonDirectory } from './slack/people';
import { publishHome } from './slack/home';
import { loadHome } from './home/load';
import { createReviewMessenger } from './slack/reviewMessenger';
import { createIncidentUpdates } from './slack/incidentUpdates';
import { slackCall } from './slack/slackErrors';
import { createUseCases } from './useCases';
import { createSharedRateLimit, type SignalRoute } from './signals/http';
import { deploymentHooks } from './signals/deployments';
import { alertLifecycleHooks } from './signals/alertHooks';
import { deploymentJobs } from './signals/deploymentJobs';
import { deploymentsRoute } from './signals/deploymentsHttp';
import { createDeploymentMessenger } from './slack/deploymentMessenger';
import { alertJobs } from './signals/alertJobs';
import { alertRoutes } from './signals/alertRoutes';
import type { AlertDeps } from './signals/alerts';
import { createAlertMessenger } from './slack/alertMessenger';

export interface Herald {
  app: App;
  db: Database;
  dispatcher: OutboxDispatcher;
  scheduler: Scheduler;
  /** The lifecycle hooks every incident change runs (tests drive domain use cases with them). */
  hooks: IncidentLifecycleHooks;
  identity: BotIdentity;
  /** The HTTP port actually bound (PORT=0 picks a free one). */
  port: number;
  stop(): Promise<void>;
}

export interface HeraldOptions {
  config: Config;
  db: Database;
  log: Logger;
  clock?: () => Date;
  /** Tests drive the scheduler by hand. */
  startScheduler?: boolean;
  /** Run after Herald's own lifecycle hooks (tests use it to stand in for parts built elsewhere). */
  hooks?: IncidentLifecycleHooks;
  /** How long Slack calls from the outbox and scheduler may take; tests shorten it to lose answers quickly. */
  slackTimeoutMs?: number;
}

/**
 * Looks up the bot's identity once, so no request pays for an auth.test call. Slack being briefly
 * unreachable at start-up is retried; a token Slack refuses stops start-up, naming the variable.
 */
export async function resolveBotIdentity(client: WebClient, log: Logger, attempts = 5): Promise<BotIdentity> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const result = await slackCall(() => client.auth.test());
      return { botUserId: result.user_id!, botId: result.bot_id!, teamId: result.team_id! };
    } catch (err) {
      if (err instanceof ExternalCallError && !err.retryable) {
        throw new Error(`SLACK_BOT_TOKEN was refused by Slack (${err.code}); check the bot token of the installed app`);
      }
      if (attempt >= attempts) throw err;
      const delay = backoffMs(attempt);
      log.warn({ attempt, retryInMs: delay, reason: err instanceof ExternalCallError ? err.code : String(err) }, 'Could not reach Slack to look up the bot; retrying');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Wires services, the Slack app and the scheduler around an open, migrated database. */
export async function startHerald(options: HeraldOptions): Promise<Herald> {
  const { config, db, log } = options;
  const clock = options.clock ?? (() => new Date());
  const client = new WebClient(config.slack.botToken, webClientOptions(config.slack.apiUrl, log, options.slackTimeoutMs));
  const identity = await resolveBotIdentity(client, log);
  log.info({ botUserId: identity.botUserId, teamId: identity.teamId }, 'Connected to Slack');

  const provisionDeps: ProvisionDeps = {
    db,
    log,
    channels: createIncidentChannels(client, identity.botUserId),
    channelPrefix: config.channelPrefix,
    announceChannel: config.announceChannel,
  };
  const publishDeps: PublishDeps = { db, updates: createIncidentUpdates(client, identity.botUserId) };
  const comms = { db, log, policy: new CadencePolicy(config.updateCadence), messenger: createCommsMessenger(client) };
  const digestDeps: DigestDeps = {
    db,
    log,
    settings: config.digest,
    standards: { updateCadence: config.updateCadence, reviewDue: config.reviewDue },
    messenger: createDigestMessenger(client),
  };
  // Each domain registers its own job kinds; this replica claims only those.
  const dispatcher = createOutboxDispatcher({
    db,
    log,
    clock,
    handlers: [
      ...incidentJobs({ provision: provisionDeps, publish: publishDeps }),
      homeRefreshHandler((teamId, userId) => publishHome({ log, clock, client, useCases: { loadHome: (request, limits, now) => loadHome(db, request, limits, now) } }, { teamId, userId })),
      ...deliveryHandlers(comms),
      ...promptHandlers(comms),
      ...reviewOutboxHandlers({ db, messenger: createReviewMessenger(client) }),
      digestOutboxHandler(digestDeps),
      ...deploymentJobs({ db, messenger: createDeploymentMessenger(client) }),
      ...alertJobs({ db, messenger: createAlertMessenger(client), botUserId: identity.botUserId }),
    ],
  });
  const reminderDeps: ReminderDeps = { db, log, people: createPersonDirectory(client) };
  const scheduler = createScheduler({
    cron: config.schedulerCron,
    log,
    clock,
    // Jobs that claim prompts and reminders run before the outbox, so one tick also delivers what it claimed.
    jobs: {
      updatePrompts: queueDuePrompts(comms),
      reviewReminders: (now) => remindOwedReviews(reminderDeps, now),
      followUpReminders: (now) => remindFollowUps(reminderDeps, now),
      // Only looks whether a digest period has begun; the digest itself goes out through the outbox.
      riskDigest: digestCheck(digestDeps, identity.teamId),
      outbox: (now) => dispatcher.runDue(now),
      retention: retentionJob(db, config.retentionMs),
    },
  });

  const hooks = composeHooks(
    createCadenceHooks(comms.policy),
    reviewLifecycleHooks({ reviewDue: config.reviewDue }),
    deploymentHooks(config.changeWindowMs),
    alertLifecycleHooks(config.signals.alertsChannel),
    ...(options.hooks ? [options.hooks] : []),
  );
  let serving = false;
  const alertSettings = {
    teamId: identity.teamId,
    channel: config.signals.alertsChannel,
    rules: config.signals.alertRules,
    autoDeclarer: identity.botUserId,
  };
  const alertDeps: AlertDeps = { db, hooks, ...alertSettings };
  const useCases = createUseCases({ db, hooks, policy: comms.policy, alerts: alertSettings }, REQUEST_DB_DEADLINE_MS);
  // Signals (alerts, deployments) arrive on PORT beside Slack's requests, in HTTP and Socket Mode alike,
  // and share one ALERTS_RATE budget across replicas (counted in the database).
  const signalRate = createSharedRateLimit(db, config.signals.ratePerMinute);
  const signalRoutes: SignalRoute[] = [
    deploymentsRoute({
      db,
      teamId: identity.teamId,
      token: config.signals.token,
      rate: signalRate,
      clock,
      changeWindowMs: config.changeWindowMs,
      onError: (err) => log.error({ err }, 'A deployment could not be recorded; the sender was told to retry'),
      }),
    ...alertRoutes(alertDeps, {
      token: config.signals.token,
      hmacSecret: config.signals.hmacSecret,
      rate: signalRate,
      clock,
      onError: (err) => log.error({ err }, 'Could not store an alert notification; the sender will retry'),
      onStored: () => dispatcher.kick(),
    }),
  ];
  const slack = createSlackApp(
    { config, log, clock, dispatcher, useCases },
    {
      identity,
      customRoutes: [...healthRoutes(() => pingDatabase(db), () => serving, async () => ({ outbox: await outboxHealth(db) })), ...signalRoutes],
    },
  );
  const port = await slack.start();
  serving = true;
  if (options.startScheduler !== false) scheduler.start();
  dispatcher.kick();
  log.info({ port, mode: config.slack.appToken ? 'socket' : 'http' }, 'Herald is serving');

  return {
    app: slack.app,
    db,
    dispatcher,
    scheduler,
    hooks,
    identity,
    port,
    async stop() {
      serving = false;
      await slack.stop();
      await scheduler.stop();
      await dispatcher.stop();
    },
  };
}
