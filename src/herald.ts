import type { App, CustomRoute } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config } from './config';
import { CadencePolicy, createCadenceHooks } from './comms/cadence';
import { deliveryHandlers } from './comms/delivery';
import { createOutboxDispatcher, type OutboxDispatcher } from './outbox/dispatcher';
import { promptHandlers, queueDuePrompts } from './comms/prompts';
import { pingDatabase, type Database } from './db/client';
import { incidentJobs } from './incidents/jobs';
import { archiveJobs, channelArchiveHooks } from './incidents/archive';
import { composeHooks, type IncidentLifecycleHooks } from './incidents/lifecycle';
import type { ProvisionDeps } from './incidents/provision';
import type { PublishDeps } from './incidents/publishChange';
import { outboxHealth } from './outbox/health';
import { retentionJob } from './outbox/retention';
import type { Logger } from './logger';
import { homeRefreshHandler } from './home/refresh';
import { digestCheck, digestOutboxHandler, type DigestDeps } from './insights/digest/service';
import { reviewOutboxHandlers } from './reviews/delivery';
import { reviewLifecycleHooks } from './reviews/lifecycleHooks';
import { remindFollowUps, remindOwedReviews, type ReminderDeps } from './reviews/reminders';
import { createScheduler, type Scheduler } from './scheduler';
import { createSlackApp, healthRoutes, webClientOptions, type BotIdentity } from './slack/app';
import { resolveBotIdentity } from './slack/botIdentity';
import { openFrontDoor, type FrontDoor } from './slack/frontDoor';
import { advance, startingListener, startupStatus, type StartupStatus } from './startup/status';
import { REQUEST_DB_DEADLINE_MS } from './slack/guard';
import { createCommsMessenger } from './slack/commsMessenger';
import { createDigestMessenger } from './slack/digestMessenger';
import { createIncidentChannels } from './slack/incidentChannels';
import { createPersonDirectory } from './slack/people';
import { publishHome } from './slack/home';
import { loadHome } from './home/load';
import { createReviewMessenger } from './slack/reviewMessenger';
import { createChannelArchiver } from './slack/channelArchiver';
import { createIncidentUpdates } from './slack/incidentUpdates';
import { observedFetch } from './slack/callMetrics';
import { createMetrics } from './metrics/metrics';
import { databaseReadings } from './metrics/readings';
import { metricsRoute } from './metrics/route';
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
  /** More HTTP routes served on PORT beside Slack's and the health routes. */
  routes?: CustomRoute[];
  /** How long Slack calls from the outbox and scheduler may take; tests shorten it to lose answers quickly. */
  slackTimeoutMs?: number;
  /**
   * The server already bound on PORT by the process's start-up, with its status (/readyz) and the
   * signal that stops waiting for Slack. Without it, Herald binds PORT itself.
   */
  startup?: { frontDoor: FrontDoor; status: StartupStatus; signal: AbortSignal };
}

/** `log`, or a child of it that writes errors only (never more verbose than `log` itself). */
function quieterThanErrors(log: Logger): Logger {
  return log.levelVal >= 50 ? log : log.child({}, { level: 'error' });
}

/** Wires services, the Slack app and the scheduler around an open, migrated database. */
export async function startHerald(options: HeraldOptions): Promise<Herald> {
  const { config } = options;
  const status = options.startup?.status ?? startupStatus('slack');
  const frontDoor = options.startup?.frontDoor ?? (await openFrontDoor(config.port, startingListener(status), config.host));
  try {
    return await wire(options, frontDoor, status);
  } catch (err) {
    if (!options.startup) await frontDoor.close();
    throw err;
  }
}

async function wire(options: HeraldOptions, frontDoor: FrontDoor, status: StartupStatus): Promise<Herald> {
  const { config, db, log } = options;
  const clock = options.clock ?? (() => new Date());
  const metrics = createMetrics(databaseReadings(db, clock), { clock });
  const slackFetch = observedFetch(metrics.slackCalls);
  advance(status, 'slack');
  const client = new WebClient(config.slack.botToken, webClientOptions(config.slack.apiUrl, log, options.slackTimeoutMs, slackFetch));
  // Its own client, quiet below errors: each failed try is already one line of Herald's own.
  const lookup = new WebClient(config.slack.botToken, webClientOptions(config.slack.apiUrl, quieterThanErrors(log), options.slackTimeoutMs, slackFetch));
  const identity = await resolveBotIdentity(lookup, config.slack.apiUrl, {
    log,
    signal: options.startup?.signal ?? new AbortController().signal,
    onProblem: (line) => (status.problem = line),
  });
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
    observer: metrics.outbox,
    handlers: [
      ...incidentJobs({ provision: provisionDeps, publish: publishDeps }),
      ...archiveJobs({ db, archiver: createChannelArchiver(client) }),
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
    observe: metrics.schedulerJob,
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
    channelArchiveHooks(config.archiveAfterMs),
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
      frontDoor,
      customRoutes: [
        ...healthRoutes(() => pingDatabase(db), () => serving, async () => ({ outbox: await outboxHealth(db) })),
        metricsRoute(metrics, config.metrics.token),
        ...signalRoutes,
        ...(options.routes ?? []),
      ],
      slackFetch,
      requests: metrics.requests,
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
