import type { Database } from '../db/client';
import { enqueueJobs } from '../outbox/repository';
import { findServicesByIds } from './servicesRepository';
import { UserFacingError } from '../errors';
import type { IncidentLifecycleHooks } from './lifecycle';
import { findByDeclareKey, insertIncident, linkServices, lockIncident, nextIncidentNumber } from './repository';
import type { Severity } from './severity';
import { addMessageToTimeline, type ShortcutMessage } from './messages';
import { addTimelineEvent } from './timelineRepository';

export const PROVISION_JOB = 'provision_incident';

export interface DeclareInput {
  teamId: string;
  /** Identifies the submission (the modal's view id): the same submission twice makes one incident. */
  declareKey: string;
  title: string;
  summary: string;
  severity: Severity;
  serviceIds: number[];
  commanderId: string;
  declaredBy: string;
  isPrivate: boolean;
  /** A drill: runs like an incident, marked 🧪, never announced or sent to stakeholders, left out of figures. */
  isDrill?: boolean;
  /** The message it is declared from (the *Declare incident* message shortcut): linked from its channel and timeline. */
  source?: ShortcutMessage | null;
  /** When customers were first affected, when before the declaration; absent = at the declaration. */
  impactStartedAt?: Date | null;
}

export interface Declared {
  incidentId: number;
  number: number;
  /** False when this submission had already made the incident. */
  created: boolean;
}

class AlreadyDeclared extends Error {}

/**
 * Records the incident and, in the same transaction, the job that sets up its Slack channel, so a
 * crash or a Slack failure after this point can delay the channel but never lose the incident.
 */
export async function declareIncident(db: Database, hooks: IncidentLifecycleHooks, input: DeclareInput, now: Date): Promise<Declared> {
  const existing = await findByDeclareKey(db, input.teamId, input.declareKey);
  if (existing) return { incidentId: existing.id, number: existing.number, created: false };
  try {
    return await db.transaction().execute(async (tx) => {
      const services = await findServicesByIds(tx, input.teamId, input.serviceIds);
      if (services.length !== new Set(input.serviceIds).size) throw new UserFacingError('One of the chosen services no longer exists.');
      const number = await nextIncidentNumber(tx, input.teamId);
      const row = await insertIncident(tx, { ...input, number, declaredAt: now });
      // A twin submission committed first: roll back so the number is not skipped.
      if (!row) throw new AlreadyDeclared();
      await linkServices(tx, row.id, input.serviceIds);
      await addTimelineEvent(tx, {
        incidentId: row.id,
        at: now,
        kind: 'declared',
        actorId: input.declaredBy,
        text: `${input.isDrill ? 'Drill declared' : 'Declared'} as ${input.severity}: ${input.title}`,
      });
      // The message's permalink is added by setup, which asks Slack for it.
      if (input.source) await addMessageToTimeline(tx, { id: row.id, channelId: null }, input.source, input.declaredBy, { source: true });
      await hooks.declared?.(tx, (await lockIncident(tx, row.id))!, now);
      await enqueueJobs(tx, [{ teamId: input.teamId, incidentId: row.id, kind: PROVISION_JOB, dedupeKey: `provision:${row.id}`, notBefore: now }], now);
      return { incidentId: row.id, number, created: true };
    });
  } catch (err) {
    if (!(err instanceof AlreadyDeclared)) throw err;
    const twin = await findByDeclareKey(db, input.teamId, input.declareKey);
    if (!twin) throw err;
    return { incidentId: twin.id, number: twin.number, created: false };
  }
}
