import type { Database } from '../db/client';
import { UserFacingError } from '../errors';
import { NOTE_MAX } from './changes';
import { MESSAGE_EVENT, MESSAGE_TEXT_MAX } from './messages';
import type { Incident } from './model';
import { lockIncident } from './repository';
import { addTimelineEvent, lockTimelineEvent, rewriteTimelineEvent, type TimelineEvent } from './timelineRepository';

/**
 * A timeline people can correct: what people put on it (notes, 📌'd or shortcut-added messages) may be corrected in time
 * and text by the commander and the scribe, and every correction is itself on the timeline (who, when,
 * what it was). What Herald recorded itself (status, severity, roles, updates…) is the record: never edited.
 */
export const EDITABLE_KINDS: readonly string[] = ['note', 'pinned', MESSAGE_EVENT];

/** The kind of the entry that records a correction; it is Herald's own, so it cannot be corrected itself. */
export const CORRECTION_KIND = 'corrected';

export const isEditable = (event: Pick<TimelineEvent, 'kind'>) => EDITABLE_KINDS.includes(event.kind);

/** How long an entry's text may be: as long as a note, or as a pinned message is kept. */
export const correctionTextMax = (event: Pick<TimelineEvent, 'kind'>) => (event.kind === 'note' ? NOTE_MAX : MESSAGE_TEXT_MAX);

/** Who may correct an incident's timeline: its commander and its scribe. */
export const mayCorrect = (incident: Pick<Incident, 'commanderId' | 'scribeId'>, userId: string) => userId === incident.commanderId || userId === incident.scribeId;

export interface CorrectionForm {
  incident: Incident;
  event: TimelineEvent;
}

/** The entry and its incident, when `actorId` may correct it; a plain refusal otherwise. */
async function correctable(db: Database, eventId: number, actorId: string): Promise<CorrectionForm> {
  const event = await lockTimelineEvent(db, eventId);
  if (!event) throw new UserFacingError('That timeline entry no longer exists.');
  const incident = await lockIncident(db, event.incidentId);
  if (!incident) throw new UserFacingError('That incident no longer exists.');
  if (!isEditable(event)) throw new UserFacingError('Only notes and pinned messages can be corrected; what Herald recorded itself stays as it happened.');
  if (!mayCorrect(incident, actorId)) {
    const who = incident.scribeId ? `the commander (<@${incident.commanderId}>) or the scribe (<@${incident.scribeId}>)` : `the commander (<@${incident.commanderId}>) or a scribe`;
    throw new UserFacingError(`Only ${who} can correct the timeline of incident #${incident.number}.`);
  }
  return { incident, event };
}

/** What the correction form starts from. */
export function loadCorrectionForm(db: Database, input: { eventId: number; actorId: string }): Promise<CorrectionForm> {
  return correctable(db, input.eventId, input.actorId);
}

/** Refusals that belong under one field of the form. */
export class CorrectionFieldError extends UserFacingError {
  constructor(
    readonly field: 'at' | 'text',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Corrects a note or pinned message's time and text, and records the correction on the timeline with
 * what the entry was. Nothing changed is not recorded.
 */
export async function correctTimelineEntry(
  db: Database,
  input: { eventId: number; actorId: string; at: Date; text: string },
  now: Date,
): Promise<{ corrected: boolean; incident: Incident }> {
  const text = input.text.trim();
  if (!text) throw new CorrectionFieldError('text', 'Write what the entry should say.');
  if (input.at.getTime() > now.getTime()) throw new CorrectionFieldError('at', 'A timeline entry cannot be in the future.');
  return db.transaction().execute(async (tx) => {
    const { incident, event } = await correctable(tx, input.eventId, input.actorId);
    const max = correctionTextMax(event);
    if (text.length > max) throw new CorrectionFieldError('text', `Keep it to ${max} characters (this has ${text.length}).`);
    if (input.at.getTime() < incident.declaredAt.getTime() - 7 * 24 * 60 * 60_000) {
      throw new CorrectionFieldError('at', 'That is more than a week before the incident was declared.');
    }
    if (event.text === text && event.at.getTime() === input.at.getTime()) return { corrected: false, incident };
    await rewriteTimelineEvent(tx, event.id, { at: input.at, text });
    await addTimelineEvent(tx, {
      incidentId: incident.id,
      at: now,
      kind: CORRECTION_KIND,
      actorId: input.actorId,
      text: event.text,
      data: { eventId: event.id, kind: event.kind, before: { at: event.at.toISOString(), text: event.text }, after: { at: input.at.toISOString(), text } },
    });
    return { corrected: true, incident };
  });
}
