import type { WebClient } from '@slack/web-api';
import type { Config } from '../config';
import type { OutboxDispatcher } from '../outbox/dispatcher';
import type { Database } from '../db/client';
import type { IncidentLifecycleHooks } from '../incidents/lifecycle';
import type { Logger } from '../logger';

/** What Slack listeners need; built once in main.ts. */
export interface SlackDeps {
  config: Config;
  db: Database;
  log: Logger;
  clock: () => Date;
  dispatcher: OutboxDispatcher;
  hooks: IncidentLifecycleHooks;
  botUserId: string;
  client: WebClient;
}
