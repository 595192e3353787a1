import type { Database } from '../db/client';
import { UserFacingError } from '../errors';
import { isOpen, type Incident } from '../incidents/model';
import { getIncident, lockIncident } from '../incidents/repository';
import { addTimelineEvent } from '../incidents/timelineRepository';
import type { Logger } from '../logger';
import { NO_SCHEDULE, type CadencePolicy } from './cadence';
import { claimDue, getCadence, lockCadence, setEscalateAt, setRemindAt, setSchedule, type CadenceState } from './cadenceRepository';
import { z } from 'zod';
import { untilIncidentCloses } from '../incidents/retry';
import { reserveSendTimes } from '../outbox/pace';
import { defineJob, type OutboxHandler } from '../outbox/registry';
import { enqueueJobs, type NewOutboxJob } from '../outbox/repository';
import { PROMPT_STAGES, type CommsMessenger, type PromptStage } from './ports';
import { onlyPostOf } from '../outbox/steps';

/** A DM asking for the update (to the comms lead, or the commander when there is none or it is overdue). */
export const UPDATE_PROMPT_JOB = 'update_prompt';
/** The incident channel is told once that its update is overdue. */
export const OVERDUE_NOTICE_JOB = 'update_overdue_notice';

export interface PromptDeps {
  db: Database;
  log: Logger;
  policy: CadencePolicy;
  messenger: CommsMessenger;
}

const promptPayload = z.object({ incidentId: z.number().int(), dueAt: z.string(), stage: z.enum(PROMPT_STAGES) });
type PromptPayload = z.infer<typeof promptPayload>;
const overdueNoticePayload = z.object({ incidentId: z.number().int(), dueAt: z.string() });

/** Claimed per transaction; a tick keeps claiming until nothing is due. */
const CLAIM_BATCH = 20;

export const promptTarget = (i: Incident) => i.commsId ?? i.commanderId;

async function queue(tx: Database, jobs: NewOutboxJob[], now: Date): Promise<void> {
  const sendAt = await reserveSendTimes(tx, jobs.map((j) => j.destination!), now);
  await enqueueJobs(tx, jobs.map((j, i) => ({ ...j, notBefore: sendAt[i] })), now);
}

function promptJob(incident: Incident, userId: string, dueAt: Date, stage: PromptStage, key: string, now: Date): NewOutboxJob {
  const payload: PromptPayload = { incidentId: incident.id, dueAt: dueAt.toISOString(), stage };
  return { teamId: incident.teamId, incidentId: incident.id, kind: UPDATE_PROMPT_JOB, dedupeKey: key, destination: userId, payload: { ...payload }, notBefore: now };
}

/**
 * One claim round: due rows are locked (SKIP LOCKED, so each replica takes different ones), their
 * prompts queued and their times cleared in one transaction. A replica that dies mid-round rolls
 * back and the rows are due again next tick; however many ticks were missed, a due time yields one
 * prompt. The dedupe keys name the due time, so even a second claim could not queue it twice.
 * `act` clears the row's time and says what to send; the round reserves every send time at once, in
 * one sorted statement, so two replicas' rounds cannot deadlock on shared destinations.
 */
async function claimRound(
  db: Database,
  field: 'remind_at' | 'escalate_at',
  now: Date,
  act: (tx: Database, incident: Incident, state: CadenceState) => Promise<NewOutboxJob[]>,
): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const rows = await claimDue(tx, field, now, CLAIM_BATCH);
    const jobs: NewOutboxJob[] = [];
    for (const state of rows) {
      const incident = await getIncident(tx, state.incidentId);
      if (!incident || !isOpen(incident) || !state.nextDueAt) {
        await setSchedule(tx, state.incidentId, NO_SCHEDULE);
        continue;
      }
      jobs.push(...(await act(tx, incident, state)));
    }
    await queue(tx, jobs, now);
    return rows.length;
  });
}

