import type { AlertRule } from '../config';
import type { Database } from '../db/client';
import { UserFacingError } from '../errors';
import { declareIncident } from '../incidents/declare';
import type { IncidentLifecycleHooks } from '../incidents/lifecycle';
import { parseSeverity, type Severity } from '../incidents/severity';
import { addTimelineEvent } from '../incidents/timelineRepository';
import { enqueueJobs } from '../outbox/repository';
import type { AlertNotification, AlertStatus } from './alertPayloads';
import {
  applyAlerts,
  attachGroupIfFree,
  getGroup,
  incidentBrief,
  listGroupAlerts,
  lockGroup,
  lockOrCreateGroup,
  openIncidentsOfService,
  serviceOwner,
  updateGroup,
  type AlertGroupRow,
} from './alertsRepository';

export const TRIAGE_POST_JOB = 'alert_triage_post';
export const TRIAGE_EDIT_JOB = 'alert_triage_edit';
export const GROUP_RESOLVED_JOB = 'alert_group_resolved';

export interface AlertDeps {
  db: Database;
  hooks: IncidentLifecycleHooks;
  teamId: string;
  /** Where triage messages go; without it alerts are stored and attached but nothing is posted. */
  channel?: string;
  rules: AlertRule[];
  /** Who declares an incident an ALERT_RULES rule declares (Herald's bot user). */
  autoDeclarer: string;
}

export interface Received {
  groupId: number;
  created: boolean;
  /** False when the notification repeated what Herald already had. */
  changed: boolean;
  incidentId: number | null;
}

/** Maps an alert's severity label to Herald's: critical/page → SEV1, error/high/major → SEV2, warning → SEV3, info → SEV4. */
export function severityFromLabel(label: string | null): Severity | null {
  if (!label) return null;
  const direct = parseSeverity(label);
  if (direct) return direct;
  const l = label.trim().toLowerCase();
  if (['critical', 'crit', 'page', 'emergency', 'fatal', 'p1'].includes(l)) return 'SEV1';
  if (['error', 'high', 'major', 'p2'].includes(l)) return 'SEV2';
  if (['warning', 'warn', 'medium', 'minor', 'p3'].includes(l)) return 'SEV3';
  if (['info', 'low', 'none', 'p4'].includes(l)) return 'SEV4';
  return null;
}

/** The first ALERT_RULES rule the notification matches, compared case-insensitively. */
export function matchingRule(rules: AlertRule[], n: Pick<AlertNotification, 'service' | 'severity'>): AlertRule | null {
  const labels: Record<string, string | null> = { service: n.service, severity: n.severity };
  return rules.find((r) => labels[r.label.toLowerCase()]?.toLowerCase() === r.value.toLowerCase()) ?? null;
}

/** Queues an edit of the group's triage message unless one is already waiting (a storm is one edit). */
async function queueTriageEdit(tx: Database, deps: Pick<AlertDeps, 'teamId' | 'channel'>, group: AlertGroupRow, revision: number, now: Date): Promise<void> {
  if (!deps.channel || group.edit_queued) return;
  await updateGroup(tx, group.id, { edit_queued: true }, now, false);
  await enqueueTriageEdit(tx, deps, group.id, revision, now);
}

async function enqueueTriageEdit(tx: Database, deps: Pick<AlertDeps, 'teamId' | 'channel'>, groupId: number, revision: number, now: Date): Promise<void> {
  await enqueueJobs(
    tx,
    [{ teamId: deps.teamId, incidentId: null, kind: TRIAGE_EDIT_JOB, dedupeKey: `alert_triage_edit:${groupId}:${revision}`, destination: deps.channel, payload: { groupId }, notBefore: now }],
    now,
  );
}

function describeChange(fired: string[], resolved: string[]): string {
  const list = (names: string[]) => {
    const unique = [...new Set(names)];
    return unique.slice(0, 5).join(', ') + (unique.length > 5 ? ` and ${unique.length - 5} more` : '');
  };
  const parts: string[] = [];
  if (fired.length > 0) parts.push(`🔥 ${fired.length} alert${fired.length === 1 ? '' : 's'} firing: ${list(fired)}`);
  if (resolved.length > 0) parts.push(`✅ ${resolved.length} resolved: ${list(resolved)}`);
  return parts.join('; ');
}

