import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config } from './config';
import { CadencePolicy, createCadenceHooks } from './comms/cadence';
import { deliveryHandlers } from './comms/delivery';
import { createOutboxDispatcher, type OutboxDispatcher } from './comms/dispatcher';
import { promptHandlers, queueDuePrompts } from './comms/prompts';
import type { Database } from './db/client';
import { PROVISION_JOB } from './incidents/declare';
import { composeHooks } from './incidents/lifecycle';
import { provisionIncident, reportProvisionGaveUp, type ProvisionDeps } from './incidents/provision';
import type { Logger } from './logger';
import { createScheduler, type Scheduler } from './scheduler';
import { createSlackApp, healthRoutes, webClientOptions, type BotIdentity } from './slack/app';
import { createCommsMessenger } from './slack/commsMessenger';
import { createIncidentChannels } from './slack/incidentChannels';
import { slackCall } from './slack/slackErrors';

export interface Herald {
  app: App;
  db: Database;
  dispatcher: OutboxDispatcher;
  scheduler: Scheduler;
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
}

/** Looks up the bot's identity once, so no request pays for an auth.test call. */
export async function resolveBotIdentity(client: WebClient): Promise<BotIdentity> {
  const result = await slackCall(() => client.auth.test());
  return { botUserId: result.user_id!, botId: result.bot_id!, teamId: result.team_id! };
}

/** Wires services, the Slack app and the scheduler around an open, migrated database. */
export async function startHerald(options: HeraldOptions): Promise<Herald> {
  const { config, db, log } = options;
  const clock = options.clock ?? (() => new Date());
  const client = new WebClient(config.slack.botToken, webClientOptions(config.slack.apiUrl, log));
  const identity = await resolveBotIdentity(client);
  log.info({ botUserId: identity.botUserId, teamId: identity.teamId }, 'Connected to Slack');

  const provisionDeps: ProvisionDeps = {
    db,
    log,
    channels: createIncidentChannels(client, identity.botUserId),
    channelPrefix: config.channelPrefix,
    announceChannel: config.announceChannel,
  };
  const comms = { db, log, policy: new CadencePolicy(config.updateCadence), messenger: createCommsMessenger(client) };
  const dispatcher = createOutboxDispatcher({
    db,
    log,
    clock,
    handlers: [
      {
        kind: PROVISION_JOB,
        run: (job, now) => provisionIncident(provisionDeps, job.incident_id!, now),
        onGiveUp: (job, reason) => reportProvisionGaveUp(provisionDeps, job.incident_id!, reason),
      },
      ...deliveryHandlers(comms),
      ...promptHandlers(comms),
    ],
  });
  const scheduler = createScheduler({
    cron: config.schedulerCron,
    log,
    clock,
    // Prompts first, so the ones that came due go out in the same tick's outbox pass.
    jobs: { updatePrompts: queueDuePrompts(comms), outbox: (now) => dispatcher.runDue(now) },
  });

  const hooks = composeHooks(createCadenceHooks(comms.policy));
  let serving = false;
  const { app } = createSlackApp({ config, db, log, clock, dispatcher, hooks }, { identity, customRoutes: healthRoutes(db, () => serving) });
  const server = (await app.start()) as unknown;
  const address = (server as { address?: () => unknown })?.address?.();
  const port = typeof address === 'object' && address && 'port' in address ? Number(address.port) : config.port;
  serving = true;
  if (options.startScheduler !== false) scheduler.start();
  dispatcher.kick();
  log.info({ port, mode: config.slack.appToken ? 'socket' : 'http' }, 'Herald is serving');

  return {
    app,
    db,
    dispatcher,
    scheduler,
    identity,
    port,
    async stop() {
      serving = false;
      await app.stop();
      await scheduler.stop();
      await dispatcher.stop();
    },
  };
}
