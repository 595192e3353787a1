import type { OutboxRow } from '../outbox/repository';
import { markStepsStarted, stepsOfJob } from '../outbox/steps';
import type { Database } from '../db/client';
import { ExternalCallError } from '../errors';
import type { Logger } from '../logger';
import { incidentChannelName, type Incident, type MessageRef } from './model';
import { setMessageLink } from './messages';
import type { PostOnce } from '../outbox/steps';
import type { IncidentChannels } from './ports';
import { channelBelongsToAnotherIncident, getIncident, getProvisionState, markProvisionStep, recordProvisionProblem, type IncidentSlackFields } from './repository';
import { addTimelineEvent } from './timelineRepository';
import { linkedDeploymentsOf } from './linkedDeploymentsRepository';

export interface ProvisionDeps {
  db: Database;
  channels: IncidentChannels;
  log: Logger;
  channelPrefix: string;
  announceChannel?: string;
}

/** How many suffixed names (`-2`, `-3`, …) to try when the plain channel name is taken. */
const MAX_NAME_ATTEMPTS = 20;

/** Problems are recorded as `<step>:<Slack error code>`; `slack/` turns them into words. */
export type ProvisionStep = 'channel' | 'invite' | 'topic' | 'card' | 'pin' | 'announce' | 'bookmark' | 'source' | 'notify';

/** The setup job being run: its posts are marked with its id and kind. */
export type SetupJob = Pick<OutboxRow, 'id' | 'kind' | 'incident_id'>;

/**
 * Steps that Slack may have done although its answer was lost, and that a retry must not simply redo:
 * posts (found by their marker), the topic (its change posts a line) and the bookmark (listed twice).
 * They are marked started before the attempt's first Slack call, in one write beside the channel's
 * creation, so that a retry knows to look — and a first attempt just acts.
 */
const LOOK_BEFORE_REDOING: ProvisionStep[] = ['card', 'announce', 'topic', 'bookmark', 'source', 'notify'];

/**
 * Sets up the incident's Slack presence. Each finished step is recorded, so a retry after a rate limit,
 * a timeout or a crash resumes where the last attempt stopped; a channel is never created twice.
 * A step Slack refuses for good (e.g. the bot is not in the announcement channel) is noted on the
 * timeline and told to the declarer instead of blocking the rest.
 */
export async function provisionIncident(deps: ProvisionDeps, job: SetupJob, now: Date): Promise<Record<string, unknown>> {
  const { db } = deps;
  const incidentId = job.incident_id!;
  const [found, state, started, deployments] = await Promise.all([
    getIncident(db, incidentId),
    getProvisionState(db, incidentId),
    stepsOfJob(db, job.id),
    linkedDeploymentsOf(db, incidentId),
  ]);
  if (!found) return { skipped: 'incident deleted' };
  found.deployments = deployments;
  const done = new Set(state.done);
  const toMark = LOOK_BEFORE_REDOING.filter((s) => !done.has(s) && !started.has(s));

  // The channel's record is written beside the first steps in it: were it lost, a retry finds the
  // channel by its name and each post by its marker.
  const marked = markStepsStarted(db, job.id, toMark, now);
  const [{ incident: current, record }] = await Promise.all([
    found.channelId ? { incident: found, record: async () => undefined } : ensureChannel(deps, found),
    marked,
  ]);
  const channelId = current.channelId!;
  /** Started by an earlier attempt: it may be done although Slack's answer never came. */
  const mayBeDone = (name: ProvisionStep) => started.get(name)?.state === 'started';
  const once = (name: ProvisionStep): PostOnce => ({ marker: `${job.id}:${job.kind}:${name}`, lookSince: mayBeDone(name) ? started.get(name)!.at : null });

  /**
   * Runs a step unless done; what it returns (ids of what it made in Slack) is recorded with it.
   * `next` (a step that needs this one's result) starts as soon as Slack answers, beside the record.
   */
  const step = async (name: ProvisionStep, work: () => Promise<IncidentSlackFields | void>, next?: () => Promise<void>): Promise<void> => {
    if (done.has(name)) return next?.();
    try {
      const made = await work();
      // The next Slack call goes out first; the record is written while Slack works on it.
      const following = next?.();
      const record = markProvisionStep(db, incidentId, name, made ?? {}).then(() => void done.add(name));
      await Promise.all([record, following]);
    } catch (err) {
      if (err instanceof ExternalCallError && !err.retryable && !done.has(name)) {
        await recordProvisionProblem(db, incidentId, `${name}:${err.code}`);
        await markProvisionStep(db, incidentId, name);
        done.add(name);
        await addTimelineEvent(db, { incidentId, at: now, kind: 'setup_problem', actorId: null, text: `Setup step "${name}" failed: ${err.code}` });
        return;
      }
      throw err;
    }
  };

  const pinCard = async () => {
    const cardTs = current.cardTs;
    if (cardTs) await step('pin', () => deps.channels.pin(channelId, cardTs));
  };
  const bookmarkAnnouncement = async () => {
    const [announceChannel, ts] = [current.announcementChannelId, current.announcementTs];
    if (!announceChannel || !ts) return;
    await step('bookmark', async () =>
      deps.channels.bookmark(channelId, 'Announcement', await deps.channels.permalink(announceChannel, ts), mayBeDone('bookmark')),
    );
  };
  // Private incidents and drills are never announced: only their channel and their people hear of them.
  const announceChannel = current.isPrivate || current.isDrill ? undefined : deps.announceChannel;
  const source = current.source;
  // These only need the channel, so they run side by side; each records itself when it finishes. The
  // card goes first: what is ready waits on it and its pin, not on the rest.
  const steps = [
    step(
      'card',
      async () => {
        current.cardTs = current.cardTs ?? (await deps.channels.postSummaryCard(current, once('card')));
        return { card_ts: current.cardTs };
      },
      pinCard,
    ),
    announceChannel
      ? step(
          'announce',
          async () => {
            current.announcementTs = current.announcementTs ?? (await deps.channels.announce(announceChannel, current, once('announce')));
            current.announcementChannelId = announceChannel;
            return { announcement_channel_id: announceChannel, announcement_ts: current.announcementTs };
          },
          bookmarkAnnouncement,
        )
      : undefined,
    source ? step('source', () => linkSourceMessage(deps, current, source, { once: once('source'), checkFirst: mayBeDone('source') })) : undefined,
    step('invite', () => deps.channels.invite(channelId, [...new Set([current.declaredBy, current.commanderId])])),
    step('topic', () => deps.channels.setTopic(current, mayBeDone('topic'))),
  ];
  const results = await Promise.allSettled([record(), ...steps]);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;

  if (!done.has('notify')) {
    const [{ problems }, ready] = await Promise.all([getProvisionState(db, incidentId), getIncident(db, incidentId)]);
    await step('notify', () => deps.channels.notifyDeclarer(ready!, problems, once('notify')));
  }
  return { channelId, problems: (await getProvisionState(db, incidentId)).problems };
}

