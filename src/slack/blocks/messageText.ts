import type { ShortcutMessage } from '../../incidents/messages';
import { LIMITS, truncate } from './text';

/**
 * Slack's message formatting (mrkdwn with `<…>` links and mentions, `&amp;` escapes) turned into plain
 * text a person would type, e.g. to offer a message's first line as an incident's title. Pure.
 */

/** `<…>` entities: links, user/channel mentions, special mentions, dates. */
function entityText(inner: string): string {
  const [target, label] = splitOnce(inner, '|');
  if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : '';
  if (target.startsWith('#')) return label ? `#${label.replace(/^#/, '')}` : '';
  if (target.startsWith('!')) {
    // <!subteam^S1|@oncall>, <!date^…|fallback>; <!here>, <!channel>, <!everyone> say nothing about what broke.
    return label ?? '';
  }
  return label ?? target.replace(/^mailto:/, '');
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** The message's text as plain text: entities resolved, emphasis and code markers dropped, escapes undone. */
export function plainTextOf(text: string): string {
  return text
    .replace(/```/g, '')
    .replace(/<([^<>]*)>/g, (_, inner: string) => entityText(inner))
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/(^|[\s(])([*_~])(\S(?:[^\n]*?\S)?)\2(?=$|[\s).,!?:;])/gm, '$1$3')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Cuts at a word boundary when there is one in the last fifth, ending with "…". */
function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const space = room.lastIndexOf(' ');
  return `${(space > max * 0.8 ? room.slice(0, space) : room).trimEnd()}…`;
}

/** The first line with words in it, as plain text, cut to `max` characters: a title to offer. */
export function titleFromMessage(text: string, max: number): string {
  const line =
    plainTextOf(text)
      .split('\n')
      // Emoji codes (":rotating_light:") show as text in a title field: they go too.
      .map((l) => l.replace(/:(?=[a-z0-9_+'-]*[a-z])[a-z0-9_+'-]+:/g, ' ').replace(/^\s*(?:>|&gt;|[•◦▪\-*]\s)+\s*/, '').replace(/\s+/g, ' ').trim())
      .find((l) => /[\p{L}\p{N}]/u.test(l)) ?? '';
  return cutAtWord(line, max);
}

/** How much of a message's text a modal's private_metadata carries; its permalink has the rest. */
const METADATA_TEXT_MAX = 1500;

/**
 * `base` with the message under `key`, as JSON within Slack's 3,000 characters of private_metadata:
 * escaping (quotes, newlines, non-ASCII) can grow the text, so it is cut until the whole fits.
 */
export function metadataWithMessage(base: object, key: string, message: ShortcutMessage): string {
  for (let max = METADATA_TEXT_MAX; ; max = Math.floor(max / 2)) {
    const json = JSON.stringify({ ...base, [key]: { ...message, text: truncate(message.text, max) } });
    if (json.length <= LIMITS.privateMetadata || max === 0) return json;
  }
}
