import type { Database } from '../db/client';
import type { Logger } from '../logger';
import { claimFollowUpReminder, listFollowUpsDueBy } from './followUpRepository';
import { enqueueReviewJobs, REVIEW_JOBS, type FollowUpPayload, type ReviewReminderPayload } from './jobs';
import { addDays, daysBetween, zonedDate, zonedTime, type TimeZone } from './localTime';
import { currentPeriod, DAY_MS, WEEK_MS, type FollowUp } from './model';
import type { PersonDirectory } from './ports';
import { claimReviewReminder, listOwedReviews } from './repository';
import { timeZoneOf } from './timeZones';

export interface ReminderDeps {
  db: Database;
  log: Logger;
  people: PersonDirectory;
}

/** How many reminders one tick considers; the rest wait for the next tick. */
const BATCH = 500;
/** Follow-up reminders go out at this hour in the owner's time zone. */
export const FOLLOW_UP_REMINDER_HOUR = 9;

/**
 * Reminds commanders of reviews that are due (once, when due) and overdue (once a day). Each period is
 * claimed with a unique row in the same transaction as its outbox job, so every replica may tick and the
 * commander still hears once per period.
 */
export async function remindOwedReviews(deps: ReminderDeps, now: Date): Promise<void> {
  for (const owed of await listOwedReviews(deps.db, now, DAY_MS, BATCH)) {
    const periodAt = currentPeriod(owed.dueAt, DAY_MS, now);
    if (!periodAt) continue;
    const overdueDays = Math.round((periodAt.getTime() - owed.dueAt.getTime()) / DAY_MS);
    await deps.db.transaction().execute(async (tx) => {
      if (!(await claimReviewReminder(tx, owed.reviewId, periodAt, now))) return;
      await enqueueReviewJobs(
        tx,
        [
          {
            kind: REVIEW_JOBS.reminder,
            teamId: owed.teamId,
            incidentId: owed.incidentId,
            dedupeKey: `review_reminder:${owed.reviewId}:${periodAt.getTime()}`,
            payload: { periodAt: periodAt.toISOString(), overdueDays } satisfies ReviewReminderPayload,
          },
        ],
        now,
      );
    });
  }
}

/**
 * The reminder period of a follow-up at `now`: 09:00 in the owner's zone on the due date, then the same
 * wall-clock time every week after (so daylight-saving changes do not move it). Null before the first.
 */
export function followUpPeriod(dueOn: string, zone: TimeZone, now: Date): { periodAt: Date; weeks: number } | null {
  const at = (weeks: number) => zonedTime(addDays(dueOn, weeks * 7), FOLLOW_UP_REMINDER_HOUR, zone);
  const first = at(0);
  if (now < first) return null;
  let weeks = Math.floor((now.getTime() - first.getTime()) / WEEK_MS);
  if (at(weeks + 1) <= now) weeks += 1;
  else if (weeks > 0 && at(weeks) > now) weeks -= 1;
  return { periodAt: at(weeks), weeks };
}

/**
 * Reminds owners by DM at 09:00 their time on the morning a follow-up falls due, then weekly while it
 * stays open. Claimed per (follow-up, period) like the review reminders.
 */
export async function remindFollowUps(deps: ReminderDeps, now: Date): Promise<void> {
  // 09:00 on tomorrow's date is already past in zones far enough east of UTC.
  const latestDueOn = addDays(now.toISOString().slice(0, 10), 1);
  for (const followUp of await listFollowUpsDueBy(deps.db, latestDueOn, now, BATCH)) {
    try {
      await remindFollowUp(deps, followUp, now);
    } catch (err) {
      deps.log.warn({ err, followUpId: followUp.id }, 'Could not check a follow-up reminder; trying again next tick');
    }
  }
}

async function remindFollowUp(deps: ReminderDeps, followUp: FollowUp, now: Date): Promise<void> {
  const zone = await timeZoneOf(deps.db, deps.people, followUp.ownerId, now);
  const period = followUpPeriod(followUp.dueOn, zone, now);
  // A period that began before the follow-up existed was covered by the DM telling the owner about it.
  if (!period || period.periodAt < followUp.createdAt) return;
  const overdueDays = period.weeks === 0 ? 0 : Math.max(1, daysBetween(followUp.dueOn, zonedDate(now, zone)));
  await deps.db.transaction().execute(async (tx) => {
    if (!(await claimFollowUpReminder(tx, followUp.id, period.periodAt, now))) return;
    await enqueueReviewJobs(
      tx,
      [
        {
          kind: REVIEW_JOBS.followUpReminder,
          teamId: followUp.teamId,
          incidentId: followUp.incidentId,
          dedupeKey: `follow_up_reminder:${followUp.id}:${period.periodAt.getTime()}`,
          payload: { followUpId: followUp.id, periodAt: period.periodAt.toISOString(), overdueDays } satisfies FollowUpPayload,
        },
      ],
      now,
    );
  });
}