/** Puts what changed on the incident's timeline, and tells its channel once when the whole group resolved. */
async function recordOnIncident(tx: Database, deps: AlertDeps, group: AlertGroupRow, incidentId: number, text: string, revision: number, groupResolved: boolean, now: Date) {
  if (text) {
    await addTimelineEvent(tx, { incidentId, at: now, kind: 'alert', actorId: null, text: `${group.title}: ${text}`, data: { alertGroupId: group.id }, dedupeKey: `alert_group:${group.id}:${revision}` });
  }
  if (groupResolved) {
    await enqueueJobs(
      tx,
      [{ teamId: deps.teamId, incidentId, kind: GROUP_RESOLVED_JOB, dedupeKey: `alert_group_resolved:${group.id}:${incidentId}`, payload: { groupId: group.id }, notBefore: now }],
      now,
    );
  }
}

/**
 * Stores one notification and, in the same transaction, what must reach people: the group's triage
 * message (posted once, then edited), the timeline of the incident it is attached to. A notification
 * that repeats what Herald has changes nothing. Resolves once it is committed, so the sender's retry
 * after a failure is safe. A firing group for a service with an open incident joins that incident; a
 * group an ALERT_RULES rule matches is declared (once, however many replicas receive it).
 */
export async function receiveAlerts(deps: AlertDeps, n: AlertNotification, now: Date): Promise<Received> {
  // The same fingerprint twice in one notification counts once, with its last status.
  const byFingerprint = new Map(n.alerts.map((a) => [a.fingerprint, a]));
  const rule = matchingRule(deps.rules, n);
  const alerts = [...byFingerprint.values()];
  const result = await deps.db.transaction().execute(async (tx) => {
    const { group, created } = await lockOrCreateGroup(tx, deps.teamId, n, now);
    // The edit a change needs is marked queued with it (queued just below) unless one already waits.
    const queuesEdit = !created && !!deps.channel && !group.edit_queued;
    const applied = await applyAlerts(tx, group.id, alerts, { created, teamId: deps.teamId, serviceLabel: n.service, queueEdit: queuesEdit }, now);
    if (applied === null) {
      // A new group always stores its alerts, so this is a known group the notification repeats.
      return { group, created, changed: false, revision: group.revision, firedNames: [], resolvedNames: [], groupResolved: false };
    }
    const { status, revision, serviceId: service } = applied;
    const groupResolved = status === 'resolved' && (created || group.status === 'firing');
    if (created && deps.channel) {
      await enqueueJobs(
        tx,
        [{ teamId: deps.teamId, incidentId: null, kind: TRIAGE_POST_JOB, dedupeKey: `alert_triage_post:${group.id}`, destination: deps.channel, payload: { groupId: group.id }, notBefore: now }],
        now,
      );
    } else if (queuesEdit) {
      await enqueueTriageEdit(tx, deps, group.id, revision, now);
    }
    // Named in the order sent: new alerts first, then those whose status changed.
    const changedTo = (status: AlertStatus) => [
      ...alerts.filter((a) => applied.fresh.has(a.fingerprint) && a.status === status),
      ...alerts.filter((a) => applied.flipped.has(a.fingerprint) && a.status === status),
    ];
    const firedNames = changedTo('firing').map((a) => a.name);
    const resolvedNames = changedTo('resolved').map((a) => a.name);
    let incidentId = group.incident_id;
    if (incidentId === null && rule && status === 'firing' && !group.dismissed_at && service) {
      // A rule would declare, but the service already has an open incident: attach instead of declaring twice.
      const [open] = await openIncidentsOfService(tx, service, 1);
      if (open && (await attachGroupIfFree(tx, group.id, open.id, null, now))) incidentId = open.id;
    }
    if (incidentId !== null) {
      await recordOnIncident(tx, deps, group, incidentId, describeChange(firedNames, resolvedNames), revision, groupResolved, now);
    }
    return { group: { ...group, incident_id: incidentId, status, service_id: service }, created, changed: true, revision, firedNames, resolvedNames, groupResolved };
  });

  let incidentId = result.group.incident_id;
  // Checked on every notification (not only a changed one), so a replica that stopped between storing
  // and declaring is made good by the sender's retry. The declare key makes it one incident.
  if (rule && incidentId === null && result.group.status === 'firing' && !result.group.dismissed_at) {
    incidentId = await declareFromGroup(deps, result.group.id, { severity: rule.severity, declaredBy: deps.autoDeclarer, declareKey: `alerts:${result.group.id}` }, now);
  }
  return { groupId: result.group.id, created: result.created, changed: result.changed, incidentId };
}

