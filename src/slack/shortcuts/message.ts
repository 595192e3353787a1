import type { MessageShortcut } from '@slack/bolt';
import type { ShortcutMessage } from '../../incidents/messages';
import type { SlackDeps } from '../deps';
import { slackCall } from '../slackErrors';

/** The message a shortcut was used on, as Slack sent it. */
export function shortcutMessage(shortcut: MessageShortcut): ShortcutMessage {
  return { channelId: shortcut.channel.id, ts: shortcut.message.ts, authorId: shortcut.message.user ?? null, text: shortcut.message.text ?? '' };
}

/**
 * The message's permalink (chat.getPermalink), or null when Slack will not give it, e.g. a private
 * conversation Herald is not in: the message still goes on the timeline, without its link.
 */
export async function permalinkOf(deps: Pick<SlackDeps, 'client' | 'log'>, message: ShortcutMessage): Promise<string | null> {
  try {
    const result = await slackCall(() => deps.client.chat.getPermalink({ channel: message.channelId, message_ts: message.ts }));
    return result.permalink ?? null;
  } catch (err) {
    deps.log.warn({ err, channelId: message.channelId }, 'Could not get a message permalink; the timeline entry has no link');
    return null;
  }
}

export const teamOfShortcut = (shortcut: MessageShortcut): string => shortcut.team?.id ?? shortcut.user.team_id ?? '';
