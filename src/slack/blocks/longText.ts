import { escapeMrkdwn } from './text';

/** A user or channel mention Slack renders: `<@U123>`, `<@U123|name>`, `<#C123>`, `<#C123|name>`. */
const MENTION = /(<[@#][UWCG][A-Z0-9]+(?:\|[^<>]*)?>)/;

/** Escapes text for mrkdwn like escapeMrkdwn, but keeps people and channels mentioned as mentions. */
export function mrkdwnKeepingMentions(text: string): string {
  return text
    .split(MENTION)
    .map((part, i) => (i % 2 === 1 ? part : escapeMrkdwn(part)))
    .join('');
}

/**
 * Splits text into pieces of at most `max` characters without losing any of it: at a paragraph break
 * if there is one in reach, else a line break, a sentence end or a space, and only as a last resort
 * inside a word. Whitespace at the seams is dropped.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const floor = Math.floor(max / 2);
    const at = (seam: string) => {
      const i = window.lastIndexOf(seam);
      return i >= floor ? i : -1;
    };
    let cut = at('\n\n');
    if (cut < 0) cut = at('\n');
    if (cut < 0 && at('. ') >= 0) cut = at('. ') + 1;
    if (cut < 0 && /\s/.test(rest[max])) cut = max;
    if (cut < 0) cut = at(' ');
    if (cut <= 0) cut = max;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}
