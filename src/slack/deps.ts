import type { WebClient } from '@slack/web-api';
import type { Config } from '../config';
import type { OutboxDispatcher } from '../outbox/dispatcher';
import type { Logger } from '../logger';
import type { UseCases } from '../useCases';

/** What Slack listeners need; built once in main.ts. The database stays behind `useCases`. */
export interface SlackDeps {
  config: Config;
  log: Logger;
  clock: () => Date;
  dispatcher: OutboxDispatcher;
  /** Herald's use cases, each answering within the request deadline or with a DatabaseUnavailableError. */
  useCases: UseCases;
  botUserId: string;
  client: WebClient;
}