/** Declares an incident for a group (a rule, or a person's submission) and attaches the group to it. */
async function declareFromGroup(deps: AlertDeps, groupId: number, how: { severity: Severity; declaredBy: string; declareKey: string }, now: Date): Promise<number> {
  const group = await getGroup(deps.db, groupId);
  if (!group) throw new UserFacingError('That alert group no longer exists.');
  // A bot cannot lead an incident: a rule's incident is led by the owner of the alert's service.
  const owner = how.declaredBy === deps.autoDeclarer && group.service_id ? await serviceOwner(deps.db, group.service_id) : null;
  const declared = await declareIncident(
    deps.db,
    deps.hooks,
    {
      teamId: deps.teamId,
      declareKey: how.declareKey,
      title: group.title.slice(0, 150),
      summary: '',
      severity: how.severity,
      serviceIds: group.service_id ? [group.service_id] : [],
      commanderId: owner ?? how.declaredBy,
      declaredBy: how.declaredBy,
      isPrivate: false,
    },
    now,
  );
  return (await attachAlertGroup(deps, { groupId, incidentId: declared.incidentId, actorId: how.declaredBy === deps.autoDeclarer ? null : how.declaredBy }, now)).incidentId;
}

/**
 * Attaches the group to an incident (a person's click, or a declaration from its triage message): its
 * alerts go on the incident's timeline and the triage message links the incident. A group already
 * attached stays with its incident.
 */
export async function attachAlertGroup(deps: AlertDeps, input: { groupId: number; incidentId: number; actorId: string | null }, now: Date): Promise<{ incidentId: number; attached: boolean }> {
  return deps.db.transaction().execute(async (tx) => {
    const group = await lockGroup(tx, input.groupId);
    if (!group) throw new UserFacingError('That alert group no longer exists.');
    if (group.incident_id !== null) return { incidentId: group.incident_id, attached: false };
    const incident = await incidentBrief(tx, input.incidentId);
    if (!incident) throw new UserFacingError('That incident no longer exists.');
    await attachGroupIfFree(tx, group.id, incident.id, input.actorId, now);
    const revision = group.revision + 1;
    const { alerts } = await listGroupAlerts(tx, group.id, 5);
    const firing = alerts.filter((a) => a.status === 'firing').map((a) => a.name);
    await addTimelineEvent(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'alert',
      actorId: input.actorId,
      text: `Alert group attached: ${group.title}${firing.length > 0 ? ` (${describeChange(firing, [])})` : ''}`,
      data: { alertGroupId: group.id },
      dedupeKey: `alert_group_attached:${group.id}`,
    });
    if (group.status === 'resolved') {
      await recordOnIncident(tx, deps, group, incident.id, '', revision, true, now);
    }
    await queueTriageEdit(tx, deps, group, revision, now);
    return { incidentId: incident.id, attached: true };
  });
}

/** Someone decided the group needs no incident; the triage message says who. */
export async function dismissAlertGroup(deps: AlertDeps, input: { groupId: number; actorId: string }, now: Date): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const group = await lockGroup(tx, input.groupId);
    if (!group) throw new UserFacingError('That alert group no longer exists.');
    if (group.dismissed_at || group.incident_id !== null) return;
    const revision = await updateGroup(tx, group.id, { dismissed_by: input.actorId, dismissed_at: now }, now, true);
    await queueTriageEdit(tx, deps, group, revision, now);
  });
}

export interface AlertDeclareForm {
  groupId: number;
  title: string;
  severity: Severity | null;
  serviceIds: number[];
  summary: string;
}

/** What the declare modal opened from a triage message starts with. */
export async function loadAlertDeclareForm(deps: Pick<AlertDeps, 'db'>, groupId: number): Promise<AlertDeclareForm> {
  const group = await getGroup(deps.db, groupId);
  if (!group) throw new UserFacingError('That alert group no longer exists.');
  const { alerts } = await listGroupAlerts(deps.db, group.id, 1);
  return {
    groupId: group.id,
    title: group.title,
    severity: severityFromLabel(group.severity_label),
    serviceIds: group.service_id ? [group.service_id] : [],
    summary: alerts[0]?.summary ?? '',
  };
}

/** Declared from a triage message: the same submission twice is one incident, and the group joins it. */
export async function declareFromTriage(deps: AlertDeps, groupId: number, incidentId: number, actorId: string, now: Date) {
  return attachAlertGroup(deps, { groupId, incidentId, actorId }, now);
}
