import { sql } from 'kysely';
import type { Database } from '../db/client';
import { OPEN_STATUSES } from '../incidents/model';

export interface CadenceState {
  incidentId: number;
  nextDueAt: Date | null;
  remindAt: Date | null;
  escalateAt: Date | null;
  updatesDue: number;
  updatesOnTime: number;
  lastUpdateAt: Date | null;
}

export interface CadenceSchedule {
  nextDueAt: Date | null;
  remindAt: Date | null;
  escalateAt: Date | null;
}

type Row = {
  incident_id: number;
  next_due_at: Date | null;
  remind_at: Date | null;
  escalate_at: Date | null;
  updates_due: number;
  updates_on_time: number;
  last_update_at: Date | null;
};

const toState = (r: Row): CadenceState => ({
  incidentId: r.incident_id,
  nextDueAt: r.next_due_at,
  remindAt: r.remind_at,
  escalateAt: r.escalate_at,
  updatesDue: r.updates_due,
  updatesOnTime: r.updates_on_time,
  lastUpdateAt: r.last_update_at,
});

/** The incident's cadence row, locked for the transaction; created (empty) when the incident has none yet. */
export async function lockCadence(db: Database, incidentId: number): Promise<CadenceState> {
  await db.insertInto('update_cadence').values({ incident_id: incidentId, next_due_at: null, remind_at: null, escalate_at: null, last_update_at: null }).onConflict((oc) => oc.doNothing()).execute();
  const row = await db.selectFrom('update_cadence').selectAll().where('incident_id', '=', incidentId).forUpdate().executeTakeFirstOrThrow();
  return toState(row);
}

export async function getCadence(db: Database, incidentId: number): Promise<CadenceState | null> {
  const row = await db.selectFrom('update_cadence').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
  return row ? toState(row) : null;
}

export async function setSchedule(db: Database, incidentId: number, s: CadenceSchedule): Promise<void> {
  await db
    .updateTable('update_cadence')
    .set({ next_due_at: s.nextDueAt, remind_at: s.remindAt, escalate_at: s.escalateAt })
    .where('incident_id', '=', incidentId)
    .execute();
}

/** Counts one due update: on time or not. */
export async function countDueUpdate(db: Database, incidentId: number, onTime: boolean): Promise<void> {
  await db
    .updateTable('update_cadence')
    .set({ updates_due: sql`updates_due + 1`, updates_on_time: onTime ? sql`updates_on_time + 1` : sql`updates_on_time` })
    .where('incident_id', '=', incidentId)
    .execute();
}

export async function setLastUpdateAt(db: Database, incidentId: number, at: Date): Promise<void> {
  await db.updateTable('update_cadence').set({ last_update_at: at }).where('incident_id', '=', incidentId).execute();
}

export async function setRemindAt(db: Database, incidentId: number, remindAt: Date | null): Promise<void> {
  await db.updateTable('update_cadence').set({ remind_at: remindAt }).where('incident_id', '=', incidentId).execute();
}

export async function setEscalateAt(db: Database, incidentId: number, escalateAt: Date | null): Promise<void> {
  await db.updateTable('update_cadence').set({ escalate_at: escalateAt }).where('incident_id', '=', incidentId).execute();
}

/**
 * Open incidents whose stakeholder update is past due with nothing sent, by severity. Starts from the
 * open incidents (incidents_open), so it reads as many rows as incidents are being worked.
 */
export async function countOverdueUpdatesBySeverity(db: Database, now: Date): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('incidents')
    .innerJoin('update_cadence', 'update_cadence.incident_id', 'incidents.id')
    .select(['incidents.severity', (eb) => eb.fn.countAll<string | number>().as('count')])
    .where('incidents.status', 'in', [...OPEN_STATUSES])
    .where('update_cadence.next_due_at', '<', now)
    .groupBy('incidents.severity')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.severity, Number(r.count)]));
}

/**
 * Claims cadence rows whose reminder (or escalation) time has come. SKIP LOCKED hands each row to one
 * replica; the caller clears the time in the same transaction, so the row is not due again.
 */
export async function claimDue(db: Database, field: 'remind_at' | 'escalate_at', now: Date, limit: number): Promise<CadenceState[]> {
  const rows = await db
    .selectFrom('update_cadence')
    .selectAll()
    .where(field, '<=', now)
    .orderBy(field)
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map(toState);
}
