import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger';

/** A scheduled job: a plain function of its dependencies and the time of the tick. */
export type Job = (now: Date) => Promise<void>;

export interface Scheduler {
  /** Runs every job once now; the tick cron runs, and what tests call directly. */
  tick(now?: Date): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The whole cron table. Cron only wakes each replica to look: what is due lives in the database and is
 * claimed there, so a tick on every replica, or ticks missed while all were down, do each thing once.
 */
/** Told how long each job of a tick took, and whether it failed (metrics). */
export type JobObserver = (job: string, seconds: number, failed: boolean) => void;

export function createScheduler(options: { cron: string; jobs: Record<string, Job>; log: Logger; clock: () => Date; observe?: JobObserver }): Scheduler {
  const { log, clock } = options;
  const observe = options.observe ?? (() => undefined);
  let task: ScheduledTask | null = null;
  let inFlight: Promise<void> | null = null;

  async function tick(now = clock()): Promise<void> {
    for (const [name, job] of Object.entries(options.jobs)) {
      const started = performance.now();
      let failed = false;
      try {
        await job(now);
      } catch (err) {
        failed = true;
        log.error({ err, job: name }, 'Scheduled job failed; it runs again next tick');
      }
      observe(name, (performance.now() - started) / 1000, failed);
    }
  }

  return {
    tick,
    start() {
      task = createTask(
        options.cron,
        async () => {
          // A slow tick is not stacked on by the next one.
          if (inFlight) return;
          inFlight = tick().finally(() => (inFlight = null));
          await inFlight;
        },
        { name: 'herald-scheduler', noOverlap: true },
      );
      void task.start();
    },
    async stop() {
      await task?.stop();
      await task?.destroy();
      await inFlight;
    },
  };
}
