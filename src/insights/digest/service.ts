import { z } from 'zod';
import { defineJob, type OutboxHandler } from '../../outbox/registry';
import { enqueueJobs } from '../../outbox/repository';
import { markStep, onlyPostOf, stepsOfJob } from '../../outbox/steps';
import type { Database } from '../../db/client';
import { ExternalCallError } from '../../errors';
import type { Logger } from '../../logger';
import { latestFiring } from '../../scheduler/firings';
import { buildInsightsReport } from '../report';
import { weeklyImpactByService } from '../weeklyImpact';
import { renderImpactChart } from './chart';
import { buildDigest, CHART_WEEKS, OVERDUE_NAMED, type Digest, type Standards } from './model';
import type { DigestMessenger } from './ports';
import { claimDigestPeriod, hasDigestPeriod, listOverdue } from './repository';

export const DIGEST_JOB = 'digest.post';

export interface DigestSettings {
  /** Unset: no digest. */
  channel?: string;
  cron: string;
  timeZone: string;
}

export interface DigestDeps {
  db: Database;
  log: Logger;
  settings: DigestSettings;
  standards: Standards;
  messenger: DigestMessenger;
}

const payloadSchema = z.object({ periodStart: z.iso.datetime(), channel: z.string().min(1) });

/**
 * The scheduler's check: has a digest period begun that has no digest yet? Only the latest period
 * counts, so a digest missed while every replica was down is posted once, for the period now running,
 * and not once per period missed. The period's row and its outbox job are written together; the
 * replica whose row goes in queues the digest, the others do nothing.
 *
 * On a fresh install (no period recorded yet for the workspace) nothing was missed: the period
 * running is recorded as settled without a digest, and the first one goes out at the next firing.
 */
export async function queueDigestIfDue(deps: Pick<DigestDeps, 'db' | 'log' | 'settings'>, teamId: string, now: Date): Promise<'queued' | 'settled' | 'none'> {
  const { channel, cron, timeZone } = deps.settings;
  if (!channel) return 'none';
  const periodStart = latestFiring(cron, timeZone, now);
  if (!periodStart) return 'none';
  const outcome = await deps.db.transaction().execute(async (tx) => {
    const firstPeriod = !(await hasDigestPeriod(tx, teamId));
    if (!(await claimDigestPeriod(tx, teamId, periodStart, channel, now))) return 'none';
    if (firstPeriod) return 'settled';
    await enqueueJobs(
      tx,
      [
        {
          teamId,
          incidentId: null,
          kind: DIGEST_JOB,
          dedupeKey: `${DIGEST_JOB}:${teamId}:${periodStart.toISOString()}`,
          destination: channel,
          payload: { periodStart: periodStart.toISOString(), channel },
          notBefore: now,
        },
      ],
      now,
    );
    return 'queued';
  });
  if (outcome === 'queued') deps.log.info({ periodStart, channel }, 'Weekly risk digest queued');
  if (outcome === 'settled') deps.log.info({ periodStart, channel }, 'Weekly risk digest switched on: the first one goes out at the next firing');
  return outcome;
}

/**
 * The scheduler's job: checks each tick, and remembers the last period it saw settled so the ticks of a
 * period already queued (by this replica or another) cost no database round-trip.
 */
export function digestCheck(deps: Pick<DigestDeps, 'db' | 'log' | 'settings'>, teamId: string): (now: Date) => Promise<void> {
  let settled: number | null = null;
  return async (now) => {
    const { channel, cron, timeZone } = deps.settings;
    if (!channel) return;
    const periodStart = latestFiring(cron, timeZone, now);
    if (!periodStart || periodStart.getTime() === settled) return;
    await queueDigestIfDue(deps, teamId, now);
    settled = periodStart.getTime();
  };
}

/** The digest of the week that ended when the period began, as it stood then (the same on every attempt). */
export async function gatherDigest(deps: Pick<DigestDeps, 'db' | 'standards' | 'settings'>, teamId: string, periodStart: Date): Promise<Digest> {
  const { db } = deps;
  const [report, overdue, weekly] = await Promise.all([
    buildInsightsReport(db, { teamId, window: '7d' }, periodStart),
    listOverdue(db, teamId, periodStart, OVERDUE_NAMED),
    weeklyImpactByService(db, teamId, periodStart, CHART_WEEKS),
  ]);
  return buildDigest({ report, overdue, weekly, standards: deps.standards, timeZone: deps.settings.timeZone });
}

const dayLabel = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone }).format(at);

function describe(err: unknown): string {
  if (err instanceof ExternalCallError) return err.code;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Posts a queued digest: its text first (once, even when an attempt's answer was lost), then the
 * chart. A chart that cannot be drawn or uploaded does not hold the text back: the problem is logged
 * and written into the digest itself. Only a rate limit retries the chart (the text is not posted again).
 */
export function digestOutboxHandler(deps: DigestDeps): OutboxHandler {
  const { db, log, messenger } = deps;
  return defineJob({
    kind: DIGEST_JOB,
    schema: payloadSchema,
    async run(job, now) {
      const { periodStart, channel } = job.payload;
      const digest = await gatherDigest(deps, job.team_id, new Date(periodStart));
      const steps = await stepsOfJob(db, job.id);
      const posted = steps.get('text');
      let ts = posted?.state === 'done' ? posted.ts : null;
      if (!ts) {
        ts = await messenger.postDigest(channel, digest, onlyPostOf(job));
        await markStep(db, job.id, 'text', 'done', now, ts);
      }
      if (!digest.chart) return { ts, chart: 'none' };
      if (steps.get('chart')?.state === 'done') return { ts, chart: 'done earlier' };

      let problem: string | null = null;
      try {
        const until = dayLabel(digest.week.end, digest.timeZone);
        const bytes = await renderImpactChart(
          { weeks: digest.chart.weeks.map((w) => dayLabel(w, digest.timeZone)), series: digest.chart.series },
          `Customer-impact minutes per service, ${CHART_WEEKS} weeks to ${until}`,
        );
        await messenger.shareChart(channel, { bytes, filename: `risk-digest-${periodStart.slice(0, 10)}.png`, title: `Customer impact per service, ${CHART_WEEKS} weeks to ${until}` });
      } catch (err) {
        if (err instanceof ExternalCallError && err.code === 'ratelimited') throw err;
        problem = describe(err);
        log.warn({ job: job.id, channel, problem }, 'The digest chart could not be attached; the digest says so');
      }
      if (problem) await messenger.noteChartProblem(channel, ts, digest, problem);
      await markStep(db, job.id, 'chart', 'done', now);
      return { ts, chart: problem ? { problem } : 'shared' };
    },
  });
}
