import type { Database } from '../../src/db/client';

/** Writes a past incident, with what insights read about it, straight into the tables. */

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export interface PastIncident {
  teamId?: string;
  number: number;
  severity: 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4';
  services: number[];
  declaredAt: Date;
  isPrivate?: boolean;
  isDrill?: boolean;
  impactStartedAt?: Date;
  impactEndedAt?: Date;
  mitigatedAt?: Date;
  resolvedAt?: Date;
  status?: string;
  /** Minutes after the declaration at which updates went out. */
  updatesAfter?: number[];
  cadence?: { due: number; onTime: number; nextDueAt?: Date };
  wentQuiet?: boolean;
  review?: { createdAt: Date; dueAt: Date | null; status: 'pending' | 'draft' | 'submitted'; submittedAt?: Date; changeCaused?: 'yes' | 'no' | 'unknown' };
}

export async function addService(db: Database, teamId: string, name: string): Promise<number> {
  const row = await db.insertInto('services').values({ team_id: teamId, name, name_key: name.toLowerCase() }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function addPastIncident(db: Database, p: PastIncident): Promise<number> {
  const teamId = p.teamId ?? 'T1';
  const { id } = await db
    .insertInto('incidents')
    .values({
      team_id: teamId,
      number: p.number,
      title: `Incident ${p.number}`,
      severity: p.severity,
      status: p.status ?? (p.resolvedAt ? 'resolved' : 'investigating'),
      is_private: p.isPrivate ?? false,
      is_drill: p.isDrill ?? false,
      declared_by: 'UDECLARER',
      commander_id: 'UCOMMANDER',
      declare_key: `key-${teamId}-${p.number}`,
      channel_id: `C${teamId}${p.number}`,
      declared_at: p.declaredAt,
      impact_started_at: p.impactStartedAt ?? null,
      impact_ended_at: p.impactEndedAt ?? null,
      mitigated_at: p.mitigatedAt ?? null,
      resolved_at: p.resolvedAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (p.services.length > 0) await db.insertInto('incident_services').values(p.services.map((service_id) => ({ incident_id: id, service_id }))).execute();
  for (const [n, minutes] of (p.updatesAfter ?? []).entries()) {
    await db
      .insertInto('status_updates')
      .values({
        incident_id: id,
        submit_key: `update-${id}-${n}`,
        author_id: 'UCOMMANDER',
        severity: p.severity,
        status: 'investigating',
        customer_impact: 'Some',
        actions: 'Looking',
        posted_at: new Date(p.declaredAt.getTime() + minutes * MIN),
        destinations: 3,
      })
      .execute();
  }
  if (p.cadence) {
    await db
      .insertInto('update_cadence')
      .values({ incident_id: id, updates_due: p.cadence.due, updates_on_time: p.cadence.onTime, next_due_at: p.cadence.nextDueAt ?? null, remind_at: null, escalate_at: null, last_update_at: null })
      .execute();
  }
  if (p.wentQuiet) {
    await db.insertInto('timeline_events').values({ incident_id: id, at: new Date(p.declaredAt.getTime() + HOUR), kind: 'update_overdue', actor_id: null, text: 'Stakeholder update overdue' }).execute();
  }
  if (p.review) {
    await db
      .insertInto('reviews')
      .values({
        incident_id: id,
        status: p.review.status,
        due_at: p.review.dueAt,
        created_at: p.review.createdAt,
        change_caused: p.review.changeCaused ?? 'unknown',
        submitted_at: p.review.submittedAt ?? null,
        revision: p.review.status === 'submitted' ? 1 : 0,
      })
      .execute();
  }
  return id;
}

export interface PastFollowUp {
  teamId?: string;
  incidentId: number;
  ownerId: string;
  dueOn: string;
  createdAt: Date;
  doneAt?: Date;
}

let followUpSeq = 0;

export async function addFollowUp(db: Database, f: PastFollowUp): Promise<void> {
  followUpSeq += 1;
  await db
    .insertInto('follow_ups')
    .values({
      team_id: f.teamId ?? 'T1',
      incident_id: f.incidentId,
      title: `Follow-up ${followUpSeq}`,
      owner_id: f.ownerId,
      due_on: f.dueOn,
      priority: 'medium',
      status: f.doneAt ? 'done' : 'open',
      create_key: `fu-${followUpSeq}-${Math.random()}`,
      created_by: 'UCOMMANDER',
      created_at: f.createdAt,
      done_by: f.doneAt ? f.ownerId : null,
      done_at: f.doneAt ?? null,
    })
    .execute();
}
