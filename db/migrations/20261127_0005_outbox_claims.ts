import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // Each claim writes its own token: completing, rescheduling or failing a job matches id and token, so
  // a replica whose lease ran out cannot overwrite what the job's next claimant recorded.
  await sql`alter table outbox add column claim_token text`.execute(db);
  // When a person asked for a job that gave up to be tried again: its retry window starts anew.
  await sql`alter table outbox add column retried_at timestamptz`.execute(db);
  // Retention deletes delivered rows oldest first, a small batch at a time.
  await sql`create index outbox_done_at on outbox (done_at) where status = 'done'`.execute(db);
  await sql`create index processed_events_received_at on processed_events (received_at)`.execute(db);
  await sql`create index outbox_failed on outbox (kind) where status = 'failed'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists outbox_failed`.execute(db);
  await sql`drop index if exists processed_events_received_at`.execute(db);
  await sql`drop index if exists outbox_done_at`.execute(db);
  await sql`alter table outbox drop column if exists retried_at`.execute(db);
  await sql`alter table outbox drop column if exists claim_token`.execute(db);
}
