import type { Incident } from '../incidents/model';
import type { Destination } from './destinations';
import type { PostOnce } from '../outbox/steps';
import type { StatusUpdate } from './statusUpdateRepository';

export const PROMPT_STAGES = ['due', 'reminder', 'overdue'] as const;
export type PromptStage = (typeof PROMPT_STAGES)[number];

export interface UpdatePrompt {
  incident: Incident;
  stage: PromptStage;
  dueAt: Date;
  now: Date;
  snoozeMinutes: number;
  lastUpdateAt: Date | null;
}

export interface OverdueNotice {
  incident: Incident;
  dueAt: Date;
  now: Date;
  /** Who was prompted: the comms lead (or commander) and the commander. */
  prompted: string[];
}

export interface DeliveryReceipt {
  incident: Incident;
  update: StatusUpdate;
  total: number;
  reached: number;
  failed: Array<{ destination: Destination; code: string }>;
}

/**
 * How comms reaches people. `slack/` implements it; failures are thrown as ExternalCallError with
 * Slack's code, so the outbox retries or gives up. What must arrive once is posted `once`: a retry
 * whose earlier answer was lost finds the post by its marker instead of posting twice.
 */
export interface CommsMessenger {
  postUpdate(update: StatusUpdate, incident: Incident, destination: Destination, once: PostOnce): Promise<{ channel: string; ts: string }>;
  sendPrompt(userId: string, prompt: UpdatePrompt, once: PostOnce): Promise<void>;
  postOverdueNotice(channelId: string, notice: OverdueNotice, once: PostOnce): Promise<void>;
  sendReceipt(userId: string, receipt: DeliveryReceipt, once: PostOnce): Promise<void>;
}

/** Who is in a channel, to keep a private incident's updates among its members. */
export type ChannelMembers = (channelId: string) => Promise<string[]>;
