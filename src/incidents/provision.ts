import type { Database } from '../db/client';
import { ExternalCallError } from '../errors';
import type { Logger } from '../logger';
import { incidentChannelName, type Incident } from './model';
import type { PostOnce } from '../outbox/steps';
import type { IncidentChannels } from './ports';
import { channelBelongsToAnotherIncident, getIncident, getProvisionState, markProvisionStep, recordProvisionProblem, type IncidentSlackFields } from './repository';
import { addTimelineEvent } from './timelineRepository';

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
export type ProvisionStep = 'channel' | 'invite' | 'topic' | 'card' | 'pin' | 'announce' | 'bookmark' | 'notify';

/**
 * Sets up the incident's Slack presence. Each finished step is recorded, so a retry after a rate limit,
 * a timeout or a crash resumes where the last attempt stopped; a channel is never created twice.
 * A step Slack refuses for good (e.g. the bot is not in the announcement channel) is noted on the
 * timeline and told to the declarer instead of blocking the rest.
 */
export async function provisionIncident(deps: ProvisionDeps, incidentId: number, now: Date): Promise<Record<string, unknown>> {
  const { db } = deps;
  let incident = await getIncident(db, incidentId);
  if (!incident) return { skipped: 'incident deleted' };
  const state = await getProvisionState(db, incidentId);
  const done = new Set(state.done);

  if (!incident.channelId) incident = await ensureChannel(deps, incident);
  const channelId = incident.channelId!;

  /** Runs a step unless done; what it returns (ids of what it made in Slack) is recorded with it. */
  const step = async (name: ProvisionStep, work: () => Promise<IncidentSlackFields | void>): Promise<void> => {
    if (done.has(name)) return;
    try {
      const made = await work();
      await markProvisionStep(db, incidentId, name, made ?? {});
      done.add(name);
    } catch (err) {
      if (err instanceof ExternalCallError && !err.retryable) {
        await recordProvisionProblem(db, incidentId, `${name}:${err.code}`);
        await markProvisionStep(db, incidentId, name);
        done.add(name);
        await addTimelineEvent(db, { incidentId, at: now, kind: 'setup_problem', actorId: null, text: `Setup step "${name}" failed: ${err.code}` });
        return;
      }
      throw err;
    }
  };

  const current = incident;
  // These only need the channel, so they run side by side; each records itself when it finishes.
  const results = await Promise.allSettled([
    step('invite', () => deps.channels.invite(channelId, [...new Set([current.declaredBy, current.commanderId])])),
    step('topic', () => deps.channels.setTopic(current)),
    (async () => {
      await step('card', async () => {
        const ts = current.cardTs ?? (await deps.channels.postSummaryCard(current));
        current.cardTs = ts;
        return { card_ts: ts };
      });
      const cardTs = current.cardTs ?? (await getIncident(db, incidentId))?.cardTs;
      if (cardTs) await step('pin', () => deps.channels.pin(channelId, cardTs));
    })(),
    (async () => {
      if (current.isPrivate || !deps.announceChannel) return;
      const announceChannel = deps.announceChannel;
      await step('announce', async () => {
        const ts = current.announcementTs ?? (await deps.channels.announce(announceChannel, current));
        current.announcementTs = ts;
        current.announcementChannelId = announceChannel;
        return { announcement_channel_id: announceChannel, announcement_ts: ts };
      });
      if (current.announcementTs) {
        const ts = current.announcementTs;
        await step('bookmark', async () => deps.channels.bookmark(channelId, 'Announcement', await deps.channels.permalink(announceChannel, ts)));
      }
    })(),
  ]);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;

  if (!done.has('notify')) {
    const { problems } = await getProvisionState(db, incidentId);
    const ready = (await getIncident(db, incidentId))!;
    await step('notify', () => deps.channels.notifyDeclarer(ready, problems));
  }
  return { channelId, problems: (await getProvisionState(db, incidentId)).problems };
}

async function ensureChannel(deps: ProvisionDeps, incident: Incident): Promise<Incident> {
  for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt += 1) {
    const name = incidentChannelName(deps.channelPrefix, incident.number, incident.title, attempt);
    const created = await deps.channels.createChannel(name, incident.isPrivate);
    let channelId: string | null = created === 'name_taken' ? null : created.id;
    if (created === 'name_taken') {
      // Ours already when an earlier attempt created it but its answer never arrived.
      const own = await deps.channels.findOwnChannelByName(name);
      if (own && !(await channelBelongsToAnotherIncident(deps.db, own, incident.id))) channelId = own;
    }
    if (channelId) {
      await markProvisionStep(deps.db, incident.id, 'channel', { channel_id: channelId, channel_name: name });
      return { ...incident, channelId, channelName: name };
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
