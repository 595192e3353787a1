import { sql } from 'kysely';
import type { Database } from '../db/client';

export interface TimelineEntry {
  incidentId: number;
  at: Date;
  kind: string;
  actorId: string | null;
  text: string;
  data?: Record<string, unknown>;
  /** When set, a second entry with the same key is ignored (an event Slack delivered twice). */
  dedupeKey?: string;
}

/** Adds an event to the incident's timeline; its id, or null when its dedupe key was already recorded. */
export async function addTimelineEvent(db: Database, entry: TimelineEntry): Promise<number | null> {
  const inserted = await db
    .insertInto('timeline_events')
    .values({
      incident_id: entry.incidentId,
      at: entry.at,
      kind: entry.kind,
      actor_id: entry.actorId,
      text: entry.text,
      data: JSON.stringify(entry.data ?? {}),
      dedupe_key: entry.dedupeKey ?? null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

/** Adds a permalink to the entry recorded under `dedupeKey` (a message whose link Slack gave later). */
export async function setTimelineLink(db: Database, incidentId: number, dedupeKey: string, permalink: string): Promise<void> {
  await db
    .updateTable('timeline_events')
    .set({ data: sql<string>`data || jsonb_build_object('permalink', ${permalink}::text)` })
    .where('incident_id', '=', incidentId)
    .where('dedupe_key', '=', dedupeKey)
    .execute();
}

export interface TimelineEvent {
  id: number;
  at: Date;
  kind: string;
  actorId: string | null;
  text: string;
  data: Record<string, unknown>;
}

export async function listTimeline(db: Database, incidentId: number): Promise<TimelineEvent[]> {
  const rows = await db
    .selectFrom('timeline_events')
    .select(['id', 'at', 'kind', 'actor_id', 'text', 'data'])
    .where('incident_id', '=', incidentId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map(toEvent);
}

const toEvent = (r: { id: number; at: Date; kind: string; actor_id: string | null; text: string; data: Record<string, unknown> }): TimelineEvent => ({
  id: r.id,
  at: r.at,
  kind: r.kind,
  actorId: r.actor_id,
  text: r.text,
  data: r.data,
});

/** One entry with its incident, locked for a correction when `db` is a transaction. */
export async function lockTimelineEvent(db: Database, id: number): Promise<(TimelineEvent & { incidentId: number }) | null> {
  const row = await db
    .selectFrom('timeline_events')
    .select(['id', 'incident_id', 'at', 'kind', 'actor_id', 'text', 'data'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row ? { ...toEvent(row), incidentId: row.incident_id } : null;
}

export async function rewriteTimelineEvent(db: Database, id: number, body: { at: Date; text: string }): Promise<void> {
  await db.updateTable('timeline_events').set({ at: body.at, text: body.text }).where('id', '=', id).execute();
}
