import type { Database } from '../db/client';
import { ExternalCallError } from '../errors';
import type { Logger } from '../logger';
import { nextAllowedSend, nextAllowedSends, spreadDestination } from './pace';
import { jobRegistry, type OutboxHandler, type PreparedJob, type RetryPolicy } from './registry';
import { claimDueJobs, completeJobs, extendLeases, failJob, nextDueAt, rescheduleJob, type Claim, type OutboxRow } from './repository';

export type { OutboxHandler } from './registry';

export interface DispatcherOptions {
  db: Database;
  log: Logger;
  /** Every job kind this replica can run; it claims only these. */
  handlers: OutboxHandler[];
  clock?: () => Date;
  /** How long a claimed job stays reserved to one replica; extended while the job runs. */
  leaseMs?: number;
  /** How often the leases of running jobs are extended (default a third of the lease). */
  heartbeatMs?: number;
  /** Most jobs claimed at once. */
  batchSize?: number;
  /** Most jobs running at once (Slack's WebClient itself runs up to 100 calls at a time). */
  maxInFlight?: number;
  /** Told how each job run by this replica ended (metrics). */
  observer?: OutboxObserver;
}

/** How jobs run by this replica end, by kind: done, to be retried (after a failure or a rate limit), or given up. */
export interface OutboxObserver {
  done(kind: string): void;
  retried(kind: string, cause: 'error' | 'rate_limited'): void;
  gaveUp(kind: string): void;
}

const UNOBSERVED: OutboxObserver = { done: () => undefined, retried: () => undefined, gaveUp: () => undefined };

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

/** Whether a job that failed `attempts` times in a row (and may be retried) should try again. */
async function keepsTrying(policy: RetryPolicy, job: OutboxRow, now: Date): Promise<boolean> {
  if (policy.mode === 'bounded') return job.attempts < policy.maxAttempts;
  const since = (job.retried_at ?? job.created_at).getTime();
  if (now.getTime() - since >= policy.maxAgeMs) return false;
  return policy.stillWanted ? policy.stillWanted(now) : true;
}

