import type { SeverityDurations } from '../config';
import type { Database } from '../db/client';
import type { IncidentLifecycleHooks } from '../incidents/lifecycle';
import { isOpen, isReopening, type Incident } from '../incidents/model';
import type { Severity } from '../incidents/severity';
import { countDueUpdate, lockCadence, setLastUpdateAt, setSchedule, type CadenceSchedule } from './cadenceRepository';

const MINUTE = 60_000;

/** How often updates are due by severity (UPDATE_CADENCE); null = no prompts for that severity. */
export class CadencePolicy {
  constructor(private readonly cadence: SeverityDurations) {}

  of(severity: Severity): number | null {
    return this.cadence[severity];
  }

  /** The schedule when the next update is due at `dueAt`: prompt then, escalate half a cadence later. */
  schedule(severity: Severity, dueAt: Date | null): CadenceSchedule {
    const cadence = this.of(severity);
    if (cadence === null || dueAt === null) return NO_SCHEDULE;
    return { nextDueAt: dueAt, remindAt: dueAt, escalateAt: new Date(dueAt.getTime() + cadence / 2) };
  }

  /** "No change — remind me in N minutes": a third of the cadence, between 1 and 30 minutes. */
  snoozeMinutes(severity: Severity): number {
    const cadence = this.of(severity) ?? 30 * MINUTE;
    return Math.min(30, Math.max(1, Math.round(cadence / 3 / MINUTE)));
  }
}

export const NO_SCHEDULE: CadenceSchedule = { nextDueAt: null, remindAt: null, escalateAt: null };

/** A due time that passed without an update counts as due and missed when it is replaced. */
async function closeMissedDue(tx: Database, incidentId: number, now: Date): Promise<void> {
  const state = await lockCadence(tx, incidentId);
  if (state.nextDueAt && state.nextDueAt.getTime() < now.getTime()) await countDueUpdate(tx, incidentId, false);
}

/** Starts the cadence over from `now`: the next update is due one cadence later. */
async function restartCadence(tx: Database, policy: CadencePolicy, incident: Incident, now: Date): Promise<void> {
  await closeMissedDue(tx, incident.id, now);
  const cadence = policy.of(incident.severity);
  await setSchedule(tx, incident.id, policy.schedule(incident.severity, cadence === null ? null : new Date(now.getTime() + cadence)));
}

/**
 * Counts an update against the due time it answers (on time or late) and records when it went out.
 * The next due time is set separately, once the update's own status change (if any) is applied.
 */
export async function countUpdateAgainstDue(tx: Database, incidentId: number, now: Date): Promise<{ dueAt: Date | null; onTime: boolean | null }> {
  const state = await lockCadence(tx, incidentId);
  await setLastUpdateAt(tx, incidentId, now);
  if (!state.nextDueAt) return { dueAt: null, onTime: null };
  const onTime = now.getTime() <= state.nextDueAt.getTime();
  await countDueUpdate(tx, incidentId, onTime);
  // The due time is answered: nothing is due until the next one is set.
  await setSchedule(tx, incidentId, NO_SCHEDULE);
  return { dueAt: state.nextDueAt, onTime };
}

export async function scheduleNextUpdate(tx: Database, policy: CadencePolicy, incident: Incident, dueAt: Date | null): Promise<void> {
  await lockCadence(tx, incident.id);
  await setSchedule(tx, incident.id, isOpen(incident) ? policy.schedule(incident.severity, dueAt) : NO_SCHEDULE);
}

/**
 * The cadence follows the incident: due one cadence after it is declared, restarted by a severity
 * change or a reopening, stopped when it is resolved.
 */
export function createCadenceHooks(policy: CadencePolicy): IncidentLifecycleHooks {
  return {
    async declared(tx, incident, now) {
      await restartCadence(tx, policy, incident, now);
    },
    async severityChanged(tx, incident, _previous, now) {
      if (isOpen(incident)) await restartCadence(tx, policy, incident, now);
    },
    async statusChanged(tx, incident, previous, now) {
      if (isReopening(previous, incident.status)) {
        await restartCadence(tx, policy, incident, now);
      } else if (!isOpen(incident) && previous !== 'resolved' && previous !== 'closed') {
        await closeMissedDue(tx, incident.id, now);
        await setSchedule(tx, incident.id, NO_SCHEDULE);
      }
    },
    async closed(tx, incident) {
      await lockCadence(tx, incident.id);
      await setSchedule(tx, incident.id, NO_SCHEDULE);
    },
  };
}
