import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // One row per digest period (a firing of DIGEST_CRON): the replica whose insert wins queues the
  // digest, in the same transaction; every other replica's insert does nothing.
  await sql`
    create table digest_periods (
      team_id text not null,
      period_start timestamptz not null,
      channel_id text not null,
      created_at timestamptz not null,
      primary key (team_id, period_start)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists digest_periods`.execute(db);
}
