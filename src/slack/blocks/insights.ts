import type { Distribution, IncidentRef, InsightsFigures, InsightsReport } from '../../insights/model';
import { ratio } from '../../insights/model';
import { formatElapsed } from '../../reviews/model';
import { changeFailureText } from './changeFailure';
import type { KnownBlock, MessageContent } from './kit';
import { escapeMrkdwn, LIMITS, mrkdwn, plain, truncate } from './text';

/** The most blocks serviceHealthBlocks returns, so a surface can reserve room for it. */
export const SERVICE_HEALTH_MAX_BLOCKS = 8;
const SERVICES_SHOWN = 10;
const OWNERS_SHOWN = 8;
const QUIET_SHOWN = 10;

const WINDOW_WORDS: Record<InsightsReport['window'], string> = { '7d': '7 days', '30d': '30 days', '90d': '90 days' };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const percent = (part: number, whole: number) => {
  const r = ratio(part, whole);
  return r === null ? '—' : `${Math.round(r * 100)}%`;
};
const duration = (ms: number | null) => (ms === null ? '—' : ms < 60_000 && ms > 0 ? '<1m' : ms === 0 ? '0m' : formatElapsed(ms));
const impact = (minutes: number) => duration(Math.round(minutes) * 60_000);

/** "▲ from 12m" / "▼ from 40%" / "= as before": this window against the one before it. */
export function trend(now: number | null, before: number | null, show: (v: number) => string): string {
  if (now === null || before === null) return before === null ? '_(none before)_' : `_(was ${show(before)})_`;
  if (Math.abs(now - before) < 1e-9) return '_= as before_';
  return `${now > before ? '▲' : '▼'} _from ${show(before)}_`;
}

const ratioTrend = (now: [number, number], before: [number, number]) =>
  trend(ratio(now[0], now[1]), ratio(before[0], before[1]), (r) => `${Math.round(r * 100)}%`);

/** Names a shared incident (private ones never reach a report). */
function incidentName(i: IncidentRef): string {
  const title = escapeMrkdwn(truncate(i.title, 80));
  return i.channelId ? `#${i.number} ${title} (<#${i.channelId}>)` : `#${i.number} ${title}`;
}

function timesLine(label: string, now: Distribution, before: Distribution): string {
  if (now.count === 0) return `*${label}:* — _(${before.count === 0 ? 'none before either' : `median was ${duration(before.medianMs)}`})_`;
  return `*${label}:* median ${duration(now.medianMs)} ${trend(now.medianMs, before.medianMs, duration)} · p90 ${duration(now.p90Ms)} _(${plural(now.count, 'incident')})_`;
}

function impactSection(now: InsightsFigures, before: InsightsFigures): string {
  if (now.impactByService.length === 0) return '*Customer impact by service*\nNo customer impact recorded in this window.';
  const previous = new Map(before.impactByService.map((s) => [s.serviceId, s.impactMinutes]));
  const lines = now.impactByService.slice(0, SERVICES_SHOWN).map((s, n) => {
    const t = trend(s.impactMinutes, previous.get(s.serviceId) ?? 0, impact);
    return `${n + 1}. *${escapeMrkdwn(truncate(s.name, 80))}* — ${impact(s.impactMinutes)} over ${plural(s.incidents, 'incident')} ${t}`;
  });
  const more = now.impactByService.length - SERVICES_SHOWN;
  if (more > 0) lines.push(`_…and ${plural(more, 'more service')}_`);
  return `*Customer impact by service*\n${lines.join('\n')}`;
}

