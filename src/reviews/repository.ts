import { sql, type Selectable } from 'kysely';
import type { Database } from '../db/client';
import type { ReviewsTable } from '../db/schema';
import type { ChangeCaused, Review, ReviewContent, ReviewRevision } from './model';

type ReviewRow = Selectable<ReviewsTable>;

function toReview(row: ReviewRow): Review {
  return {
    id: row.id,
    incidentId: row.incident_id,
    status: row.status,
    dueAt: row.due_at,
    summary: row.summary,
    impact: row.impact,
    impactDuration: row.impact_duration,
    contributingFactors: row.contributing_factors,
    changeCaused: row.change_caused,
    changeReference: row.change_reference,
    wentWell: row.went_well,
    toImprove: row.to_improve,
    revision: row.revision,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at,
  };
}

function contentColumns(content: ReviewContent) {
  return {
    summary: content.summary,
    impact: content.impact,
    impact_duration: content.impactDuration,
    contributing_factors: content.contributingFactors,
    change_caused: content.changeCaused,
    change_reference: content.changeReference,
    went_well: content.wentWell,
    to_improve: content.toImprove,
  };
}

export async function findReview(db: Database, incidentId: number): Promise<Review | null> {
  const row = await db.selectFrom('reviews').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
  return row ? toReview(row) : null;
}

/** The incident's review, created empty if it has none yet, locked for the rest of the transaction. */
export async function lockReview(db: Database, incidentId: number, now: Date): Promise<Review> {
  await db
    .insertInto('reviews')
    .values({ incident_id: incidentId, created_at: now })
    .onConflict((oc) => oc.column('incident_id').doNothing())
    .execute();
  return toReview(await db.selectFrom('reviews').selectAll().where('incident_id', '=', incidentId).forUpdate().executeTakeFirstOrThrow());
}

export async function setReviewDue(db: Database, reviewId: number, dueAt: Date | null): Promise<void> {
  await db.updateTable('reviews').set({ due_at: dueAt }).where('id', '=', reviewId).execute();
}

export interface SavedReviewFields {
  content: ReviewContent;
  status: Review['status'];
  actorId: string;
  now: Date;
  saveKey: string;
  /** Set when this save submits a new revision. */
  submittedRevision?: number;
}

export async function saveReviewContent(db: Database, reviewId: number, fields: SavedReviewFields): Promise<void> {
  await db
    .updateTable('reviews')
    .set({
      ...contentColumns(fields.content),
      status: fields.status,
      updated_by: fields.actorId,
      updated_at: fields.now,
      last_save_key: fields.saveKey,
      ...(fields.submittedRevision !== undefined
        ? { revision: fields.submittedRevision, submitted_by: fields.actorId, submitted_at: fields.now }
        : {}),
    })
    .where('id', '=', reviewId)
    .execute();
}

/** The key of the last save, so a modal submitted twice saves (and publishes) once. */
export async function lastSaveKey(db: Database, reviewId: number): Promise<string | null> {
  const row = await db.selectFrom('reviews').select('last_save_key').where('id', '=', reviewId).executeTakeFirst();
  return row?.last_save_key ?? null;
}

export async function insertRevision(db: Database, revision: Omit<ReviewRevision, 'publishedTs'>): Promise<void> {
  await db
    .insertInto('review_revisions')
    .values({
      review_id: revision.reviewId,
      revision: revision.revision,
      content: JSON.stringify(revision.content),
      submitted_by: revision.submittedBy,
      submitted_at: revision.submittedAt,
    })
    .execute();
}

export async function getRevision(db: Database, reviewId: number, revision: number): Promise<ReviewRevision | null> {
  const row = await db
    .selectFrom('review_revisions')
    .selectAll()
    .where('review_id', '=', reviewId)
    .where('revision', '=', revision)
    .executeTakeFirst();
  if (!row) return null;
  const c = row.content as Partial<ReviewContent>;
  return {
    reviewId: row.review_id,
    revision: row.revision,
    content: {
      summary: c.summary ?? '',
      impact: c.impact ?? '',
      impactDuration: c.impactDuration ?? '',
      contributingFactors: c.contributingFactors ?? '',
      changeCaused: (c.changeCaused ?? 'unknown') as ChangeCaused,
      changeReference: c.changeReference ?? '',
      wentWell: c.wentWell ?? '',
      toImprove: c.toImprove ?? '',
    },
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at,
    publishedTs: row.published_ts,
  };
}

/** Records one more posted part of a publication. */
export async function addPublishedPart(db: Database, reviewId: number, revision: number, ts: string): Promise<void> {
  await db
    .updateTable('review_revisions')
    .set({ published_ts: sql`array_append(published_ts, ${ts})` })
    .where('review_id', '=', reviewId)
    .where('revision', '=', revision)
    .execute();
}

export interface OwedReview {
  reviewId: number;
  incidentId: number;
  teamId: string;
  dueAt: Date;
}

/**
 * Reviews due by `now` and not submitted, of incidents still resolved (closing or reopening stops
 * reminders), leaving out those already reminded in the current period (periods are `periodMs` long).
 */
export async function listOwedReviews(db: Database, now: Date, periodMs: number, limit: number): Promise<OwedReview[]> {
  const periodStartedAfter = new Date(now.getTime() - periodMs);
  const rows = await db
    .selectFrom('reviews')
    .innerJoin('incidents', 'incidents.id', 'reviews.incident_id')
    .select(['reviews.id as reviewId', 'reviews.incident_id as incidentId', 'incidents.team_id as teamId', 'reviews.due_at as dueAt'])
    .where('reviews.due_at', 'is not', null)
    .where('reviews.due_at', '<=', now)
    .where('reviews.status', '<>', 'submitted')
    .where('incidents.status', '=', 'resolved')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('review_reminders_sent as sent')
            .select('sent.review_id')
            .whereRef('sent.review_id', '=', 'reviews.id')
            // Periods of an earlier resolution (before a reopen) do not count.
            .whereRef('sent.period_at', '>=', 'reviews.due_at')
            .where('sent.period_at', '>', periodStartedAfter),
        ),
      ),
    )
    .orderBy('reviews.due_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, dueAt: r.dueAt! }));
}

/** Claims the reminder of one period; true for exactly one caller, whichever replica it is. */
export async function claimReviewReminder(db: Database, reviewId: number, periodAt: Date, now: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('review_reminders_sent')
    .values({ review_id: reviewId, period_at: periodAt, claimed_at: now })
    .onConflict((oc) => oc.columns(['review_id', 'period_at']).doNothing())
    .returning('review_id')
    .executeTakeFirst();
  return inserted !== undefined;
}
