import type { InsightsFigures } from '../../insights/model';
import { ratio } from '../../insights/model';
import { escapeMrkdwn, truncate } from './text';

/** Services listed under the change failure rate; the rest are counted. */
const SERVICES_SHOWN = 5;

const pct = (part: number, whole: number) => {
  const r = ratio(part, whole);
  return r === null ? '—' : `${Math.round(r * 100)}%`;
};

/** "▲ from 10%" against the window before; nothing to compare with says so. */
function rateTrend(now: InsightsFigures['changeFailure'], before: InsightsFigures['changeFailure']): string {
  const a = now && ratio(now.failed, now.deployments);
  const b = before && ratio(before.failed, before.deployments);
  if (a === null || a === undefined) return '';
  if (b === null || b === undefined) return '_(no deployments before)_';
  if (Math.abs(a - b) < 1e-9) return '_= as before_';
  return `${a > b ? '▲' : '▼'} _from ${Math.round(b * 100)}%_`;
}

/**
 * DORA's change failure rate, overall and per service, for the insights message: at most
 * SERVICES_SHOWN + 2 short lines. Pure.
 */
export function changeFailureText(now: InsightsFigures, before: InsightsFigures): string {
  const c = now.changeFailure;
  if (!c || c.deployments === 0) return '*Change failure rate:* no production deployments reported in this window (CI pipelines report them to `POST /deployments`).';
  const head = `*Change failure rate:* ${c.failed} of ${c.deployments} production deployment${c.deployments === 1 ? '' : 's'} led to an incident (${pct(c.failed, c.deployments)}) ${rateTrend(c, before.changeFailure)}`.trimEnd();
  const lines = c.byService.slice(0, SERVICES_SHOWN).map((s) => `• *${escapeMrkdwn(truncate(s.name, 80))}* — ${s.failed} of ${s.deployments} (${pct(s.failed, s.deployments)})`);
  const more = c.byService.length - SERVICES_SHOWN;
  if (more > 0) lines.push(`_…and ${more} more service${more === 1 ? '' : 's'}_`);
  return [head, ...lines].join('\n');
}