export function createOutboxDispatcher(options: DispatcherOptions): OutboxDispatcher {
  const { db, log } = options;
  const clock = options.clock ?? (() => new Date());
  const leaseMs = options.leaseMs ?? 60_000;
  const heartbeatMs = options.heartbeatMs ?? Math.floor(leaseMs / 3);
  const batchSize = options.batchSize ?? 100;
  const maxInFlight = options.maxInFlight ?? 100;
  /** Claims more once this many slots are free: fewer, larger claims, the pipe never runs dry. */
  const refillAt = Math.max(1, Math.floor(maxInFlight / 4));
  const observer = options.observer ?? UNOBSERVED;
  const handlers = jobRegistry(options.handlers);
  const kinds = [...handlers.keys()];
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let wakeTimer: NodeJS.Timeout | null = null;

  /**
   * Every job this replica has claimed and not yet finished or handed back, with its claim's token. A
   * job claimed again while still here (its lease lapsed) keeps running once, under the newer token.
   */
  const claims = new Map<number, Claim>();
  const claimOf = (job: OutboxRow): Claim => claims.get(job.id) ?? { id: job.id, token: job.claim_token ?? '' };
  const letGo = (jobs: OutboxRow[]) => {
    for (const job of jobs) claims.delete(job.id);
  };

  /** Keeps the leases of claimed jobs alive while they wait or run, so no other replica takes them. */
  let beating = false;
  const heartbeat = setInterval(() => {
    if (beating || claims.size === 0) return;
    beating = true;
    extendLeases(db, [...claims.values()], new Date(clock().getTime() + leaseMs))
      .then((lost) => {
        if (lost.length > 0) log.warn({ jobs: lost }, 'Outbox jobs lost their claim while running here; their outcome will not be recorded by this replica');
      })
      .catch((err) => log.warn({ err }, 'Could not extend outbox leases'))
      .finally(() => (beating = false));
  }, heartbeatMs);
  heartbeat.unref();

  /**
   * Jobs finished while the previous record was being written are recorded together, in one statement:
   * during a fan-out, one commit (one flush to disk) for many posts instead of one each. Each job still
   * waits for its own record before anything follows it.
   */
  let pendingDone: Array<Claim & { doneAt: Date; result: Record<string, unknown> | null; written: () => void; failed: (err: unknown) => void }> = [];
  let writingDone = false;
  async function writeDone(): Promise<void> {
    writingDone = true;
    while (pendingDone.length > 0) {
      const batch = pendingDone;
      pendingDone = [];
      try {
        const lost = await completeJobs(db, batch);
        if (lost.length > 0) log.warn({ jobs: lost }, 'Outbox jobs finished after another claimant took them; not recorded twice');
        for (const j of batch) j.written();
      } catch (err) {
        for (const j of batch) j.failed(err);
      }
    }
    writingDone = false;
  }
  function recordDone(claim: Claim, doneAt: Date, result: Record<string, unknown> | null): Promise<void> {
    return new Promise((written, failed) => {
      pendingDone.push({ id: claim.id, token: claim.token, doneAt, result, written, failed });
      if (!writingDone) void writeDone();
    });
  }

  /** Records a failure; when Slack asked this destination to wait, until when (its other jobs wait too). */
  async function settle(prepared: PreparedJob, err: unknown): Promise<Date | null> {
    const job = prepared.row;
    const claim = claimOf(job);
    const now = clock();
    const external = err instanceof ExternalCallError ? err : null;
    const reason = external?.code ?? (err instanceof Error ? err.message : String(err));
    const retryable = external ? external.retryable : true;
    if (external?.code === 'ratelimited') {
      // Slack said exactly when: wait that long, no more. A rate limit is not a failed attempt.
      const until = new Date(now.getTime() + Math.max(external.retryAfterMs ?? 0, BASE_BACKOFF_MS));
      log.info({ job: job.id, kind: job.kind, destination: job.destination, retryAt: until }, 'Rate-limited by Slack; waiting as asked');
      await rescheduleJob(db, claim, until, reason, { refundAttempt: true });
      observer.retried(job.kind, 'rate_limited');
      return until;
    }
    if (retryable && (await keepsTrying(prepared.retry, job, now))) {
      const delay = Math.max(external?.retryAfterMs ?? 0, backoffMs(job.attempts));
      log.warn({ job: job.id, kind: job.kind, attempt: job.attempts, reason, retryInMs: delay }, 'Outbox job failed; will retry');
      if (!(await rescheduleJob(db, claim, new Date(now.getTime() + delay), reason))) return null;
      observer.retried(job.kind, 'error');
      // Told on every failure from then on: the notice's dedupe key keeps it to one, and a crash between
      // the reschedule and the notice cannot lose it.
      if (prepared.struggling && job.attempts >= prepared.struggling.afterAttempts) {
        await prepared.struggling.notify(reason, now).catch((e) => log.error({ err: e, job: job.id }, 'Could not queue the notice that Slack is not answering'));
      }
      return null;
    }
    if (!(await failJob(db, claim, now, reason))) {
      log.warn({ job: job.id, kind: job.kind }, 'Outbox job failed after another claimant took it; left to that claimant');
      return null;
    }
    log.error({ job: job.id, kind: job.kind, incident: job.incident_id, attempt: job.attempts, reason }, 'Outbox job gave up for good');
    observer.gaveUp(job.kind);
    await prepared.onGiveUp?.(reason, now);
    await prepared.settled?.(now);
    return null;
  }

  /** Runs one job; when its destination was rate-limited, until when. */
  async function runJob(prepared: PreparedJob, now: Date): Promise<Date | null> {
    let result: Record<string, unknown> | null;
    try {
      result = await prepared.run(now);
    } catch (err) {
      return settle(prepared, err).catch((e) => {
        log.error({ err: e, job: prepared.row.id }, 'Could not record an outbox failure');
        return null;
      });
    }
    // Recorded before anything else, so a later failure cannot make it send again.
    await recordDone(claimOf(prepared.row), clock(), result);
    observer.done(prepared.row.kind);
    await prepared.settled?.(clock()).catch((err) => log.error({ err, job: prepared.row.id }, 'Outbox follow-up failed'));
    return null;
  }

  /** Hands `jobs` back unrun and spreads the destination's waiting jobs out from `from`. */
  async function holdBack(destination: string, jobs: PreparedJob[], from: Date): Promise<void> {
    try {
      await spreadDestination(db, destination, from, clock(), jobs.map((j) => claimOf(j.row)));
    } finally {
      letGo(jobs.map((j) => j.row));
    }
  }

  /** Jobs claimed and not yet finished or handed back, and the destinations now being worked through. */
  let inFlight = 0;
  const queues = new Map<string, PreparedJob[]>();
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
  async function runDestination(key: string, destination: string | null, queue: PreparedJob[], now: Date, knownAllowed: Date | undefined): Promise<void> {
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
          letGo([job.row]);
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
      const left = leave();
      letGo(left.map((j) => j.row));
      finished(left.length);
    }
  }

  /** Starts claimed jobs: one queue per destination, joining a queue already being worked through. */
  async function start(rows: OutboxRow[], now: Date): Promise<void> {
    const jobs: PreparedJob[] = [];
    for (const row of rows) {
      const held = claims.get(row.id);
      if (held) {
        // Still running here (its lease lapsed, e.g. the database was slow to extend it): it runs once,
        // and records its outcome under the newer claim.
        held.token = row.claim_token ?? held.token;
        continue;
      }
      const claim = { id: row.id, token: row.claim_token ?? '' };
      claims.set(row.id, claim);
      const prepared = handlers.get(row.kind)?.prepare(row) ?? { invalid: `no handler for ${row.kind}` };
      if ('invalid' in prepared) {
        log.error({ job: row.id, kind: row.kind, reason: prepared.invalid }, 'Outbox job cannot run; failed for good');
        await failJob(db, claim, now, prepared.invalid).finally(() => claims.delete(row.id));
        observer.gaveUp(row.kind);
        continue;
      }
      jobs.push(prepared);
    }
    inFlight += jobs.length;
    const fresh = new Map<string, PreparedJob[]>();
    for (const job of jobs) {
      const key = job.row.destination ?? `job:${job.row.id}`;
      const running = queues.get(key);
      if (running) running.push(job);
      else fresh.set(key, [...(fresh.get(key) ?? []), job]);
    }
    const destinations = [...fresh.values()].map((q) => q[0].row.destination).filter((d): d is string => d !== null);
    // One query for the pace of every new destination, instead of one per job.
    const allowed = destinations.length > 0 ? await nextAllowedSends(db, destinations, clock()).catch(() => new Map<string, Date>()) : new Map<string, Date>();
    for (const [key, queue] of fresh) {
      queues.set(key, queue);
      const destination = queue[0].row.destination;
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
        const jobs = await claimDueJobs(db, now, leaseMs, Math.min(room, batchSize), kinds);
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
    const next = await nextDueAt(db, kinds);
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
      clearInterval(heartbeat);
    },
  };
  return dispatcher;
}
