import { z } from 'zod';
import type { Database } from '../db/client';
import { UserFacingError } from '../errors';
import { changeStatus } from '../incidents/changes';
import type { IncidentLifecycleHooks } from '../incidents/lifecycle';
import type { Incident, IncidentStatus } from '../incidents/model';
import { getIncident, lockIncident } from '../incidents/repository';
import { addTimelineEvent } from '../incidents/timelineRepository';
import { countUpdateAgainstDue, scheduleNextUpdate, type CadencePolicy } from './cadence';
import { DESTINATION_KINDS, incidentKeptToMembers, planDestinations, type Destination } from './destinations';
import { enqueueJobs } from '../outbox/repository';
import { reserveSendTimes } from '../outbox/pace';
import type { ChannelMembers } from './ports';
import { incidentAudience } from './stakeholdersRepository';
import {
  completeStatusUpdate,
  deliveryOutcomes,
  findStatusUpdateBySubmitKey,
  insertStatusUpdate,
} from './statusUpdateRepository';
import { listSubscribers } from './subscribersRepository';

/** One outbox row per destination of an update. */
export const UPDATE_DELIVERY_JOB = 'update_delivery';

export const deliveryPayload = z.object({
  kind: z.enum(DESTINATION_KINDS),
  channel: z.string(),
  threadTs: z.string().optional(),
  reason: z.string(),
  updateId: z.number().int(),
});
export type DeliveryPayload = z.infer<typeof deliveryPayload>;

export interface StatusUpdateDeps {
  db: Database;
  hooks: IncidentLifecycleHooks;
  policy: CadencePolicy;
  channelMembers: ChannelMembers;
}

export interface StatusUpdateInput {
  incidentId: number;
  authorId: string;
  /** Identifies the submission (the modal's view id): the same submission twice is one update. */
  submitKey: string;
  status: Exclude<IncidentStatus, 'closed'>;
  customerImpact: string;
  actions: string;
  /** When the next update comes; null for none (a resolved incident, or a severity without cadence). */
  nextUpdateMs: number | null;
}

export interface PostedUpdate {
  updateId: number;
  incident: Incident;
  destinations: Array<Pick<Destination, 'kind'>>;
  /** False when this submission had already been posted. */
  created: boolean;
}

class AlreadyPosted extends Error {}

const ROLE_HOLDERS = (i: Incident) => [i.commanderId, i.commsId, i.scribeId, i.declaredBy];

/** Members of the incident's channel, or a plain refusal when Slack cannot say. */
async function membersOf(deps: StatusUpdateDeps, incident: Incident, why: string): Promise<Set<string>> {
  try {
    return new Set(await deps.channelMembers(incident.channelId!));
  } catch {
    throw new UserFacingError(`Herald could not check who is in the incident channel (${why}), so nothing was sent. Try again in a minute.`);
  }
}

/**
 * Records a status update and, in the same transaction, its status change (if any), the next due time
 * and one outbox row per destination, each with a send time that keeps to Slack's per-channel pace.
 * The roles and the members of the incident channel may post.
 */
export async function postStatusUpdate(deps: StatusUpdateDeps, input: StatusUpdateInput, now: Date): Promise<PostedUpdate> {
  const existing = await findStatusUpdateBySubmitKey(deps.db, input.submitKey);
  if (existing) return previouslyPosted(deps.db, existing.id, existing.incidentId);

  const current = await getIncident(deps.db, input.incidentId);
  if (!current) throw new UserFacingError('That incident no longer exists.');
  let members: Set<string> | undefined;
  if (current.channelId && (incidentKeptToMembers(current) || !ROLE_HOLDERS(current).includes(input.authorId))) {
    members = await membersOf(deps, current, current.isPrivate ? 'it is private' : current.isDrill ? 'it is a drill' : 'to see that you may post');
  }
  if (!ROLE_HOLDERS(current).includes(input.authorId) && !members?.has(input.authorId)) {
    throw new UserFacingError(`Only the incident's roles and the people in its channel can post updates for incident #${current.number}.`);
  }

  try {
    return await deps.db.transaction().execute(async (tx) => {
      let incident = await lockIncident(tx, input.incidentId);
      if (!incident) throw new UserFacingError('That incident no longer exists.');
      if (incident.status === 'closed') throw new UserFacingError(`Incident #${incident.number} is closed; it takes no more updates.`);
      // A severity with a cadence always has a next update due: its cadence unless the author chose.
      const nextMs = input.nextUpdateMs ?? deps.policy.of(incident.severity);
      const nextUpdateAt = nextMs === null || input.status === 'resolved' ? null : new Date(now.getTime() + nextMs);
      const updateId = await insertStatusUpdate(tx, {
        incidentId: incident.id,
        submitKey: input.submitKey,
        authorId: input.authorId,
        severity: incident.severity,
        status: input.status,
        customerImpact: input.customerImpact,
        actions: input.actions,
        nextUpdateAt,
        postedAt: now,
      });
      if (updateId === null) throw new AlreadyPosted();
      // Counted against the due time before a status change can stop or restart the cadence.
      const adherence = await countUpdateAgainstDue(tx, incident.id, now);
      if (input.status !== incident.status) {
        incident = (await changeStatus({ db: tx, hooks: deps.hooks }, { incidentId: incident.id, actorId: input.authorId, status: input.status }, now)).incident;
      }
      await scheduleNextUpdate(tx, deps.policy, incident, nextUpdateAt);

      const destinations = planDestinations({
        incident,
        audience: await incidentAudience(tx, incident.id),
        subscribers: await listSubscribers(tx, incident.id),
        channelMembers: members,
      });
      const sendAt = await reserveSendTimes(tx, destinations.map((d) => d.channel), now);
      await enqueueJobs(
        tx,
        destinations.map((d, i) => ({
          teamId: incident!.teamId,
          incidentId: incident!.id,
          kind: UPDATE_DELIVERY_JOB,
          dedupeKey: `update:${updateId}:${d.kind}:${d.channel}`,
          destination: d.channel,
          payload: { ...d, updateId } satisfies DeliveryPayload,
          notBefore: sendAt[i],
        })),
        now,
      );
      await completeStatusUpdate(tx, updateId, { destinations: destinations.length, dueAt: adherence.dueAt, onTime: adherence.onTime, status: input.status });
      await addTimelineEvent(tx, {
        incidentId: incident.id,
        at: now,
        kind: 'update',
        actorId: input.authorId,
        text: `Status update sent to ${destinations.length} destination${destinations.length === 1 ? '' : 's'}`,
        data: { updateId, customerImpact: input.customerImpact, actions: input.actions },
      });
      return { updateId, incident, destinations, created: true };
    });
  } catch (err) {
    if (!(err instanceof AlreadyPosted)) throw err;
    const twin = await findStatusUpdateBySubmitKey(deps.db, input.submitKey);
    if (!twin) throw err;
    return previouslyPosted(deps.db, twin.id, twin.incidentId);
  }
}

async function previouslyPosted(db: Database, updateId: number, incidentId: number): Promise<PostedUpdate> {
  const incident = (await getIncident(db, incidentId))!;
  const rows = await deliveryOutcomes(db, incidentId, updateId, UPDATE_DELIVERY_JOB);
  return { updateId, incident, destinations: rows.map((r) => ({ kind: deliveryPayload.parse(r.payload).kind })), created: false };
}
