import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // A drill runs like an incident but is never announced, sent to stakeholders or counted in figures.
  await sql`alter table incidents add column is_drill boolean not null default false`.execute(db);
  // The incidents figures leave out (private ones and drills), found without reading every incident.
  await sql`create index incidents_left_out on incidents (team_id) where is_private or is_drill`.execute(db);
  // The message an incident was declared from (the "Declare incident" message shortcut), if any.
  await sql`alter table incidents add column source_channel_id text`.execute(db);
  await sql`alter table incidents add column source_ts text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table incidents drop column if exists source_ts`.execute(db);
  await sql`alter table incidents drop column if exists source_channel_id`.execute(db);
  await sql`drop index if exists incidents_left_out`.execute(db);
  await sql`alter table incidents drop column if exists is_drill`.execute(db);
}
