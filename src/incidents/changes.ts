import { z } from 'zod';
import type { Database } from '../db/client';
import { enqueueJobs } from '../outbox/repository';
import { UserFacingError } from '../errors';
import type { IncidentLifecycleHooks } from './lifecycle';
import { isReopening, ROLES, STATUSES, type Incident, type IncidentStatus, type Role } from './model';
import { lockIncident, updateIncident, type IncidentChangeFields } from './repository';
import { SEVERITIES, severityRank, type Severity } from './severity';
import { addTimelineEvent } from './timelineRepository';

/** The outbox job that carries a change to Slack: card, topic, channel note, announcement thread. */
export const INCIDENT_CHANGED_JOB = 'incident_changed';

export type IncidentChange =
  | { change: 'status'; from: IncidentStatus; to: IncidentStatus }
  | { change: 'severity'; from: Severity; to: Severity }
  | { change: 'role'; role: Role; userId: string; previousUserId: string | null }
  | { change: 'closed' }
  /** A deployment reported after the declaration, deployed in the change window before it. */
  | { change: 'deployment'; deploymentId: number; service: string; version: string };

const changeCause = { actorId: z.string(), timelineEventId: z.number().int() };

/** The payload of an INCIDENT_CHANGED_JOB: the change, who made it and its timeline entry. */
export const incidentChangedPayload = z.discriminatedUnion('change', [
  z.object({ change: z.literal('status'), from: z.enum(STATUSES), to: z.enum(STATUSES), ...changeCause }),
  z.object({ change: z.literal('severity'), from: z.enum(SEVERITIES), to: z.enum(SEVERITIES), ...changeCause }),
  z.object({ change: z.literal('role'), role: z.enum(ROLES), userId: z.string(), previousUserId: z.string().nullable(), ...changeCause }),
  z.object({ change: z.literal('closed'), ...changeCause }),
  z.object({ change: z.literal('deployment'), deploymentId: z.number().int(), service: z.string(), version: z.string(), ...changeCause }),
]);
export type IncidentChangedPayload = z.infer<typeof incidentChangedPayload>;

export interface ChangeDeps {
  db: Database;
  hooks: IncidentLifecycleHooks;
}

export interface ChangeOutcome {
  incident: Incident;
  /** False when the incident already was as asked; nothing was recorded. */
  changed: boolean;
}

/** Severity raised, resolved and reopened are worth telling the whole organisation. */
export function isAnnounceable(change: IncidentChange): boolean {
  if (change.change === 'severity') return severityRank(change.to) < severityRank(change.from);
  if (change.change === 'status') return change.to === 'resolved' || isReopening(change.from, change.to);
  return change.change === 'closed';
}

export function describeChange(change: IncidentChange): string {
  switch (change.change) {
    case 'status':
      return isReopening(change.from, change.to) ? `Reopened: status is ${change.to}` : `Status changed from ${change.from} to ${change.to}`;
    case 'severity':
      return `Severity changed from ${change.from} to ${change.to}`;
    case 'role':
      return `${change.role === 'comms' ? 'Comms lead' : change.role === 'commander' ? 'Commander' : 'Scribe'} is now <@${change.userId}>`;
    case 'closed':
      return 'Incident closed';
    case 'deployment':
      return `Deployed shortly before the declaration (reported later): ${change.service} ${change.version}`;
  }
}

/**
 * Runs `work` in a new transaction, or in the caller's when `db` already is one: a use case that must
 * change the incident together with its own records (a status update that also changes the status)
 * passes `{ db: tx, hooks }` and everything commits or rolls back as one.
 */
