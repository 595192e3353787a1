import type { Database } from '../db/client';
import { UserFacingError } from '../errors';
import { getIncident } from '../incidents/repository';
import { enqueueHomeRefresh } from '../home/refresh';
import { addTimelineEvent } from '../incidents/timelineRepository';
import {
  findFollowUpByCreateKey,
  getFollowUp,
  insertFollowUp,
  listFollowUpsOfIncident,
  listOpenFollowUpsOwnedBy,
  markFollowUpDoneRow,
  type NewFollowUp,
} from './followUpRepository';
import { enqueueReviewJobs, REVIEW_JOBS, type FollowUpPayload } from './jobs';
import { canCompleteFollowUp, type FollowUp, type FollowUpWithIncident } from './model';

export const FOLLOW_UP_TITLE_MAX = 200;
/** Enough for any one person or incident; a list shows what fits. */
const LIST_LIMIT = 200;

/** Why a due date cannot be used, or null. `today` is the date where the person choosing it is. */
export function dueDateProblem(dueOn: string, today: string): string | null {
  return dueOn < today ? 'Choose a due date that is today or later.' : null;
}

/**
 * Records a follow-up, its timeline entry and the DM that tells its owner, in one transaction. The same
 * submission twice (a double click) makes one follow-up and one DM.
 */
export async function createFollowUp(db: Database, input: NewFollowUp, now: Date): Promise<{ followUp: FollowUp; created: boolean }> {
  return db.transaction().execute(async (tx) => {
    const incident = await getIncident(tx, input.incidentId);
    if (!incident) throw new UserFacingError('That incident no longer exists.');
    const followUp = await insertFollowUp(tx, input, now);
    if (!followUp) {
      return { followUp: (await findFollowUpByCreateKey(tx, input.createKey))!, created: false };
    }
    await addTimelineEvent(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'follow_up',
      actorId: input.createdBy,
      text: `Follow-up added: ${followUp.title} — owner <@${followUp.ownerId}>, due ${followUp.dueOn}, ${followUp.priority} priority`,
      data: { followUpId: followUp.id },
    });
    await enqueueReviewJobs(
      tx,
      [
        {
          kind: REVIEW_JOBS.followUpAssigned,
          teamId: incident.teamId,
          incidentId: incident.id,
          dedupeKey: `follow_up_assigned:${followUp.id}`,
          payload: { followUpId: followUp.id } satisfies FollowUpPayload,
        },
      ],
      now,
    );
    // The owner's Home tab lists it from now on.
    await enqueueHomeRefresh(tx, incident.teamId, [followUp.ownerId], now);
    return { followUp, created: true };
  });
}

/**
 * Marks a follow-up done, recording who and when. Only its owner or its incident's commander may; a
 * second click (or a second person) finds it done already and changes nothing. The owner's Home tab is
 * pushed again, unless the click came from that very tab (`ownerHomeRedrawn`), which redraws itself.
 */
export async function completeFollowUp(
  db: Database,
  input: { followUpId: number; userId: string; ownerHomeRedrawn?: boolean },
  now: Date,
): Promise<{ followUp: FollowUp; changed: boolean }> {
  return db.transaction().execute(async (tx) => {
    const followUp = await getFollowUp(tx, input.followUpId, { lock: true });
    if (!followUp) throw new UserFacingError('That follow-up no longer exists.');
    const incident = await getIncident(tx, followUp.incidentId);
    if (!incident) throw new UserFacingError('That follow-up’s incident no longer exists.');
    if (!canCompleteFollowUp(followUp, incident.commanderId, input.userId)) {
      throw new UserFacingError(`Only the owner (<@${followUp.ownerId}>) or the incident commander (<@${incident.commanderId}>) can mark “${followUp.title}” done.`);
    }
    if (followUp.status === 'done') return { followUp, changed: false };
    await markFollowUpDoneRow(tx, followUp.id, input.userId, now);
    await addTimelineEvent(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'follow_up_done',
      actorId: input.userId,
      text: `Follow-up done: ${followUp.title}`,
      data: { followUpId: followUp.id },
    });
    if (!(input.ownerHomeRedrawn && input.userId === followUp.ownerId)) await enqueueHomeRefresh(tx, followUp.teamId, [followUp.ownerId], now);
    return { followUp: { ...followUp, status: 'done', doneBy: input.userId, doneAt: now }, changed: true };
  });
}

export function listMyFollowUps(db: Database, teamId: string, userId: string): Promise<FollowUpWithIncident[]> {
  return listOpenFollowUpsOwnedBy(db, teamId, userId, LIST_LIMIT);
}

export function listIncidentFollowUps(db: Database, incidentId: number): Promise<FollowUpWithIncident[]> {
  return listFollowUpsOfIncident(db, incidentId, LIST_LIMIT);
}
