import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // The service-health window each person last chose on their Home tab, so a tab pushed to them (a new
  // follow-up, a review owed) keeps it instead of falling back to the default.
  await sql`
    create table home_windows (
      team_id text not null,
      user_id text not null,
      "window" text not null,
      chosen_at timestamptz not null,
      primary key (team_id, user_id)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists home_windows`.execute(db);
}
