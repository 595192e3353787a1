/**
 * What the setup doctor found, one finding at a time: a problem (with the fix a Slack or database admin
 * can act on), something fine, or a note worth knowing. Renderers (plain text here, Block Kit in
 * src/slack/blocks/doctor.ts) only lay findings out; they never word them.
 */
export type FindingLevel = 'problem' | 'ok' | 'note';

/** The parts of an installation, in the order the report lists them. */
export const AREAS = ['Slack token', 'Scopes', 'Channels', 'App Home', 'Database', 'Configuration'] as const;
export type Area = (typeof AREAS)[number];

export interface Finding {
  area: Area;
  level: FindingLevel;
  /** What is so, in one sentence. */
  text: string;
  /** For a problem: what to do about it. */
  fix?: string;
}

export const problem = (area: Area, text: string, fix: string): Finding => ({ area, level: 'problem', text, fix });
export const fine = (area: Area, text: string): Finding => ({ area, level: 'ok', text });
export const note = (area: Area, text: string, fix?: string): Finding => ({ area, level: 'note', text, ...(fix ? { fix } : {}) });

export const problemsIn = (findings: readonly Finding[]): Finding[] => findings.filter((f) => f.level === 'problem');

const RANK: Record<FindingLevel, number> = { problem: 0, note: 1, ok: 2 };

/** Findings grouped by area, in AREAS order, problems first in each; areas with nothing to say are left out. */
export function byArea(findings: readonly Finding[]): Array<{ area: Area; findings: Finding[] }> {
  return AREAS.map((area) => ({ area, findings: findings.filter((f) => f.area === area).sort((a, b) => RANK[a.level] - RANK[b.level]) })).filter(
    (g) => g.findings.length > 0,
  );
}

export function summaryLine(findings: readonly Finding[]): string {
  const count = problemsIn(findings).length;
  return count === 0 ? 'All is well: Herald is set up as it needs to be.' : `${count} problem${count === 1 ? '' : 's'} found; each says how to fix it.`;
}

const MARK: Record<FindingLevel, string> = { problem: '✗', ok: '✓', note: '•' };

/** The report as `npm run doctor` prints it. */
export function reportAsText(findings: readonly Finding[]): string {
  const lines = ['Herald setup check', ''];
  for (const group of byArea(findings)) {
    lines.push(group.area);
    for (const f of group.findings) {
      lines.push(`  ${MARK[f.level]} ${f.text}`);
      if (f.fix) lines.push(`    → ${f.fix}`);
    }
    lines.push('');
  }
  lines.push(summaryLine(findings));
  return `${lines.join('\n')}\n`;
}
