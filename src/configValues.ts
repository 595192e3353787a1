/**
 * What is wrong with one configuration value, in words a person acts on. Each function returns null
 * when the value is fine, else the text that follows "VARIABLE: " in the start-up message.
 */
import { validateDetailed } from 'node-cron';
import { parseDuration } from './duration';
import { SEVERITIES, type Severity } from './incidents/severity';

/** Per-severity durations; null means "off". */
export type SeverityDurations = Record<Severity, number | null>;

/** Why `text` is not a duration (null when it is one). Durations are whole amounts of s, m, h or d, at least 1. */
export function durationProblem(text: string): 'zero' | 'malformed' | null {
  if (parseDuration(text) !== null) return null;
  return /^0+[smhd]$/.test(text.trim()) ? 'zero' : 'malformed';
}

/** A single duration variable (RETENTION, CHANGE_WINDOW): "expected …" with examples. */
export function durationMessage(text: string, examples: string): string | null {
  const problem = durationProblem(text);
  if (problem === 'zero') return `expected a duration of at least 1s, like ${examples}; 0 is not allowed (got "${text}")`;
  if (problem === 'malformed') return `expected a duration — a whole number and a unit s, m, h or d — like ${examples} (got "${text}")`;
  return null;
}

/**
 * `SEV1=15m,SEV2=off`: the severities given override `defaults`, the others keep theirs, so
 * `UPDATE_CADENCE=SEV1=10m` changes SEV1 alone.
 */
export function parseSeverityDurations(text: string, defaults: SeverityDurations, example: string): { value: SeverityDurations } | { problem: string } {
  const result = { ...defaults };
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key = '', value, ...rest] = part.split('=').map((p) => p.trim());
    const severity = key.toUpperCase();
    if (!(SEVERITIES as readonly string[]).includes(severity) || value === undefined || rest.length > 0) {
      return { problem: `expected SEVn=<duration or off>, comma-separated, like ${example} (got "${part}")` };
    }
    if (value.toLowerCase() === 'off') {
      result[severity as Severity] = null;
      continue;
    }
    const problem = durationProblem(value);
    if (problem === 'zero') return { problem: `${severity} must be at least 1s (e.g. ${severity}=15m), or off for none (got "${part}")` };
    if (problem === 'malformed') {
      return { problem: `${severity} must be a duration — a whole number and a unit s, m, h or d, e.g. ${severity}=15m — or off (got "${part}")` };
    }
    result[severity as Severity] = parseDuration(value);
  }
  return { value: result };
}

const CRON_FIELDS = 'minute hour day-of-month month day-of-week';
/** Each field node-cron names, as a person reads it, with what it accepts. */
const CRON_FIELD_WORDS: Record<string, string> = {
  second: 'second field (0–59)',
  minute: 'minute field (0–59)',
  hour: 'hour field (0–23)',
  dayOfMonth: 'day-of-month field (1–31, a day the month has)',
  month: 'month field (1–12 or jan–dec)',
  dayOfWeek: 'day-of-week field (0–7 or sun–sat)',
};

/** Five fields (or six with seconds first) that node-cron accepts; else which part is wrong. */
export function cronMessage(expression: string): string | null {
  const { valid, errors } = validateDetailed(expression);
  if (valid) return null;
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5 && fields.length !== 6) {
    return `expected a cron expression of five fields (${CRON_FIELDS}), or six with seconds first; "${expression}" has ${fields.length}`;
  }
  const error = errors[0];
  const words = error && CRON_FIELD_WORDS[error.field];
  if (error && /impossible/.test(error.message)) return `day-of-month ${error.value} never comes in the month given (got "${expression}")`;
  if (!error || !words) return `expected a cron expression such as "0 9 * * 1" (got "${expression}")`;
  return `the ${words} does not accept "${error.value}" (got "${expression}")`;
}