function inTransaction<T>(db: Database, work: (tx: Database) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * Locks the incident, applies `decide`'s fields, records the timeline event and queues the Slack side of
 * the change, all in one transaction. `decide` returns null when there is nothing to change.
 */
async function applyChange(
  deps: ChangeDeps,
  incidentId: number,
  actorId: string,
  now: Date,
  decide: (incident: Incident) => { fields: IncidentChangeFields; change: IncidentChange } | null,
  after?: (tx: Database, before: Incident, updated: Incident, change: IncidentChange) => Promise<void>,
  /** Only reopening may touch a closed incident; every other change is refused. */
  options: { reopensClosed?: boolean } = {},
): Promise<ChangeOutcome> {
  return inTransaction(deps.db, async (tx) => {
    const incident = await lockIncident(tx, incidentId);
    if (!incident) throw new UserFacingError('That incident no longer exists.');
    if (incident.status === 'closed' && !options.reopensClosed) {
      throw new UserFacingError(`Incident #${incident.number} is closed; nothing more can change. Its commander can reopen it with \`/incident status investigating\`.`);
    }
    const decision = decide(incident);
    if (!decision) return { incident, changed: false };
    const fields: IncidentChangeFields = { ...decision.fields };
    // Acknowledged: the first status change or role assignment by someone other than the declarer.
    const acknowledges = decision.change.change === 'status' || decision.change.change === 'role';
    if (!incident.acknowledgedAt && actorId !== incident.declaredBy && acknowledges) fields.acknowledged_at = now;
    await updateIncident(tx, incidentId, fields);
    const updated = (await lockIncident(tx, incidentId))!;
    const timelineEventId = (await addTimelineEvent(tx, {
      incidentId,
      at: now,
      kind: decision.change.change,
      actorId,
      text: describeChange(decision.change),
      data: decision.change,
    }))!;
    const payload: IncidentChangedPayload = { ...decision.change, actorId, timelineEventId };
    await enqueueJobs(
      tx,
      [{ teamId: incident.teamId, incidentId, kind: INCIDENT_CHANGED_JOB, dedupeKey: `changed:${timelineEventId}`, payload, notBefore: now }],
      now,
    );
    await after?.(tx, incident, updated, decision.change);
    return { incident: updated, changed: true };
  });
}

/**
 * In the caller's transaction: a deployment just linked to the incident goes on its timeline and the
 * card is redrawn and the channel told, once, through the usual change job. `actorId` is empty: a
 * pipeline, not a person, reported it.
 */
export async function recordLinkedDeployment(tx: Database, incident: { id: number; teamId: string }, change: Extract<IncidentChange, { change: 'deployment' }>, now: Date): Promise<void> {
  const timelineEventId = await addTimelineEvent(tx, {
    incidentId: incident.id,
    at: now,
    kind: 'deployment',
    actorId: null,
    text: describeChange(change),
    data: change,
    dedupeKey: `deployment_linked:${incident.id}:${change.deploymentId}`,
  });
  if (timelineEventId === null) return; // Already told.
  const payload: IncidentChangedPayload = { ...change, actorId: '', timelineEventId };
  await enqueueJobs(tx, [{ teamId: incident.teamId, incidentId: incident.id, kind: INCIDENT_CHANGED_JOB, dedupeKey: `changed:${timelineEventId}`, payload, notBefore: now }], now);
}

export function changeStatus(deps: ChangeDeps, input: { incidentId: number; actorId: string; status: Exclude<IncidentStatus, 'closed'> }, now: Date) {
  return applyChange(
    deps,
    input.incidentId,
    input.actorId,
    now,
    (incident) => {
      const to = input.status;
      if (incident.status === 'closed') return reopenClosed(incident, input.actorId, to);
      if (incident.status === to) return null;
      if (incident.status === 'resolved' && to !== 'investigating') {
        throw new UserFacingError(`Incident #${incident.number} is resolved. Reopen it with \`/incident status investigating\`, or close it with \`/incident close\`.`);
      }
      const fields: IncidentChangeFields = { status: to };
      if (to === 'monitoring' && !incident.mitigatedAt) fields.mitigated_at = now;
      if (to === 'resolved') {
        fields.resolved_at = now;
        if (!incident.mitigatedAt) fields.mitigated_at = now;
      }
      if (incident.status === 'resolved') fields.resolved_at = null;
      return { fields, change: { change: 'status', from: incident.status, to } };
    },
    (tx, before, updated) => deps.hooks.statusChanged?.(tx, updated, before.status, now) ?? Promise.resolve(),
    { reopensClosed: true },
  );
}

/**
 * A closed incident comes back (its channel not yet archived, or nobody could type in it): only as
 * investigating, and only by its commander, who closed it. Reopening cancels the channel's archiving.
 */
function reopenClosed(incident: Incident, actorId: string, to: Exclude<IncidentStatus, 'closed'>): { fields: IncidentChangeFields; change: IncidentChange } {
  if (to !== 'investigating') {
    throw new UserFacingError(`Incident #${incident.number} is closed. Its commander can reopen it with \`/incident status investigating\`.`);
  }
  if (incident.commanderId !== actorId) {
    throw new UserFacingError(`Only the incident commander (<@${incident.commanderId}>) can reopen closed incident #${incident.number}.`);
  }
  return { fields: { status: to, resolved_at: null, closed_at: null }, change: { change: 'status', from: 'closed', to } };
}

export function changeSeverity(deps: ChangeDeps, input: { incidentId: number; actorId: string; severity: Severity }, now: Date) {
  return applyChange(
    deps,
    input.incidentId,
    input.actorId,
    now,
    (incident) => (incident.severity === input.severity ? null : { fields: { severity: input.severity }, change: { change: 'severity', from: incident.severity, to: input.severity } }),
    (tx, before, updated) => deps.hooks.severityChanged?.(tx, updated, before.severity, now) ?? Promise.resolve(),
  );
}

const ROLE_COLUMN = { commander: 'commander_id', comms: 'comms_id', scribe: 'scribe_id' } as const;

export function assignRole(deps: ChangeDeps, input: { incidentId: number; actorId: string; role: Role; userId: string }, now: Date) {
  return applyChange(
    deps,
    input.incidentId,
    input.actorId,
    now,
    (incident) => {
      const current = input.role === 'commander' ? incident.commanderId : input.role === 'comms' ? incident.commsId : incident.scribeId;
      if (current === input.userId) return null;
      return {
        fields: { [ROLE_COLUMN[input.role]]: input.userId },
        change: { change: 'role', role: input.role, userId: input.userId, previousUserId: current },
      };
    },
    (tx, _before, updated) => deps.hooks.roleAssigned?.(tx, updated, input.role, input.userId, now) ?? Promise.resolve(),
  );
}

export type CloseOutcome = ChangeOutcome | { needsConfirmation: string[]; incident: Incident };

/**
 * Only the commander closes, and only a resolved incident. When something is still owed (a review),
 * the first attempt returns what is missing; closing anyway needs `confirmed`.
 */
export async function closeIncident(deps: ChangeDeps, input: { incidentId: number; actorId: string; confirmed: boolean }, now: Date): Promise<CloseOutcome> {
  const blockers = await deps.db.transaction().execute(async (tx) => {
    const incident = await lockIncident(tx, input.incidentId);
    if (!incident) throw new UserFacingError('That incident no longer exists.');
    if (incident.status === 'closed') throw new UserFacingError(`Incident #${incident.number} is already closed.`);
    if (incident.commanderId !== input.actorId) throw new UserFacingError(`Only the incident commander (<@${incident.commanderId}>) can close incident #${incident.number}.`);
    if (incident.status !== 'resolved') throw new UserFacingError(`Incident #${incident.number} is ${incident.status}. Resolve it first with \`/incident resolve\`.`);
    return { incident, missing: input.confirmed ? [] : ((await deps.hooks.closeBlockers?.(tx, incident, now)) ?? []) };
  });
  if (blockers.missing.length > 0) return { needsConfirmation: blockers.missing, incident: blockers.incident };
  return applyChange(
    deps,
    input.incidentId,
    input.actorId,
    now,
    (incident) => {
      if (incident.status !== 'resolved') throw new UserFacingError(`Incident #${incident.number} is ${incident.status}. Resolve it first with \`/incident resolve\`.`);
      return { fields: { status: 'closed', closed_at: now }, change: { change: 'closed' } };
    },
    (tx, _before, updated) => deps.hooks.closed?.(tx, updated, now) ?? Promise.resolve(),
  );
}

/** Long enough for a paragraph; the timeline shows notes whole. */
export const NOTE_MAX = 2000;

/** A note on the timeline; no Slack side effect beyond the answer to the person. */
export async function addNote(deps: ChangeDeps, input: { incidentId: number; actorId: string; text: string }, now: Date): Promise<void> {
  const text = input.text.trim();
  if (!text) throw new UserFacingError('Write the note after the command: `/incident note <text>`.');
  if (text.length > NOTE_MAX) throw new UserFacingError(`Keep a note to ${NOTE_MAX} characters (this one has ${text.length}).`);
  await addTimelineEvent(deps.db, { incidentId: input.incidentId, at: now, kind: 'note', actorId: input.actorId, text });
}
