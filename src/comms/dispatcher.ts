import type { Database } from '../db/client';
import { ExternalCallError } from '../errors';
import type { Logger } from '../logger';
import { claimDueJobs, completeJob, failJob, nextDueAt, rescheduleJob, type OutboxRow } from './outboxRepository';

export interface OutboxHandler {
  kind: string;
  /** Does the job; returns what to record as its result. Throw ExternalCallError to retry or give up. */
  run(job: OutboxRow, now: Date): Promise<Record<string, unknown> | null>;
  /** Told when the job fails for good, so a person can be told what did not happen. */
  onGiveUp?(job: OutboxRow, reason: string, now: Date): Promise<void>;
}

export interface DispatcherOptions {
  db: Database;
  log: Logger;
  handlers: OutboxHandler[];
  clock?: () => Date;
  /** How long a claimed job stays reserved to one replica. */
  leaseMs?: number;
  batchSize?: number;
  maxAttempts?: number;
}

export interface OutboxDispatcher {
  /** Claims and runs everything due now; resolves when this pass is finished. */
  runDue(now?: Date): Promise<void>;
  /** Asks for a pass soon (after a commit that enqueued work), without waiting for it. */
  kick(): void;
  /** Waits for the pass in flight and stops waking up. */
  stop(): Promise<void>;
}

const BASE_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 5 * 60_000;
/** Retries due sooner than this are woken for by a timer; later ones wait for the scheduler's tick. */
const WAKE_HORIZON_MS = 60_000;

export function backoffMs(attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));
}

export function createOutboxDispatcher(options: DispatcherOptions): OutboxDispatcher {
  const { db, log } = options;
  const clock = options.clock ?? (() => new Date());
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 50;
  const maxAttempts = options.maxAttempts ?? 10;
  const handlers = new Map(options.handlers.map((h) => [h.kind, h]));
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let wakeTimer: NodeJS.Timeout | null = null;

  async function settle(job: OutboxRow, handler: OutboxHandler, err: unknown): Promise<void> {
    const now = clock();
    const external = err instanceof ExternalCallError ? err : null;
    const reason = external?.code ?? (err instanceof Error ? err.message : String(err));
    const retryable = external ? external.retryable : true;
    if (retryable && job.attempts < maxAttempts) {
      const delay = Math.max(external?.retryAfterMs ?? 0, backoffMs(job.attempts));
      log.warn({ job: job.id, kind: job.kind, attempt: job.attempts, reason, retryInMs: delay }, 'Outbox job failed; will retry');
      await rescheduleJob(db, job.id, new Date(now.getTime() + delay), reason);
      return;
    }
    log.error({ job: job.id, kind: job.kind, attempt: job.attempts, reason }, 'Outbox job failed for good');
    await failJob(db, job.id, now, reason);
    await handler.onGiveUp?.(job, reason, now);
  }

  async function runJob(job: OutboxRow, now: Date): Promise<void> {
    const handler = handlers.get(job.kind);
    if (!handler) {
      await failJob(db, job.id, now, `no handler for ${job.kind}`);
      return;
    }
    try {
      const result = await handler.run(job, now);
      await completeJob(db, job.id, clock(), result);
    } catch (err) {
      await settle(job, handler, err).catch((e) => log.error({ err: e, job: job.id }, 'Could not record an outbox failure'));
    }
  }

  async function pass(now: Date): Promise<void> {
    for (;;) {
      const jobs = await claimDueJobs(db, now, leaseMs, batchSize);
      await Promise.all(jobs.map((job) => runJob(job, now)));
      if (jobs.length < batchSize || stopped) break;
      now = clock();
    }
  }

  async function scheduleWake(): Promise<void> {
    if (stopped) return;
    const next = await nextDueAt(db);
    if (!next) return;
    const delay = next.getTime() - clock().getTime();
    if (delay > WAKE_HORIZON_MS) return;
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeTimer = setTimeout(() => {
      wakeTimer = null;
      dispatcher.kick();
    }, Math.max(0, delay) + 5);
    wakeTimer.unref();
  }

  const dispatcher: OutboxDispatcher = {
    runDue(now = clock()) {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        try {
          do {
            again = false;
            await pass(now);
            now = clock();
          } while (again && !stopped);
          await scheduleWake();
        } catch (err) {
          log.error({ err }, 'Outbox pass failed');
        } finally {
          running = null;
        }
      })();
      return running;
    },
    kick() {
      if (stopped) return;
      setImmediate(() => void dispatcher.runDue());
    },
    async stop() {
      stopped = true;
      if (wakeTimer) clearTimeout(wakeTimer);
      await running;
    },
  };
  return dispatcher;
}