/**
 * Links the message the incident was declared from: its permalink on the timeline and bookmarked in the
 * incident channel, and a reply in its thread saying where the incident is run (not for a private
 * incident, whose channel only its members may know of). Each part is safe to redo on a retry.
 */
async function linkSourceMessage(deps: ProvisionDeps, incident: Incident, source: MessageRef, retry: { once: PostOnce; checkFirst: boolean }): Promise<void> {
  let permalink: string | null = null;
  try {
    permalink = await deps.channels.permalink(source.channelId, source.ts);
  } catch (err) {
    // A message Herald cannot see (a private conversation it is not in) keeps its entry, unlinked.
    if (!(err instanceof ExternalCallError && !err.retryable)) throw err;
  }
  if (permalink) await setMessageLink(deps.db, incident, source, permalink);
  // One refused (say Herald is not in the message's channel) does not keep the other from happening.
  const results = await Promise.allSettled([
    permalink ? deps.channels.bookmark(incident.channelId!, 'Declared from this message', permalink, retry.checkFirst) : undefined,
    incident.isPrivate ? undefined : deps.channels.replyInSourceThread(source, incident, retry.once),
  ]);
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  // A failure worth retrying goes first, so the step is tried again rather than recorded as a problem.
  const retryable = failures.find((err) => !(err instanceof ExternalCallError && !err.retryable));
  if (retryable ?? failures[0]) throw retryable ?? failures[0];
}

/** Creates the channel (or adopts the one an earlier attempt made); `record` writes it down, once the first steps are under way. */
async function ensureChannel(deps: ProvisionDeps, incident: Incident): Promise<{ incident: Incident; record: () => Promise<void> }> {
  for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt += 1) {
    const name = incidentChannelName(deps.channelPrefix, incident.number, incident.title, attempt, incident.isDrill);
    const created = await deps.channels.createChannel(name, incident.isPrivate);
    let channelId: string | null = created === 'name_taken' ? null : created.id;
    if (created === 'name_taken') {
      // Ours already when an earlier attempt created it but its answer never arrived.
      const own = await deps.channels.findOwnChannelByName(name);
      if (own && !(await channelBelongsToAnotherIncident(deps.db, own, incident.id))) channelId = own;
    }
    if (channelId) {
      const made = { channel_id: channelId, channel_name: name };
      return { incident: { ...incident, channelId, channelName: name }, record: () => markProvisionStep(deps.db, incident.id, 'channel', made) };
    }
  }
  throw new ExternalCallError('name_taken', false);
}

/** The declarer's notice that setup gave up (sent through the outbox, so it too waits for Slack). */
export async function tellDeclarerSetupGaveUp(deps: ProvisionDeps, incidentId: number, reason: string, once: PostOnce): Promise<Record<string, unknown>> {
  const incident = await getIncident(deps.db, incidentId);
  if (!incident) return { skipped: 'incident deleted' };
  const { problems } = await getProvisionState(deps.db, incidentId);
  await deps.channels.notifySetupGaveUp(incident, [...problems, `setup:${reason}`], once);
  return { sentTo: incident.declaredBy };
}

/** Tells the declarer, or the incident's channel once it exists, that Slack is not answering and Herald keeps trying. */
export async function tellSetupDelayed(deps: ProvisionDeps, incidentId: number, to: 'declarer' | 'channel', since: Date, once: PostOnce): Promise<Record<string, unknown>> {
  const incident = await getIncident(deps.db, incidentId);
  if (!incident) return { skipped: 'incident deleted' };
  if (to === 'channel' && !incident.channelId) {
    // The channel is what setup is still trying to make; this waits for it.
    throw new ExternalCallError('channel_not_ready', true);
  }
  await deps.channels.tellSetupDelayed(to === 'channel' ? incident.channelId! : incident.declaredBy, incident, { since, inChannel: to === 'channel' }, once);
  return { sentTo: to };
}
