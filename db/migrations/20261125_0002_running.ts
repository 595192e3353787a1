import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // What each outbox job has already done in Slack, step by step, so a retry after a rate limit, a
  // timeout or a crash resumes after the last finished step. A post is marked 'started' before it is
  // sent and 'done' (with its ts) after: a step found 'started' may have reached Slack already, so the
  // retry looks for it before posting again.
  await sql`
    create table outbox_steps (
      job_id integer not null references outbox (id) on delete cascade,
      step text not null,
      state text not null check (state in ('started', 'done')),
      ts text,
      updated_at timestamptz not null,
      primary key (job_id, step)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists outbox_steps`.execute(db);
}
