import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { withDeadline } from '../deadline';
import type { PoolStats } from '../db/poolStats';
import { SEVERITIES, isSeverity } from '../incidents/severity';
import type { OutboxObserver } from '../outbox/dispatcher';
import type { JobObserver } from '../scheduler';
import type { SlackCallObserver } from '../slack/callMetrics';
import type { RequestObserver } from '../slack/requestMetrics';

/**
 * What a scrape reads from the database, each with one cheap query (see readings.ts). They run at scrape
 * time, each with a deadline, so a scrape answers however the database is doing.
 */
export interface DatabaseReadings {
  pendingJobs(): Promise<Array<{ kind: string; pending: number; waitingSince: Date }>>;
  givenUpJobs(): Promise<Record<string, number>>;
  openIncidents(): Promise<Record<string, number>>;
  overdueUpdates(): Promise<Record<string, number>>;
  pool(): PoolStats | null;
}

export interface HeraldMetrics {
  requests: RequestObserver;
  slackCalls: SlackCallObserver;
  outbox: OutboxObserver;
  schedulerJob: JobObserver;
  contentType: string;
  /** Reads the database's figures, then renders everything in Prometheus' text format. */
  scrape(): Promise<string>;
}

export interface MetricsOptions {
  clock?: () => Date;
  /** How long each database reading may take before a scrape leaves it out (default 1 s). */
  readDeadlineMs?: number;
}

/** The process's own figures (CPU, memory, event loop, GC) are per process: collected once, shared by every registry. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * A reading that runs at most once at a time: a scrape while the last one is still waiting on the
 * database waits for that same query instead of adding another, so a sick database is not piled on.
 */
function oneAtATime<T>(read: () => Promise<T>, deadlineMs: number): () => Promise<T> {
  let running: Promise<T> | null = null;
  return () => {
    if (!running) {
      const started = Promise.resolve().then(read);
      running = started;
      const done = () => {
        if (running === started) running = null;
      };
      started.then(done, done);
    }
    return withDeadline(running, deadlineMs);
  };
}

/** A severity as a label: one of SEV1–SEV4, never free text. */
const severityLabel = (value: string) => (isSeverity(value) ? value : 'other');

