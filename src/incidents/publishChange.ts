import { hasUnfinishedJob } from '../outbox/repository';
import { markStep, stepsOfJob, type PostOnce } from '../outbox/steps';
import type { Database } from '../db/client';
import { ExternalCallError } from '../errors';
import { isAnnounceable, type IncidentChange, type IncidentChangedPayload } from './changes';
import { PROVISION_JOB } from './declare';
import type { Incident } from './model';
import type { IncidentUpdates } from './ports';
import { linkedDeploymentsOf } from './linkedDeploymentsRepository';
import { getIncident } from './repository';
import { addTimelineEvent } from './timelineRepository';

export interface PublishDeps {
  db: Database;
  updates: IncidentUpdates;
}

/** The parts of an INCIDENT_CHANGED_JOB outbox row this needs. */
export interface ChangeJob {
  id: number;
  incidentId: number;
  payload: IncidentChangedPayload;
}

type Step = 'card' | 'topic' | 'invite' | 'note' | 'thread' | 'announcement';

/** What each step does, for the timeline entry when Slack refuses it for good. */
const STEP_WORDS: Record<Step, string> = {
  card: 'update the summary card',
  topic: 'refresh the channel topic',
  invite: 'invite the new role holder to the channel',
  note: 'post the change in the channel',
  thread: 'post the change under the announcement',
  announcement: 'update the announcement',
};

/** A redraw is repeated when the incident changed meanwhile, at most this many times. */
const MAX_DRAWS = 3;

/** The topic shows severity, status, commander and comms lead. */
function affectsTopic(change: IncidentChange): boolean {
  if (change.change === 'deployment') return false;
  return change.change !== 'role' || change.role !== 'scribe';
}

/** The announcement shows severity, status and commander. */
function affectsAnnouncement(change: IncidentChange): boolean {
  if (change.change === 'deployment') return false;
  return change.change !== 'role' || change.role === 'commander';
}

const sameState = (a: Incident, b: Incident) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Carries one change to Slack: the pinned card redrawn in place, the topic, a line in the channel saying
 * who changed what, an invitation for a new role holder, and — for public incidents — the announcement
 * redrawn and, when the change is worth it, a reply in its thread. Each finished step is recorded, so a
 * retry after a rate limit, a timeout or a crash does only what is left and never posts twice. A step
 * Slack refuses for good is noted on the timeline instead of blocking the others.
 */
export async function publishIncidentChange(deps: PublishDeps, job: ChangeJob, now: Date): Promise<Record<string, unknown>> {
  const { db, updates } = deps;
  const change = job.payload;
  const incident = await getIncident(db, job.incidentId);
  if (!incident) return { skipped: 'incident deleted' };
  // Setup draws the card and the topic from the incident as it was; let it finish so it cannot draw over this change.
  if (await hasUnfinishedJob(db, incident.id, PROVISION_JOB)) throw new ExternalCallError('setup_in_progress', true);
  if (!incident.channelId) return { skipped: 'no channel' };
  const channelId = incident.channelId;
  const steps = await stepsOfJob(db, job.id);
  const problems: string[] = [];

  const run = async (step: Step, work: () => Promise<string | null>): Promise<void> => {
    if (steps.get(step)?.state === 'done') return;
    try {
      const ts = await work();
      await markStep(db, job.id, step, 'done', now, ts);
    } catch (err) {
      if (!(err instanceof ExternalCallError) || err.retryable) throw err;
      problems.push(`${step}:${err.code}`);
      await addTimelineEvent(db, {
        incidentId: incident.id,
        at: now,
        kind: 'slack_problem',
        actorId: null,
        text: `Herald could not ${STEP_WORDS[step]}: Slack answered "${err.code}"`,
        dedupeKey: `problem:${job.id}:${step}`,
      });
      await markStep(db, job.id, step, 'done', now);
    }
  };

  // Slack has no idempotency key: a post left 'started' may have arrived although its answer was lost.
  // The first start is kept, so every later look reaches back to it.
  const postOnce = (step: Step, post: (once: PostOnce) => Promise<string>) =>
    run(step, async () => {
      const earlier = steps.get(step);
      const lookSince = earlier?.state === 'started' ? earlier.at : null;
      if (!lookSince) await markStep(db, job.id, step, 'started', now);
      return post({ marker: `${job.id}:${step}`, lookSince });
    });

  // Jobs of two quick changes may run side by side: whoever draws last re-reads, so the last drawing shows the latest state.
  const redraw = async (draw: (current: Incident) => Promise<void>): Promise<null> => {
    let current = (await getIncident(db, incident.id)) ?? incident;
    for (let i = 0; i < MAX_DRAWS; i += 1) {
      await draw(current);
      const after = await getIncident(db, incident.id);
      if (!after || sameState(after, current)) break;
      current = after;
    }
    return null;
  };

  if (incident.cardTs) {
    await run('card', async () => {
      // The card lists what was deployed before the declaration (a late report adds to it).
      const deployments = await linkedDeploymentsOf(db, incident.id);
      return redraw((current) => updates.updateSummaryCard({ ...current, deployments }));
    });
  }
  if (affectsTopic(change)) await run('topic', () => redraw((current) => updates.setTopic(current)));
  if (change.change === 'role') {
    const invitee = change.userId;
    await run('invite', async () => {
      await updates.invite(channelId, [invitee]);
      return null;
    });
  }
  await postOnce('note', (once) => updates.postChangeNote(incident, change, once));

  const { announcementChannelId, announcementTs } = incident;
  if (!incident.isPrivate && announcementChannelId && announcementTs) {
    if (isAnnounceable(change)) {
      await postOnce('thread', (once) => updates.postAnnouncementReply(incident, change, once));
    }
    if (affectsAnnouncement(change)) await run('announcement', () => redraw((current) => updates.updateAnnouncement(current)));
  }
  return { problems };
}

/** When every retry failed: the timeline says the channel may not show the change. */
export async function reportChangeGaveUp(deps: PublishDeps, job: ChangeJob, reason: string, now: Date): Promise<void> {
  await addTimelineEvent(deps.db, {
    incidentId: job.incidentId,
    at: now,
    kind: 'slack_problem',
    actorId: null,
    text: `Herald gave up showing a change in Slack (${reason}); the card or announcement may be out of date.`,
    dedupeKey: `problem:${job.id}:gave_up`,
  });
}
