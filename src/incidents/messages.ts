import type { Database } from '../db/client';
import type { Incident, MessageRef } from './model';
import { UserFacingError } from '../errors';
import { getIncident } from './repository';
import { addTimelineEvent, setTimelineLink } from './timelineRepository';

/** A Slack message as a message shortcut hands it over: where it is, who wrote it, what it says. */
export interface ShortcutMessage extends MessageRef {
  /** A user ID, or null for an app or integration without one. */
  authorId: string | null;
  text: string;
  /** Known when Slack gave it; otherwise found later (chat.getPermalink). */
  permalink?: string | null;
}

/** Long messages are kept to this much on the timeline; the permalink has the rest. */
export const MESSAGE_TEXT_MAX = 3000;

/** The timeline entry of a message added through a message shortcut. */
export const MESSAGE_EVENT = 'message';

/** A Slack ts ("1700000000.000100") as the moment it stands for. */
export function tsToDate(ts: string): Date {
  return new Date(Math.round(Number(ts) * 1000));
}

export const pinKey = (channelId: string, ts: string) => `pin:${channelId}:${ts}`;

/**
 * The dedupe key of a message on an incident's timeline. In the incident's own channel it is the 📌
 * key, so pinning and the shortcut add it once between them; elsewhere it is per incident, so one
 * message may go on two incidents' timelines but on each once.
 */
export function messageKey(incident: Pick<Incident, 'id' | 'channelId'>, message: MessageRef): string {
  return message.channelId === incident.channelId ? pinKey(message.channelId, message.ts) : `message:${incident.id}:${message.channelId}:${message.ts}`;
}

export const cutMessageText = (text: string): string => {
  const trimmed = text.trim() || '_(a message without text)_';
  return trimmed.length > MESSAGE_TEXT_MAX ? `${trimmed.slice(0, MESSAGE_TEXT_MAX - 1)}…` : trimmed;
};

/**
 * Puts a message on the incident's timeline at the time it was written, once; `source` marks the
 * message the incident was declared from. The id, or null when it was already there.
 */
export async function addMessageToTimeline(
  db: Database,
  incident: Pick<Incident, 'id' | 'channelId'>,
  message: ShortcutMessage,
  addedBy: string,
  options: { source?: boolean } = {},
): Promise<number | null> {
  return addTimelineEvent(db, {
    incidentId: incident.id,
    at: tsToDate(message.ts),
    kind: MESSAGE_EVENT,
    actorId: addedBy,
    text: cutMessageText(message.text),
    data: {
      authorId: message.authorId,
      permalink: message.permalink ?? null,
      channelId: message.channelId,
      ts: message.ts,
      ...(options.source ? { source: true } : {}),
    },
    dedupeKey: messageKey(incident, message),
  });
}

export interface AddMessageInput {
  incidentId: number;
  message: ShortcutMessage;
  addedBy: string;
}

/**
 * The *Add to timeline* message shortcut: the message goes on the incident's timeline, at the time it
 * was written, once. A closed incident's timeline is final.
 */
export async function addMessageToIncident(db: Database, input: AddMessageInput): Promise<{ incident: Incident; added: boolean }> {
  const incident = await getIncident(db, input.incidentId);
  if (!incident) throw new UserFacingError('That incident no longer exists.');
  if (incident.status === 'closed') throw new UserFacingError(`Incident #${incident.number} is closed: its timeline takes no more entries.`);
  const id = await addMessageToTimeline(db, incident, input.message, input.addedBy);
  return { incident, added: id !== null };
}

/** Records the message's permalink on the timeline entry made for it, once Slack has given it. */
export function setMessageLink(db: Database, incident: Pick<Incident, 'id' | 'channelId'>, message: MessageRef, permalink: string): Promise<void> {
  return setTimelineLink(db, incident.id, messageKey(incident, message), permalink);
}
