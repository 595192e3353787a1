import { z } from 'zod';
import type { Database } from '../db/client';
import { ExternalCallError } from '../errors';
import { defineJob, type OutboxHandler } from '../outbox/registry';
import { enqueueJobs } from '../outbox/repository';
import { onlyPostOf } from '../outbox/steps';
import { TRIAGE_REDRAW_JOB } from './alertHooks';
import { GROUP_RESOLVED_JOB, TRIAGE_EDIT_JOB, TRIAGE_POST_JOB } from './alerts';
import { getGroup, incidentBrief, listGroupAlerts, openIncidentsOfService, serviceName, takeQueuedEdit, updateGroup } from './alertsRepository';
import { ATTACH_CHOICES_MAX, TRIAGE_LIST_MAX, type AlertMessenger, type TriageView } from './ports';

const groupPayload = z.object({ groupId: z.number().int().positive() });

/** Edits in a row a job makes while the group keeps changing under it, before leaving it to the next job. */
const CATCH_UP_EDITS = 3;

/** `botUserId`: an incident it commands has nobody leading it. */
export async function loadTriageView(db: Database, groupId: number, botUserId: string): Promise<{ view: TriageView; channel: string | null; ts: string | null } | null> {
  const group = await getGroup(db, groupId);
  if (!group) return null;
  const [listed, incident, service, attachable] = await Promise.all([
    listGroupAlerts(db, group.id, TRIAGE_LIST_MAX),
    group.incident_id ? incidentBrief(db, group.incident_id) : null,
    group.service_id ? serviceName(db, group.service_id) : null,
    group.service_id && !group.incident_id ? openIncidentsOfService(db, group.service_id, ATTACH_CHOICES_MAX) : [],
  ]);
  return {
    channel: group.triage_channel_id,
    ts: group.triage_ts,
    view: {
      groupId: group.id,
      revision: group.revision,
      source: group.source,
      title: group.title,
      status: group.status,
      service: service ?? group.service_label,
      severityLabel: group.severity_label,
      sourceUrl: group.source_url,
      firstFiredAt: group.first_fired_at,
      alerts: listed.alerts,
      firing: listed.firing,
      resolved: listed.resolved,
      incident: incident ? { number: incident.number, channelId: incident.channelId, needsCommander: incident.commanderId === botUserId } : null,
      attachedBy: group.attached_by,
      dismissedBy: group.dismissed_by,
      attachable,
    },
  };
}

/**
 * Edits the message until it shows the group's latest revision: two edits racing (two replicas) may
 * land out of order, so each job reads again after its edit and edits once more if it was overtaken.
 */
async function editUntilCurrent(db: Database, botUserId: string, messenger: AlertMessenger, groupId: number, channel: string, ts: string, shown: number | null): Promise<void> {
  let last = shown;
  let view: TriageView | null = null;
  for (let i = 0; i < CATCH_UP_EDITS; i += 1) {
    const loaded = await loadTriageView(db, groupId, botUserId);
    if (!loaded || loaded.view.revision === last) break;
    view = loaded.view;
    await messenger.updateTriage(channel, ts, view);
    last = view.revision;
  }
  // Attached to an incident whose channel is still being made: edit again once it exists, to link it.
  if (view?.incident && !view.incident.channelId) throw new ExternalCallError('incident_channel_not_ready', true);
}

export function alertJobs(deps: { db: Database; messenger: AlertMessenger; botUserId: string }): OutboxHandler[] {
  const { db, messenger, botUserId } = deps;
  const redraw = async (groupId: number) => {
    const group = await getGroup(db, groupId);
    // Not posted yet: the post shows the latest state when it goes out.
    if (!group?.triage_ts || !group.triage_channel_id) return { skipped: 'not posted yet' };
    await editUntilCurrent(db, botUserId, messenger, group.id, group.triage_channel_id, group.triage_ts, null);
    return { revision: group.revision };
  };
  return [
    defineJob({
      kind: TRIAGE_POST_JOB,
      schema: groupPayload,
      async run(job, now) {
        const loaded = await loadTriageView(db, job.payload.groupId, botUserId);
        if (!loaded) return { skipped: 'group gone' };
        if (loaded.ts) return { ts: loaded.ts };
        const posted = await messenger.postTriage(job.destination!, loaded.view, { marker: `alert_triage:${job.payload.groupId}`, lookSince: job.attempts > 1 ? job.created_at : null });
        await updateGroup(db, job.payload.groupId, { triage_channel_id: posted.channel, triage_ts: posted.ts }, now, false);
        // A notification that arrived while this was posting queued an edit that found no message yet.
        await editUntilCurrent(db, botUserId, messenger, job.payload.groupId, posted.channel, posted.ts, loaded.view.revision);
        if (loaded.view.incident && !loaded.view.incident.channelId) {
          // Posted while its incident's channel is still being made (a rule declared it): link it once it exists.
          await enqueueJobs(
            db,
            [{ teamId: job.team_id, incidentId: null, kind: TRIAGE_EDIT_JOB, dedupeKey: `alert_triage_edit:${job.payload.groupId}:channel`, destination: job.destination, payload: job.payload, notBefore: now }],
            now,
          );
        }
        return { ts: posted.ts };
      },
    }),
    defineJob({
      kind: TRIAGE_EDIT_JOB,
      schema: groupPayload,
      async run(job) {
        await takeQueuedEdit(db, job.payload.groupId);
        return redraw(job.payload.groupId);
      },
    }),
    defineJob({
      kind: TRIAGE_REDRAW_JOB,
      schema: groupPayload,
      run: (job) => redraw(job.payload.groupId),
    }),
    defineJob({
      kind: GROUP_RESOLVED_JOB,
      schema: groupPayload,
      async run(job) {
        const loaded = await loadTriageView(db, job.payload.groupId, botUserId);
        if (!loaded) return { skipped: 'group gone' };
        const incident = job.incident_id ? await incidentBrief(db, job.incident_id) : null;
        if (!incident) return { skipped: 'incident gone' };
        // The incident's channel is still being made: wait for it.
        if (!incident.channelId) throw new ExternalCallError('incident_channel_not_ready', true);
        await messenger.tellGroupResolved(incident.channelId, loaded.view, onlyPostOf(job));
        return { channel: incident.channelId };
      },
    }),
  ];
}
