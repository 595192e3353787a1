import type { z } from 'zod';
import type { OutboxRow } from './repository';

/** A claimed job as its handler sees it: the row, with the payload parsed by the kind's schema. */
export type OutboxJob<P> = Omit<OutboxRow, 'payload'> & { payload: P };

/**
 * How long a kind keeps trying. `bounded`: a fixed number of attempts. `persistent`: what must reach
 * people keeps trying, with backoff capped at a few minutes, for up to `maxAgeMs` and while the handler
 * says it is still wanted (e.g. the incident is open).
 */
export type RetryPolicy = { mode: 'bounded'; maxAttempts: number } | { mode: 'persistent'; maxAgeMs: number; stillWanted?: (now: Date) => Promise<boolean> };

export const BOUNDED: RetryPolicy = { mode: 'bounded', maxAttempts: 10 };
/** Must reach people: keep trying for a day. */
export const PERSISTENT_MAX_AGE_MS = 24 * 60 * 60_000;

/** A job kind, as a domain declares it: what its payload looks like and what to do with it. */
export interface JobKind<S extends z.ZodType> {
  kind: string;
  schema: S;
  /** Does the job; returns what to record as its result. Throw ExternalCallError to retry or give up. */
  run(job: OutboxJob<z.output<S>>, now: Date): Promise<Record<string, unknown> | null>;
  /** Bounded (10 attempts) unless the kind says otherwise. */
  retry?(job: OutboxJob<z.output<S>>): RetryPolicy;
  /** Told on each failure once the job has failed this many attempts and keeps trying (the notice it queues must be deduplicated). */
  struggling?: { afterAttempts: number; notify(job: OutboxJob<z.output<S>>, reason: string, now: Date): Promise<void> };
  /** Told when the job fails for good, so a person can be told what did not happen. */
  onGiveUp?(job: OutboxJob<z.output<S>>, reason: string, now: Date): Promise<void>;
  /** Told after the job is recorded as done or failed for good (e.g. to report once every sibling is settled). */
  settled?(job: OutboxJob<z.output<S>>, now: Date): Promise<void>;
}

/** One claimed job bound to its handler, its payload already checked. */
export interface PreparedJob {
  row: OutboxRow;
  run(now: Date): Promise<Record<string, unknown> | null>;
  retry: RetryPolicy;
  struggling?: { afterAttempts: number; notify(reason: string, now: Date): Promise<void> };
  onGiveUp?(reason: string, now: Date): Promise<void>;
  settled?(now: Date): Promise<void>;
}

/** What the dispatcher holds per kind: it knows no domain, only how to check a row and bind it. */
export interface OutboxHandler {
  kind: string;
  /** The job ready to run, or why its payload cannot be run. */
  prepare(row: OutboxRow): PreparedJob | { invalid: string };
}

/** Declares a job kind; the handler only ever sees a payload that passed `schema`. */
export function defineJob<S extends z.ZodType>(definition: JobKind<S>): OutboxHandler {
  return {
    kind: definition.kind,
    prepare(row) {
      const parsed = definition.schema.safeParse(row.payload);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
        return { invalid: `payload of ${definition.kind} does not match its schema (${issues})` };
      }
      const job: OutboxJob<z.output<S>> = { ...row, payload: parsed.data };
      const { struggling } = definition;
      return {
        row,
        run: (now) => definition.run(job, now),
        retry: definition.retry?.(job) ?? BOUNDED,
        struggling: struggling && { afterAttempts: struggling.afterAttempts, notify: (reason, now) => struggling.notify(job, reason, now) },
        onGiveUp: definition.onGiveUp && ((reason, now) => definition.onGiveUp!(job, reason, now)),
        settled: definition.settled && ((now) => definition.settled!(job, now)),
      };
    },
  };
}

/** Collects every domain's kinds; a kind registered twice is a wiring mistake, caught at start-up. */
export function jobRegistry(...groups: OutboxHandler[][]): Map<string, OutboxHandler> {
  const registry = new Map<string, OutboxHandler>();
  for (const handler of groups.flat()) {
    if (registry.has(handler.kind)) throw new Error(`Outbox job kind "${handler.kind}" is registered twice`);
    registry.set(handler.kind, handler);
  }
  return registry;
}
