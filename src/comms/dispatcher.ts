import type { Database } from '../db/client';
import { ExternalCallError } from '../errors';
import type { Logger } from '../logger';
import { claimDueJobs, completeJobs, failJob, nextDueAt, rescheduleJob, type OutboxRow } from './outboxRepository';
import { nextAllowedSend, nextAllowedSends, spreadDestination } from './paceRepository';

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
  /** Most jobs claimed at once. */
  batchSize?: number;
  /** Most jobs running at once (Slack's WebClient itself runs up to 100 calls at a time). */
  maxInFlight?: number;
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
  const batchSize = options.batchSize ?? 100;
  const maxInFlight = options.maxInFlight ?? 100;
  /** Claims more once this many slots are free: fewer, larger claims, the pipe never runs dry. */
  const refillAt = Math.max(1, Math.floor(maxInFlight / 4));
  const maxAttempts = options.maxAttempts ?? 10;
  const handlers = new Map(options.handlers.map((h) => [h.kind, h]));
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let wakeTimer: NodeJS.Timeout | null = null;

  /**
   * Jobs finished while the previous record was being written are recorded together, in one statement:
   * during a fan-out, one commit (one flush to disk) for many posts instead of one each. Each job still
   * waits for its own record before anything follows it.
   */
  let pendingDone: Array<{ id: number; doneAt: Date; result: Record<string, unknown> | null; written: () => void; failed: (err: unknown) => void }> = [];
  let writingDone = false;
  async function writeDone(): Promise<void> {
    writingDone = true;
    while (pendingDone.length > 0) {
      const batch = pendingDone;
      pendingDone = [];
      try {
        await completeJobs(db, batch);
        for (const j of batch) j.written();
      } catch (err) {
        for (const j of batch) j.failed(err);
      }
    }
    writingDone = false;
  }
  function recordDone(id: number, doneAt: Date, result: Record<string, unknown> | null): Promise<void> {
    return new Promise((written, failed) => {
      pendingDone.push({ id, doneAt, result, written, failed });
      if (!writingDone) void writeDone();
    });
  }

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
    await recordDone(job.id, clock(), result);
    await handler.settled?.(job, clock()).catch((err) => log.error({ err, job: job.id }, 'Outbox follow-up failed'));
    return null;
  }

  /** Hands `jobs` back unrun and spreads the destination's waiting jobs out from `from`. */
  async function holdBack(destination: string, jobs: OutboxRow[], from: Date): Promise<void> {
    await spreadDestination(db, destination, from, clock(), jobs.map((j) => j.id));
  }

  /** Jobs claimed and not yet finished or handed back, and the destinations now being worked through. */
  let inFlight = 0;
  const queues = new Map<string, OutboxRow[]>();
  let signal: (() => void) | null = null;
  const wakePump = () => {
    const s = signal;
    signal = null;
    s?.();
  };
  const finished = (count: number) => {
    inFlight -= count;
    wakePump();
  };

  /**
   * Works through one destination's queue, one job after another, each only when the posts that
   * really went leave room for it; otherwise it and the rest are handed back, spaced at the posting
   * pace (a backlog after downtime, a post that left late). When Slack rate-limits the destination
   * anyway, the rest wait as long as Slack asked. Jobs claimed later for a destination already being
   * worked through join its queue, so they keep its order and pace.
   */
  async function runDestination(key: string, destination: string | null, queue: OutboxRow[], now: Date, knownAllowed: Date | undefined): Promise<void> {
    // Leaves the queue at once, before any wait: jobs claimed from here on start a queue of their own.
    const leave = () => {
      if (queues.get(key) === queue) queues.delete(key);
      return queue.splice(0);
    };
    try {
      while (queue.length > 0) {
        if (destination) {
          const allowed = knownAllowed ?? (await nextAllowedSend(db, destination, clock()));
          knownAllowed = undefined;
          if (allowed.getTime() > clock().getTime()) {
            const rest = leave();
            await holdBack(destination, rest, allowed).finally(() => finished(rest.length));
            return;
          }
        }
        const job = queue[0];
        const waitUntil = await runJob(job, now).finally(() => {
          queue.shift();
          finished(1);
        });
        if (waitUntil && destination) {
          const rest = leave();
          await holdBack(destination, rest, waitUntil).finally(() => finished(rest.length));
          return;
        }
      }
      leave();
    } catch (err) {
      // The database failed under a job: what is left stays claimed until its lease ends, then runs again.
      log.error({ err, destination }, 'Outbox pass failed');
      finished(leave().length);
    }
  }

  /** Starts claimed jobs: one queue per destination, joining a queue already being worked through. */
  async function start(jobs: OutboxRow[], now: Date): Promise<void> {
    inFlight += jobs.length;
    const fresh = new Map<string, OutboxRow[]>();
    for (const job of jobs) {
      const key = job.destination ?? `job:${job.id}`;
      const running = queues.get(key);
      if (running) running.push(job);
      else fresh.set(key, [...(fresh.get(key) ?? []), job]);
    }
    const destinations = [...fresh.values()].map((q) => q[0].destination).filter((d): d is string => d !== null);
    // One query for the pace of every new destination, instead of one per job.
    const allowed = destinations.length > 0 ? await nextAllowedSends(db, destinations, clock()).catch(() => new Map<string, Date>()) : new Map<string, Date>();
    for (const [key, queue] of fresh) {
      queues.set(key, queue);
      const destination = queue[0].destination;
      void runDestination(key, destination, queue, now, destination ? allowed.get(destination) : undefined);
    }
  }

  /**
   * Keeps up to `maxInFlight` jobs running: claims more as running ones finish (not round by round),
   * and once nothing more is due, claims again only when kicked or when everything running is finished
   * (follow-ups queued by these jobs, such as receipts, go out in the same pass).
   */
  async function pass(now: Date): Promise<void> {
    let drained = false;
    let first = true;
    for (;;) {
      const room = maxInFlight - inFlight;
      // A stopped dispatcher still finishes the pass it was asked for, but claims no further rounds.
      const claimNow = (first || !stopped) && room > 0 && (again || inFlight === 0 || (!drained && room >= refillAt));
      if (claimNow) {
        again = false;
        if (!first) now = clock();
        first = false;
        const jobs = await claimDueJobs(db, now, leaseMs, Math.min(room, batchSize));
        drained = jobs.length < Math.min(room, batchSize);
        if (jobs.length > 0) await start(jobs, now);
        else if (inFlight === 0 && !again) return;
        continue;
      }
      if (inFlight === 0) return;
      await new Promise<void>((resolve) => {
        signal = resolve;
      });
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
        wakePump();
        return running;
      }
      running = (async () => {
        try {
          // A request that arrives while the wake-up is being scheduled is answered by another pass too,
          // or what it asked for would wait for the scheduler's next tick.
          do {
            do {
              again = false;
              await pass(now);
              now = clock();
            } while (again && !stopped);
            await scheduleWake();
            now = clock();
          } while (again && !stopped);
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