/** The scheduler job: prompts for every update that has come due, and escalations for overdue ones. */
export function queueDuePrompts(deps: PromptDeps) {
  return async (now: Date): Promise<void> => {
    const remind = async (tx: Database, incident: Incident, state: CadenceState) => {
      const dueAt = state.nextDueAt!;
      const stage: PromptStage = state.remindAt!.getTime() > dueAt.getTime() ? 'reminder' : 'due';
      const key = `prompt:${incident.id}:${dueAt.toISOString()}:${state.remindAt!.toISOString()}`;
      // Back after a long pause with the escalation due too: the commander gets the overdue prompt only.
      const escalatingNow = state.escalateAt !== null && state.escalateAt.getTime() <= now.getTime();
      await setRemindAt(tx, incident.id, null);
      return escalatingNow && promptTarget(incident) === incident.commanderId ? [] : [promptJob(incident, promptTarget(incident), dueAt, stage, key, now)];
    };
    const escalate = async (tx: Database, incident: Incident, state: CadenceState) => {
      const dueAt = state.nextDueAt!;
      const jobs = [promptJob(incident, incident.commanderId, dueAt, 'overdue', `prompt:${incident.id}:${dueAt.toISOString()}:overdue`, now)];
      if (incident.channelId) {
        jobs.push({
          teamId: incident.teamId,
          incidentId: incident.id,
          kind: OVERDUE_NOTICE_JOB,
          dedupeKey: `overdue_notice:${incident.id}:${dueAt.toISOString()}`,
          destination: incident.channelId,
          payload: { incidentId: incident.id, dueAt: dueAt.toISOString() },
          notBefore: now,
        });
      }
      await setEscalateAt(tx, incident.id, null);
      await addTimelineEvent(tx, {
        incidentId: incident.id,
        at: now,
        kind: 'update_overdue',
        actorId: null,
        text: `Stakeholder update overdue (was due ${dueAt.toISOString().slice(11, 16)} UTC); commander prompted`,
        data: { dueAt: dueAt.toISOString() },
      });
      return jobs;
    };
    while ((await claimRound(deps.db, 'remind_at', now, remind)) === CLAIM_BATCH);
    while ((await claimRound(deps.db, 'escalate_at', now, escalate)) === CLAIM_BATCH);
  };
}

/** The due time a prompt was about, if it is still the one waiting for an update. */
async function stillDue(db: Database, incidentId: number, dueAt: string): Promise<{ incident: Incident; state: CadenceState } | null> {
  const incident = await getIncident(db, incidentId);
  const state = await getCadence(db, incidentId);
  if (!incident || !isOpen(incident) || !state?.nextDueAt || state.nextDueAt.getTime() !== Date.parse(dueAt)) return null;
  return { incident, state };
}

export function promptHandlers(deps: PromptDeps): OutboxHandler[] {
  return [
    defineJob({
      kind: UPDATE_PROMPT_JOB,
      schema: promptPayload,
      retry: (job) => untilIncidentCloses(deps.db, job.incident_id),
      async run(job, now) {
        const payload = job.payload;
        const due = await stillDue(deps.db, payload.incidentId, payload.dueAt);
        if (!due) return { skipped: 'an update was posted or the incident is no longer open' };
        const prompt = {
          incident: due.incident,
          stage: payload.stage,
          dueAt: due.state.nextDueAt!,
          now,
          snoozeMinutes: deps.policy.snoozeMinutes(due.incident.severity),
          lastUpdateAt: due.state.lastUpdateAt,
        };
        await deps.messenger.sendPrompt(job.destination!, prompt, onlyPostOf(job));
        return { sent: payload.stage };
      },
    }),
    defineJob({
      kind: OVERDUE_NOTICE_JOB,
      schema: overdueNoticePayload,
      retry: (job) => untilIncidentCloses(deps.db, job.incident_id),
      async run(job, now) {
        const payload = job.payload;
        const due = await stillDue(deps.db, payload.incidentId, payload.dueAt);
        if (!due) return { skipped: 'an update was posted or the incident is no longer open' };
        const prompted = [...new Set([promptTarget(due.incident), due.incident.commanderId])];
        const notice = { incident: due.incident, dueAt: due.state.nextDueAt!, now, prompted };
        await deps.messenger.postOverdueNotice(job.destination!, notice, onlyPostOf(job));
        return { sent: 'overdue' };
      },
    }),
  ];
}

/**
 * "No change — remind me in N minutes": the comms lead or the commander puts the prompt off. The update
 * stays due (stakeholders are still waiting), so escalation keeps its time.
 */
export async function snoozeUpdatePrompt(
  deps: Pick<PromptDeps, 'db' | 'policy'>,
  input: { incidentId: number; dueAt: string; actorId: string },
  now: Date,
): Promise<{ remindAt: Date; minutes: number } | { stale: true; incident: Incident }> {
  return deps.db.transaction().execute(async (tx) => {
    const incident = await lockIncident(tx, input.incidentId);
    if (!incident) throw new UserFacingError('That incident no longer exists.');
    if (!isOpen(incident)) throw new UserFacingError(`Incident #${incident.number} is ${incident.status}; no update is due.`);
    if (input.actorId !== incident.commsId && input.actorId !== incident.commanderId) {
      throw new UserFacingError(`Only the comms lead or the commander of incident #${incident.number} can put off its update.`);
    }
    const state = await lockCadence(tx, incident.id);
    if (!state.nextDueAt || state.nextDueAt.getTime() !== Date.parse(input.dueAt)) return { stale: true as const, incident };
    const minutes = deps.policy.snoozeMinutes(incident.severity);
    const remindAt = new Date(now.getTime() + minutes * 60_000);
    await setRemindAt(tx, incident.id, remindAt);
    return { remindAt, minutes };
  });
}