export function createMetrics(readings: DatabaseReadings, options: MetricsOptions = {}): HeraldMetrics {
  const clock = options.clock ?? (() => new Date());
  const deadlineMs = options.readDeadlineMs ?? 1_000;
  const own = new Registry();
  const registers = [own];

  const requestsReceived = new Counter({ name: 'herald_slack_requests_total', help: 'Requests Slack sent (commands, actions, view submissions, events), by surface', labelNames: ['surface'], registers });
  const ackSeconds = new Histogram({
    name: 'herald_slack_ack_seconds',
    help: 'Time from receiving a Slack request to acknowledging it (Slack gives up at 3 s); _count is the requests acknowledged',
    labelNames: ['surface'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers,
  });
  const slackCalls = new Counter({ name: 'herald_slack_api_calls_total', help: 'Slack Web API calls, by method and outcome (ok, a Slack error code, rate_limited, timed_out, request_failed, http_error)', labelNames: ['method', 'outcome'], registers });
  const slackCallSeconds = new Histogram({ name: 'herald_slack_api_call_seconds', help: 'Slack Web API call duration, by method', labelNames: ['method'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers });
  const jobsDone = new Counter({ name: 'herald_outbox_jobs_done_total', help: 'Outbox jobs this replica ran to completion, by kind', labelNames: ['kind'], registers });
  const retries = new Counter({ name: 'herald_outbox_retries_total', help: 'Outbox jobs this replica scheduled to run again, by kind and cause (error, rate_limited)', labelNames: ['kind', 'cause'], registers });
  const giveUps = new Counter({ name: 'herald_outbox_give_ups_total', help: 'Outbox jobs this replica gave up on for good, by kind', labelNames: ['kind'], registers });
  const pendingJobs = new Gauge({ name: 'herald_outbox_pending_jobs', help: 'Outbox jobs waiting to run (all replicas), by kind', labelNames: ['kind'], registers });
  const oldestPending = new Gauge({ name: 'herald_outbox_oldest_pending_seconds', help: 'How long the longest-waiting pending outbox job has waited since it was queued, by kind', labelNames: ['kind'], registers });
  const givenUpJobs = new Gauge({ name: 'herald_outbox_given_up_jobs', help: 'Outbox jobs that gave up and wait for a person (all replicas, as /readyz reports), by kind', labelNames: ['kind'], registers });
  const jobSeconds = new Histogram({ name: 'herald_scheduler_job_seconds', help: 'Duration of each scheduled job in a scheduler tick, by job', labelNames: ['job'], buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60], registers });
  const jobFailures = new Counter({ name: 'herald_scheduler_job_failures_total', help: 'Scheduled job runs that failed (they run again next tick), by job', labelNames: ['job'], registers });
  const poolConnections = new Gauge({ name: 'herald_db_pool_connections', help: 'Database connections by state (in_use, idle); the embedded database has one session', labelNames: ['database', 'state'], registers });
  const poolWaiting = new Gauge({ name: 'herald_db_pool_waiting', help: 'Callers waiting for a database connection', labelNames: ['database'], registers });
  const poolMax = new Gauge({ name: 'herald_db_pool_max', help: 'Most database connections this process opens', labelNames: ['database'], registers });
  const databaseUp = new Gauge({ name: 'herald_database_up', help: '1 when every database reading of this scrape answered within its deadline', registers });
  const openIncidents = new Gauge({ name: 'herald_incidents_open', help: 'Incidents being worked (investigating, identified, monitoring), by severity', labelNames: ['severity'], registers });
  const overdueUpdates = new Gauge({ name: 'herald_updates_overdue', help: 'Open incidents whose stakeholder update is past due with nothing sent, by severity', labelNames: ['severity'], registers });

  for (const surface of ['command', 'action', 'view', 'event']) {
    requestsReceived.inc({ surface }, 0);
    ackSeconds.zero({ surface });
  }

  const read = {
    pendingJobs: oneAtATime(readings.pendingJobs, deadlineMs),
    givenUpJobs: oneAtATime(readings.givenUpJobs, deadlineMs),
    openIncidents: oneAtATime(readings.openIncidents, deadlineMs),
    overdueUpdates: oneAtATime(readings.overdueUpdates, deadlineMs),
  };

  const bySeverity = (gauge: Gauge<'severity'>, counts: Record<string, number>) => {
    gauge.reset();
    for (const severity of SEVERITIES) gauge.set({ severity }, 0);
    for (const [severity, count] of Object.entries(counts)) gauge.inc({ severity: severityLabel(severity) }, count);
  };

  async function readDatabase(): Promise<void> {
    const [pending, givenUp, open, overdue] = await Promise.allSettled([read.pendingJobs(), read.givenUpJobs(), read.openIncidents(), read.overdueUpdates()]);
    const now = clock().getTime();
    pendingJobs.reset();
    oldestPending.reset();
    if (pending.status === 'fulfilled') {
      for (const { kind, pending: count, waitingSince } of pending.value) {
        pendingJobs.set({ kind }, count);
        oldestPending.set({ kind }, Math.max(0, (now - waitingSince.getTime()) / 1000));
      }
    }
    givenUpJobs.reset();
    if (givenUp.status === 'fulfilled') for (const [kind, count] of Object.entries(givenUp.value)) givenUpJobs.set({ kind }, count);
    if (open.status === 'fulfilled') bySeverity(openIncidents, open.value);
    else openIncidents.reset();
    if (overdue.status === 'fulfilled') bySeverity(overdueUpdates, overdue.value);
    else overdueUpdates.reset();
    databaseUp.set([pending, givenUp, open, overdue].every((r) => r.status === 'fulfilled') ? 1 : 0);
  }

  function readPool(): void {
    const stats = readings.pool();
    if (!stats) return;
    const { database } = stats;
    poolConnections.set({ database, state: 'in_use' }, stats.inUse);
    poolConnections.set({ database, state: 'idle' }, stats.idle);
    poolWaiting.set({ database }, stats.waiting);
    poolMax.set({ database }, stats.max);
  }

  const everything = Registry.merge([processMetrics(), own]);
  return {
    requests: {
      received: (surface) => requestsReceived.inc({ surface }),
      acknowledged: (surface, seconds) => ackSeconds.observe({ surface }, seconds),
    },
    slackCalls: {
      called(method, outcome, seconds) {
        slackCalls.inc({ method, outcome });
        slackCallSeconds.observe({ method }, seconds);
      },
    },
    outbox: {
      done: (kind) => jobsDone.inc({ kind }),
      retried: (kind, cause) => retries.inc({ kind, cause }),
      gaveUp: (kind) => giveUps.inc({ kind }),
    },
    schedulerJob(job, seconds, failed) {
      jobSeconds.observe({ job }, seconds);
      if (failed) jobFailures.inc({ job });
    },
    contentType: everything.contentType,
    async scrape() {
      readPool();
      await readDatabase();
      return everything.metrics();
    },
  };
}
