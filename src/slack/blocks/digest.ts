import { formatDuration } from '../../duration';
import type { Digest } from '../../insights/digest/model';
import { SEVERITIES } from '../../incidents/severity';
import type { KnownBlock, MessageContent } from './kit';
import { escapeMrkdwn, LIMITS, mrkdwn, plain, truncate, userMention } from './text';

const day = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone }).format(at);
const dayAndYear = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(at);
/** A follow-up's due day (YYYY-MM-DD) as "18 Nov". */
const dueDay = (date: string) => day(new Date(`${date}T12:00:00Z`), 'UTC');

/** "2 Mar – 9 Mar 2026": the seven days covered, from one firing of the digest's cron to the next. */
export function weekLabel(d: Pick<Digest, 'week' | 'timeZone'>): string {
  return `${day(d.week.start, d.timeZone)} – ${dayAndYear(d.week.end, d.timeZone)}`;
}

/** "▲ 2 from 1", "▼ 40 from 225", "same as the week before". */
function against(now: number, before: number): string {
  if (now === before) return 'same as the week before';
  return `${now > before ? '▲' : '▼'} ${Math.abs(now - before)} from ${before}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const mark = (met: boolean) => (met ? ':white_check_mark:' : ':warning:');

function perSeverity(durations: Digest['standards']['updateCadence'], prefix: string): string {
  const parts = SEVERITIES.filter((s) => durations[s] !== null).map((s) => `${s} ${prefix}${formatDuration(durations[s]!)}`);
  return parts.length > 0 ? parts.join(', ') : 'none set';
}

const label = (number: number, title: string) => `#${number} ${escapeMrkdwn(truncate(title, 80))}`;

function weekSection(d: Digest): string {
  const lines = [
    '*This week against the one before*',
    `• Incidents: *${d.incidents.now}* (${against(d.incidents.now, d.incidents.before)})`,
    `• Customer impact: *${d.impactMinutes.now} min* (${against(d.impactMinutes.now, d.impactMinutes.before)})`,
  ];
  if (d.changeCaused.reviewed > 0) lines.push(`• Caused by a change: ${d.changeCaused.caused} of ${plural(d.changeCaused.reviewed, 'reviewed incident')}`);
  return lines.join('\n');
}

function servicesSection(d: Digest): string {
  if (d.topServices.length === 0) return '*Services with most customer impact*\nNo customer impact this week.';
  const lines = d.topServices.map(
    (s, k) => `${k + 1}. ${escapeMrkdwn(truncate(s.name, 80))} — *${s.minutes} min* in ${plural(s.incidents, 'incident')} (${against(s.minutes, s.previousMinutes)})`,
  );
  return ['*Services with most customer impact*', ...lines].join('\n');
}

function standardsSection(d: Digest): string {
  const { cadence, reviews, followUps } = d;
  const cadenceLine =
    cadence.due === 0
      ? `${mark(true)} *Updates on cadence* (${perSeverity(d.standards.updateCadence, 'every ')}): no update was due`
      : `${mark(cadence.met)} *Updates on cadence* (${perSeverity(d.standards.updateCadence, 'every ')}): ${cadence.onTime} of ${plural(cadence.due, 'update')} on time`;
  const quiet = cadence.wentQuiet.length > 0 ? `\n      Went quiet: ${cadence.wentQuiet.slice(0, 5).map((i) => label(i.number, i.title)).join(', ')}${cadence.wentQuiet.length > 5 ? ` and ${cadence.wentQuiet.length - 5} more` : ''}` : '';
  const completed = reviews.completed === 0 ? 'none completed this week' : `${reviews.completedOnTime} of ${plural(reviews.completed, 'review')} completed on time`;
  const reviewLine = `${mark(reviews.met)} *Reviews by their due date* (${perSeverity(d.standards.reviewDue, '')} after resolution): ${completed}, ${reviews.overdue === 0 ? 'none' : reviews.overdue} overdue`;
  const done = followUps.done === 0 ? 'none done this week' : `${followUps.doneOnTime} of ${plural(followUps.done, 'follow-up')} done on time`;
  const followUpLine = `${mark(followUps.met)} *Follow-ups by their due date*: ${done}, ${followUps.overdue === 0 ? 'none' : followUps.overdue} overdue`;
  return ['*Standards this week*', cadenceLine + quiet, reviewLine, followUpLine].join('\n');
}

function overdueSection(d: Digest): string | null {
  const { items, total } = d.overdue;
  if (total === 0) return null;
  const lines = items.map((item) =>
    item.kind === 'review'
      ? `• Review of ${label(item.incidentNumber, item.incidentTitle)} — ${userMention(item.ownerId)}, due ${day(new Date(item.due), d.timeZone)}`
      : `• Follow-up _${escapeMrkdwn(truncate(item.title ?? '', 100))}_ (#${item.incidentNumber}) — ${userMention(item.ownerId)}, due ${dueDay(item.due)}`,
  );
  if (total > items.length) lines.push(`…and ${total - items.length} more (\`/incident followups\` lists each person's own)`);
  return ['*Overdue, and who holds each*', ...lines].join('\n');
}

function leftOutNote(d: Digest): string | null {
  const { incidents, overdue } = d.privateLeftOut;
  if (incidents === 0 && overdue === 0) return null;
  const parts = [incidents > 0 ? `${plural(incidents, 'private incident')} declared this week` : null, overdue > 0 ? `${plural(overdue, 'overdue item')} of private incidents` : null];
  return `:lock: Left out of this digest: ${parts.filter(Boolean).join(' and ')}.`;
}

/** The line a digest carries when its chart could not be attached. */
export function chartProblemLine(problem: string): string {
  return `:warning: The chart of customer impact per service could not be attached (${escapeMrkdwn(truncate(problem, 200))}). The figures above are complete.`;
}

/**
 * The weekly risk digest: the week against the one before, the services that hurt customers most,
 * each standard and whether it was met, and what is overdue with the person who holds it. Owners are
 * named so the work is not lost, never blamed. A quiet week is one line.
 */
export function digestMessage(d: Digest, chartProblem?: string): MessageContent {
  const week = weekLabel(d);
  if (d.quiet) {
    const text = `Weekly risk digest, ${week}: a quiet week — no incidents, no customer impact, nothing overdue.`;
    return { text, blocks: [{ type: 'section', text: mrkdwn(`:sunny: ${text}`) }] };
  }
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(`Weekly risk digest · ${week}`, LIMITS.header) },
    { type: 'section', text: mrkdwn(weekSection(d)) },
    { type: 'section', text: mrkdwn(servicesSection(d)) },
    { type: 'section', text: mrkdwn(standardsSection(d)) },
  ];
  const overdue = overdueSection(d);
  if (overdue) blocks.push({ type: 'section', text: mrkdwn(overdue) });
  const notes = [
    leftOutNote(d),
    overdue ? 'Owners are named so nothing is lost: the standard is known, and a blameless nudge is all this is.' : null,
    chartProblem ? chartProblemLine(chartProblem) : null,
  ].filter((n): n is string => n !== null);
  if (notes.length > 0) blocks.push({ type: 'context', elements: notes.map((n) => mrkdwn(n)) });
  const text = `Weekly risk digest, ${week}: ${plural(d.incidents.now, 'incident')}, ${d.impactMinutes.now} min of customer impact, ${d.overdue.total} overdue${chartProblem ? ' (chart not attached)' : ''}`;
  return { text, blocks };
}
