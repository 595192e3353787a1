/** What each section hands back: a markdown body for results.md and its goals with measured figures. */
export interface Goal {
  goal: string;
  measured: string;
  /** null when it could not be measured on this build (e.g. a feature not merged yet). */
  met: boolean | null;
  /** What bounds a missed goal, or how to read the figure. */
  note?: string;
}

export interface SectionResult {
  title: string;
  markdown: string;
  goals: Goal[];
}

export function table(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function goalsTable(goals: Goal[]): string {
  const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : '**missed**');
  return table(
    ['goal', 'measured', 'verdict', 'note'],
    goals.map((g) => [g.goal, g.measured, verdict(g.met), g.note ?? '']),
  );
}

/** Progress on stderr, so stdout stays the report. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
