import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // ALERTS_RATE counted across replicas: one row per minute, bumped by every signal request.
  await sql`
    create table signal_rate (
      window_start timestamptz primary key,
      used integer not null
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists signal_rate`.execute(db);
}
