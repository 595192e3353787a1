/** Text helpers that keep every builder inside Slack's limits. */

export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  header: 150,
  buttonText: 75,
  optionText: 75,
  optionValue: 150,
  staticOptions: 100,
  modalTitle: 24,
  privateMetadata: 3000,
  topic: 250,
  contextElements: 10,
  updateText: 4000,
} as const;

/** Cuts text to `max` characters, ending with "…" when it had to cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** Escapes the three characters Slack's mrkdwn gives meaning to, so user text shows as typed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * User text for mrkdwn, cut *before* it is escaped so a cut never lands inside `&amp;`: at most `max`
 * characters once escaped, ending with "…" when it had to cut.
 */
export function cutThenEscape(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let kept = '';
  for (const ch of text) {
    const e = escapeMrkdwn(ch);
    if (kept.length + e.length > max - 1) break;
    kept += e;
  }
  return `${kept.trimEnd()}…`;
}

/**
 * Cuts mrkdwn to `max` characters like truncate, but never inside an escape (`&amp;`) or a `<…>`
 * mention, link or date, which would show as garbage: the cut backs off to before it.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = text.slice(0, Math.max(0, max - 1));
  const openTag = kept.lastIndexOf('<');
  if (openTag > kept.lastIndexOf('>')) kept = kept.slice(0, openTag);
  const entity = /&[a-z]*$/.exec(kept);
  if (entity) kept = kept.slice(0, entity.index);
  return `${kept.trimEnd()}…`;
}

/**
 * Joins mrkdwn `items` with `separator`, as many *whole* items as fit in `maxChars` together with
 * ", and 12 more" — a long list is capped by item, never cut through one.
 */
export function cappedList(items: string[], maxChars: number, separator = ', '): string {
  const shown: string[] = [];
  let used = 0;
  for (const [i, item] of items.entries()) {
    const left = items.length - i - 1;
    const reserve = left > 0 ? `${separator}and ${left} more`.length : 0;
    const cost = (shown.length > 0 ? separator.length : 0) + item.length;
    if (used + cost + reserve > maxChars) break;
    shown.push(item);
    used += cost;
  }
  const more = items.length - shown.length;
  if (more === 0) return shown.join(separator);
  return shown.length > 0 ? `${shown.join(separator)}${separator}and ${more} more` : `${more} in all`;
}

export const plain = (text: string, max: number = LIMITS.sectionText) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });
export const mrkdwn = (text: string, max: number = LIMITS.sectionText) => ({ type: 'mrkdwn' as const, text: truncateMrkdwn(text, max) });

/** Slack's date formatting: each reader sees the time in their own time zone. */
export function slackDate(at: Date, format = '{date_short_pretty} at {time}'): string {
  const seconds = Math.floor(at.getTime() / 1000);
  return `<!date^${seconds}^${format}|${at.toISOString()}>`;
}

export const userMention = (id: string) => `<@${id}>`;
export const channelMention = (id: string) => `<#${id}>`;

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
