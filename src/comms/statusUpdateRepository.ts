import { sql, type Selectable } from 'kysely';
import type { Database } from '../db/client';
import type { StatusUpdatesTable } from '../db/schema';
import type { IncidentStatus } from '../incidents/model';
import type { Severity } from '../incidents/severity';

export interface StatusUpdate {
  id: number;
  incidentId: number;
  authorId: string;
  severity: Severity;
  status: IncidentStatus;
  customerImpact: string;
  actions: string;
  nextUpdateAt: Date | null;
  postedAt: Date;
  destinations: number;
}

function toStatusUpdate(row: Selectable<StatusUpdatesTable>): StatusUpdate {
  return {
    id: row.id,
    incidentId: row.incident_id,
    authorId: row.author_id,
    severity: row.severity as Severity,
    status: row.status as IncidentStatus,
    customerImpact: row.customer_impact,
    actions: row.actions,
    nextUpdateAt: row.next_update_at,
    postedAt: row.posted_at,
    destinations: row.destinations,
  };
}

export type NewStatusUpdate = Omit<StatusUpdate, 'id' | 'destinations'> & { submitKey: string };

/** The new update's id, or null when this submission was already recorded. */
export async function insertStatusUpdate(db: Database, u: NewStatusUpdate): Promise<number | null> {
  const row = await db
    .insertInto('status_updates')
    .values({
      incident_id: u.incidentId,
      submit_key: u.submitKey,
      author_id: u.authorId,
      severity: u.severity,
      status: u.status,
      customer_impact: u.customerImpact,
      actions: u.actions,
      next_update_at: u.nextUpdateAt,
      posted_at: u.postedAt,
    })
    .onConflict((oc) => oc.column('submit_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function completeStatusUpdate(
  db: Database,
  id: number,
  fields: { destinations: number; dueAt: Date | null; onTime: boolean | null; status: IncidentStatus },
): Promise<void> {
  await db
    .updateTable('status_updates')
    .set({ destinations: fields.destinations, due_at: fields.dueAt, on_time: fields.onTime, status: fields.status })
    .where('id', '=', id)
    .execute();
}

export async function findStatusUpdateBySubmitKey(db: Database, submitKey: string): Promise<StatusUpdate | null> {
  const row = await db.selectFrom('status_updates').selectAll().where('submit_key', '=', submitKey).executeTakeFirst();
  return row ? toStatusUpdate(row) : null;
}

export async function getStatusUpdate(db: Database, id: number): Promise<StatusUpdate | null> {
  const row = await db.selectFrom('status_updates').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toStatusUpdate(row) : null;
}

export async function latestStatusUpdate(db: Database, incidentId: number): Promise<StatusUpdate | null> {
  const row = await db
    .selectFrom('status_updates')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('posted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toStatusUpdate(row) : null;
}

export interface DeliveryOutcome {
  status: 'pending' | 'done' | 'failed';
  destination: string | null;
  payload: Record<string, unknown>;
  lastError: string | null;
}

/** Every delivery row of one update, to tell its author what reached whom. */
export async function deliveryOutcomes(db: Database, incidentId: number, updateId: number, kind: string): Promise<DeliveryOutcome[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['status', 'destination', 'payload', 'last_error'])
    .where('incident_id', '=', incidentId)
    .where('kind', '=', kind)
    .where(sql<boolean>`(payload->>'updateId')::int = ${updateId}`)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ status: r.status, destination: r.destination, payload: r.payload, lastError: r.last_error }));
}
