import { sql } from 'kysely';
import type { Database } from '../db/client';
import type { FollowUp, FollowUpWithIncident, Priority } from './model';

/** `due_on` as YYYY-MM-DD on both drivers (pg would otherwise make a date a local-midnight Date). */
const dueOn = sql<string>`to_char(follow_ups.due_on, 'YYYY-MM-DD')`.as('due_on');

const FOLLOW_UP_COLUMNS = [
  'follow_ups.id',
  'follow_ups.team_id',
  'follow_ups.incident_id',
  'follow_ups.title',
  'follow_ups.owner_id',
  'follow_ups.priority',
  'follow_ups.status',
  'follow_ups.created_by',
  'follow_ups.created_at',
  'follow_ups.done_by',
  'follow_ups.done_at',
] as const;

interface FollowUpRow {
  id: number;
  team_id: string;
  incident_id: number;
  title: string;
  owner_id: string;
  due_on: string;
  priority: Priority;
  status: 'open' | 'done';
  created_by: string;
  created_at: Date;
  done_by: string | null;
  done_at: Date | null;
}

function toFollowUp(row: FollowUpRow): FollowUp {
  return {
    id: row.id,
    teamId: row.team_id,
    incidentId: row.incident_id,
    title: row.title,
    ownerId: row.owner_id,
    dueOn: row.due_on,
    priority: row.priority,
    status: row.status,
    createdBy: row.created_by,
    createdAt: row.created_at,
    doneBy: row.done_by,
    doneAt: row.done_at,
  };
}

export type NewFollowUp = Pick<FollowUp, 'teamId' | 'incidentId' | 'title' | 'ownerId' | 'dueOn' | 'priority' | 'createdBy'> & {
  /** Identifies the submission: the same modal submitted twice makes one follow-up. */
  createKey: string;
};

/** Inserts the follow-up; null when this submission already made one. */
export async function insertFollowUp(db: Database, input: NewFollowUp, now: Date): Promise<FollowUp | null> {
  const row = await db
    .insertInto('follow_ups')
    .values({
      team_id: input.teamId,
      incident_id: input.incidentId,
      title: input.title,
      owner_id: input.ownerId,
      due_on: input.dueOn,
      priority: input.priority,
      created_by: input.createdBy,
      create_key: input.createKey,
      created_at: now,
    })
    .onConflict((oc) => oc.column('create_key').doNothing())
    .returning(FOLLOW_UP_COLUMNS)
    .returning(dueOn)
    .executeTakeFirst();
  return row ? toFollowUp(row) : null;
}

export async function getFollowUp(db: Database, id: number, options: { lock?: boolean } = {}): Promise<FollowUp | null> {
  let query = db.selectFrom('follow_ups').select(FOLLOW_UP_COLUMNS).select(dueOn).where('follow_ups.id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toFollowUp(row) : null;
}

export async function findFollowUpByCreateKey(db: Database, createKey: string): Promise<FollowUp | null> {
  const row = await db.selectFrom('follow_ups').select(FOLLOW_UP_COLUMNS).select(dueOn).where('follow_ups.create_key', '=', createKey).executeTakeFirst();
  return row ? toFollowUp(row) : null;
}

export async function markFollowUpDoneRow(db: Database, id: number, userId: string, now: Date): Promise<void> {
  await db.updateTable('follow_ups').set({ status: 'done', done_by: userId, done_at: now }).where('id', '=', id).where('status', '=', 'open').execute();
}

function withIncident(db: Database) {
  return db
    .selectFrom('follow_ups')
    .innerJoin('incidents', 'incidents.id', 'follow_ups.incident_id')
    .select(FOLLOW_UP_COLUMNS)
    .select(dueOn)
    .select(['incidents.number as incident_number', 'incidents.title as incident_title', 'incidents.channel_id as incident_channel_id', 'incidents.commander_id']);
}

type JoinedRow = FollowUpRow & { incident_number: number; incident_title: string; incident_channel_id: string | null; commander_id: string };

function toJoined(row: JoinedRow): FollowUpWithIncident {
  return {
    ...toFollowUp(row),
    incidentNumber: row.incident_number,
    incidentTitle: row.incident_title,
    incidentChannelId: row.incident_channel_id,
    commanderId: row.commander_id,
  };
}

/** A person's open follow-ups, earliest due first (so the overdue ones lead). */
export async function listOpenFollowUpsOwnedBy(db: Database, teamId: string, ownerId: string, limit: number): Promise<FollowUpWithIncident[]> {
  const rows = await withIncident(db)
    .where('follow_ups.team_id', '=', teamId)
    .where('follow_ups.owner_id', '=', ownerId)
    .where('follow_ups.status', '=', 'open')
    .orderBy('follow_ups.due_on')
    .orderBy('follow_ups.id')
    .limit(limit)
    .execute();
  return rows.map(toJoined);
}

/** An incident's follow-ups: open ones first by due date, then the done ones. */
export async function listFollowUpsOfIncident(db: Database, incidentId: number, limit: number): Promise<FollowUpWithIncident[]> {
  const rows = await withIncident(db)
    .where('follow_ups.incident_id', '=', incidentId)
    .orderBy(sql`follow_ups.status = 'done'`)
    .orderBy('follow_ups.due_on')
    .orderBy('follow_ups.id')
    .limit(limit)
    .execute();
  return rows.map(toJoined);
}

export async function countFollowUpsOfIncident(db: Database, incidentId: number): Promise<number> {
  const row = await db
    .selectFrom('follow_ups')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('incident_id', '=', incidentId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Reminder periods of a follow-up are a week apart, give or take a daylight-saving hour. */
const RECENTLY_REMINDED_MS = 6 * 86_400_000;

/**
 * Open follow-ups due on or before `latestDueOn`: the candidates for a reminder now. The caller passes
 * tomorrow's UTC date, since 09:00 tomorrow somewhere east of UTC is already today here. Those reminded
 * in the last six days are left out, so a tick does not revisit every overdue follow-up.
 */
export async function listFollowUpsDueBy(db: Database, latestDueOn: string, now: Date, limit: number): Promise<FollowUp[]> {
  const recently = new Date(now.getTime() - RECENTLY_REMINDED_MS);
  const rows = await db
    .selectFrom('follow_ups')
    .select(FOLLOW_UP_COLUMNS)
    .select(dueOn)
    .where('follow_ups.status', '=', 'open')
    .where('follow_ups.due_on', '<=', latestDueOn)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('follow_up_reminders_sent as sent')
            .select('sent.follow_up_id')
            .whereRef('sent.follow_up_id', '=', 'follow_ups.id')
            .where('sent.period_at', '>', recently),
        ),
      ),
    )
    .orderBy('follow_ups.due_on')
    .orderBy('follow_ups.id')
    .limit(limit)
    .execute();
  return rows.map(toFollowUp);
}

export async function claimFollowUpReminder(db: Database, followUpId: number, periodAt: Date, now: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('follow_up_reminders_sent')
    .values({ follow_up_id: followUpId, period_at: periodAt, claimed_at: now })
    .onConflict((oc) => oc.columns(['follow_up_id', 'period_at']).doNothing())
    .returning('follow_up_id')
    .executeTakeFirst();
  return inserted !== undefined;
}