function cadenceSection(now: InsightsFigures, before: InsightsFigures): string {
  const c = now.cadence;
  const head =
    c.due === 0
      ? '*Update cadence:* no updates were due.'
      : `*Update cadence:* ${c.onTime} of ${plural(c.due, 'update')} due went out on time (${percent(c.onTime, c.due)}) ${ratioTrend([c.onTime, c.due], [before.cadence.onTime, before.cadence.due])}`;
  const lines = [head];
  const late = c.byIncident.slice(0, QUIET_SHOWN);
  if (late.length > 0) lines.push(`Late or missed: ${late.map((i) => `#${i.number} ${i.onTime}/${i.due}`).join(', ')}`);
  if (c.wentQuiet.length > 0) {
    const shown = c.wentQuiet.slice(0, QUIET_SHOWN).map(incidentName);
    const more = c.wentQuiet.length - shown.length;
    lines.push(`Went quiet (an update went overdue): ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  return lines.join('\n');
}

function reviewsSection(now: InsightsFigures, before: InsightsFigures): string {
  const r = now.reviews;
  const completed = r.completed === 0 ? 'none completed' : `${r.completedOnTime} of ${r.completed} completed on time (${percent(r.completedOnTime, r.completed)}) ${ratioTrend([r.completedOnTime, r.completed], [before.reviews.completedOnTime, before.reviews.completed])}`;
  return `*Reviews:* ${r.owed} owed, ${r.overdue} overdue · ${completed}`;
}

function followUpsSection(now: InsightsFigures, before: InsightsFigures): string {
  const f = now.followUps;
  const done = f.done === 0 ? 'none done' : `${f.doneOnTime} of ${f.done} done on time (${percent(f.doneOnTime, f.done)}) ${ratioTrend([f.doneOnTime, f.done], [before.followUps.doneOnTime, before.followUps.done])}`;
  const lines = [`*Follow-ups:* ${f.open} open, ${f.overdue} overdue ${trend(f.overdue, before.followUps.overdue, String)} · ${done}`];
  const owners = f.byOwner.filter((o) => o.open > 0 || o.done > 0).slice(0, OWNERS_SHOWN);
  for (const o of owners) {
    const parts = [o.open > 0 ? `${o.open} open${o.overdue > 0 ? ` (${o.overdue} overdue)` : ''}` : '', o.done > 0 ? `${o.doneOnTime}/${o.done} done on time` : ''].filter(Boolean);
    lines.push(`• <@${o.ownerId}> — ${parts.join(' · ')}`);
  }
  const more = f.byOwner.length - owners.length;
  if (more > 0) lines.push(`_…and ${plural(more, 'more owner')}_`);
  return lines.join('\n');
}

function changeSection(now: InsightsFigures, before: InsightsFigures): string {
  const c = now.changeCaused;
  if (c.reviewed === 0) return '*Change-caused share:* no incident of this window has a submitted review yet.';
  return `*Change-caused share:* ${c.caused} of ${plural(c.reviewed, 'reviewed incident')} caused by a change (${percent(c.caused, c.reviewed)}) ${ratioTrend([c.caused, c.reviewed], [before.changeCaused.caused, before.changeCaused.reviewed])}`;
}

/**
 * The figures of a report as blocks, for any surface (the command's message, the Home tab's service
 * health): at most SERVICE_HEALTH_MAX_BLOCKS blocks, each within Slack's limits. Pure.
 */
export function serviceHealthBlocks(report: InsightsReport): KnownBlock[] {
  const { current: now, previous: before } = report;
  const left = now.privateLeftOut > 0 ? ` · ${plural(now.privateLeftOut, 'private incident')} left out` : '';
  const section = (text: string): KnownBlock => ({ type: 'section', text: mrkdwn(text, LIMITS.sectionText) });
  return [
    {
      type: 'context',
      elements: [mrkdwn(`Last ${WINDOW_WORDS[report.window]}, against the ${WINDOW_WORDS[report.window]} before · ${plural(now.incidents, 'incident')} declared ${trend(now.incidents, before.incidents, String)}${left}`)],
    },
    section(impactSection(now, before)),
    section([timesLine('Time to first update', now.timeToFirstUpdate, before.timeToFirstUpdate), timesLine('Time to mitigate', now.timeToMitigate, before.timeToMitigate), timesLine('Time to resolve', now.timeToResolve, before.timeToResolve)].join('\n')),
    section(cadenceSection(now, before)),
    section(reviewsSection(now, before)),
    section(followUpsSection(now, before)),
    section(`${changeSection(now, before)}\n${changeFailureText(now, before)}`),
    {
      type: 'context',
      elements: [mrkdwn('Impact runs from when customers were first affected to when they stopped (editable in the review). Change-caused share is of reviewed incidents; change failure rate (DORA’s) is of production deployments, counting those a submitted review picked as the cause.')],
    },
  ];
}

/** `/incident insights`: a title and the figures. */
export function insightsMessage(report: InsightsReport): MessageContent {
  const scope = report.service ? ` — ${truncate(report.service.name, 60)}` : '';
  const title = `Service health, last ${WINDOW_WORDS[report.window]}${scope}`;
  const now = report.current;
  const top = now.impactByService[0];
  const text = truncate(
    `${title}: ${plural(now.incidents, 'incident')}${top ? `, most customer impact on ${top.name} (${impact(top.impactMinutes)})` : ''}; ${now.cadence.onTime}/${now.cadence.due} updates on time; ${now.followUps.overdue} follow-ups overdue.`,
    LIMITS.updateText,
  );
  return { text, blocks: [{ type: 'header', text: plain(title, LIMITS.header) }, ...serviceHealthBlocks(report)] };
}
