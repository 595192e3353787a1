import type { IncidentLifecycleHooks } from '../incidents/lifecycle';
import { enqueueJobs } from '../outbox/repository';
import { groupsOfIncident } from './alertsRepository';

/** Redraws a triage message as it stands now, without counting as a change of its group. */
export const TRIAGE_REDRAW_JOB = 'alert_triage_redraw';

/**
 * What the alert domain does when an incident changes. A triage message names the incident its group
 * is attached to and warns while nobody leads it; when someone takes the commander role, each such
 * message is redrawn at once (through the outbox, in the role change's transaction) rather than at its
 * group's next notification. The group rows are not touched, so this never waits on a notification
 * that holds one.
 */
export function alertLifecycleHooks(channel: string | undefined): IncidentLifecycleHooks {
  return {
    async roleAssigned(tx, incident, role, userId, now) {
      if (!channel || role !== 'commander') return;
      const groups = await groupsOfIncident(tx, incident.id);
      await enqueueJobs(
        tx,
        groups.map((groupId) => ({
          teamId: incident.teamId,
          incidentId: null,
          kind: TRIAGE_REDRAW_JOB,
          dedupeKey: `alert_triage_redraw:${groupId}:commander:${userId}:${now.toISOString()}`,
          destination: channel,
          payload: { groupId },
          notBefore: now,
        })),
        now,
      );
    },
  };
}
