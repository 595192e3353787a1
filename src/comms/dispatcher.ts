import type { Database } from '../db/client';
import { ExternalCallError } from '../errors';
import type { Logger } from '../logger';
import { claimDueJobs, completeJob, failJob, nextDueAt, releaseJobs, rescheduleJob, type OutboxRow } from './outboxRepository';
import { nextAllowedSend, spreadDestination } from './paceRepository';

export interface OutboxHandler {
  kind: string;
  /** Does the job; returns what to record as its result. Throw ExternalCallError to retry or give up. */
  run(job: OutboxRow, now: Date): Promise<Record<string, unknown> | null>;
  /** Told when the job fails for good, so a person can be told what did not happen. */
  onGiveUp?(job: OutboxRow, reason: string, now: Date): Promise<void>;
  /** Told after the job is recorded as done or failed for good (e.g. to report once every sibling is settled). */
  settled?(job: OutboxRow, now: Date): Promise<void>;
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

  /** Records a failure; when Slack asked this destination to wait, until when (its other jobs wait too). */
  async function settle(job: OutboxRow, handler: OutboxHandler, err: unknown): Promise<Date | null> {
    const now = clock();
    const external = err instanceof ExternalCallError ? err : null;
    const reason = external?.code ?? (err instanceof Error ? err.message : String(err));
    const retryable = external ? external.retryable : true;
    if (external?.code === 'ratelimited') {
      // Slack said exactly when: wait that long, no more. A rate limit is not a failed attempt.
      const until = new Date(now.getTime() + Math.max(external.retryAfterMs ?? 0, BASE_BACKOFF_MS));
      log.info({ job: job.id, kind: job.kind, destination: job.destination, retryAt: until }, 'Rate-limited by Slack; waiting as asked');
      await rescheduleJob(db, job.id, until, reason, { refundAttempt: true });
      return until;
    }
    if (retryable && job.attempts < maxAttempts) {
      const delay = Math.max(external?.retryAfterMs ?? 0, backoffMs(job.attempts));
      log.warn({ job: job.id, kind: job.kind, attempt: job.attempts, reason, retryInMs: delay }, 'Outbox job failed; will retry');
      await rescheduleJob(db, job.id, new Date(now.getTime() + delay), reason);
      return null;
    }
    log.error({ job: job.id, kind: job.kind, attempt: job.attempts, reason }, 'Outbox job failed for good');
    await failJob(db, job.id, now, reason);
    await handler.onGiveUp?.(job, reason, now);
    await handler.settled?.(job, now);
    return null;
  }

  /** Runs one job; when its destination was rate-limited, until when. */
  async function runJob(job: OutboxRow, now: Date): Promise<Date | null> {
    const handler = handlers.get(job.kind);
    if (!handler) {
      await failJob(db, job.id, now, `no handler for ${job.kind}`);
      return null;
    }
    let result: Record<string, unknown> | null;
    try {
      result = await handler.run(job, now);
    } catch (err) {
      return settle(job, handler, err).catch((e) => {
        log.error({ err: e, job: job.id }, 'Could not record an outbox failure');
        return null;
      });
    }
    // Recorded before anything else, so a later failure cannot make it send again.
    await completeJob(db, job.id, clock(), result);
    await handler.settled?.(job, clock()).catch((err) => log.error({ err, job: job.id }, 'Outbox follow-up failed'));
    return null;
  }

  /** Hands `jobs` back unrun and spreads the destination's waiting jobs out from `from`. */
  async function holdBack(destination: string, jobs: OutboxRow[], from: Date): Promise<void> {
    await releaseJobs(db, jobs.map((j) => j.id));
    await spreadDestination(db, destination, from, clock());
  }

  /**
   * Jobs for one destination run one after another, each only when the posts that really went leave
   * room for it; otherwise it and the rest are handed back, spaced at the posting pace (a backlog after
   * downtime, a post that left late). When Slack rate-limits the destination anyway, the rest wait as
   * long as Slack asked.
   */
  async function runDestination(jobs: OutboxRow[], now: Date): Promise<void> {
    const destination = jobs[0].destination;
    for (let i = 0; i < jobs.length; i += 1) {
      if (destination) {
        const allowed = await nextAllowedSend(db, destination, clock());
        if (allowed.getTime() > clock().getTime()) return holdBack(destination, jobs.slice(i), allowed);
      }
      const waitUntil = await runJob(jobs[i], now);
      if (!waitUntil) continue;
      if (destination) await holdBack(destination, jobs.slice(i + 1), waitUntil);
      return;
    }
  }

  async function pass(now: Date): Promise<void> {
    for (;;) {
      const jobs = await claimDueJobs(db, now, leaseMs, batchSize);
      const byDestination = new Map<string, OutboxRow[]>();
      for (const job of jobs) {
        const key = job.destination ?? `job:${job.id}`;
        byDestination.set(key, [...(byDestination.get(key) ?? []), job]);
      }
      await Promise.all([...byDestination.values()].map((group) => runDestination(group, now)));
      // Keep going while there is work: follow-ups queued by this batch (receipts) go out in this pass.
      if (jobs.length === 0 || stopped) break;
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
