import { z } from 'zod';
import { enqueueJobs } from '../outbox/repository';
import type { Database } from '../db/client';
import { claimEvent } from '../db/processedEventsRepository';
import { ExternalCallError } from '../errors';
import type { IncidentUpdates } from './ports';
import { findIncidentByChannel } from './repository';
import { cutMessageText, pinKey, tsToDate } from './messages';
import { addTimelineEvent } from './timelineRepository';

/** The outbox job that reads a 📌'd message from Slack and adds it to the incident's timeline. */
export const PIN_JOB = 'pin_message';

export interface PinRequest {
  /** Slack's event_id: the same event delivered again is handled once. */
  eventId: string;
  channelId: string;
  /** The pinned message's ts. */
  ts: string;
  pinnedBy: string;
}

export const pinJobPayload = z.object({ channelId: z.string(), ts: z.string(), pinnedBy: z.string() });
export type PinJobPayload = z.infer<typeof pinJobPayload>;

/**
 * Queues adding a 📌'd message to its incident's timeline. Channels that are no incident's are ignored
 * with one indexed read; an event seen before, or a message already queued, does nothing.
 */
export async function requestPin(db: Database, request: PinRequest, now: Date): Promise<'queued' | 'not_an_incident' | 'seen'> {
  const incident = await findIncidentByChannel(db, request.channelId);
  if (!incident) return 'not_an_incident';
  return db.transaction().execute(async (tx) => {
    if (!(await claimEvent(tx, request.eventId, now))) return 'seen';
    const payload: PinJobPayload = { channelId: request.channelId, ts: request.ts, pinnedBy: request.pinnedBy };
    await enqueueJobs(
      tx,
      [{ teamId: incident.teamId, incidentId: incident.id, kind: PIN_JOB, dedupeKey: pinKey(request.channelId, request.ts), payload: { ...payload }, notBefore: now }],
      now,
    );
    return 'queued';
  });
}

/** Reads the message and records it on the timeline, at the time it was written, once. */
export async function addPinnedMessage(deps: { db: Database; updates: IncidentUpdates }, incidentId: number, payload: PinJobPayload): Promise<Record<string, unknown>> {
  let message;
  try {
    message = await deps.updates.readMessage(payload.channelId, payload.ts);
  } catch (err) {
    // The channel is gone or Herald was removed from it: there is nothing to read, now or later.
    if (err instanceof ExternalCallError && !err.retryable) return { skipped: err.code };
    throw err;
  }
  if (!message) return { skipped: 'message_not_found' };
  const id = await addTimelineEvent(deps.db, {
    incidentId,
    at: tsToDate(message.ts),
    kind: 'pinned',
    actorId: payload.pinnedBy,
    text: cutMessageText(message.text),
    data: { authorId: message.authorId, permalink: message.permalink, channelId: payload.channelId, ts: message.ts },
    dedupeKey: pinKey(payload.channelId, payload.ts),
  });
  return { timelineEventId: id };
}
