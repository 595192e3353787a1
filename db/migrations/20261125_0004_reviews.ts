import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // One review per incident. `due_at` is null while no review is owed (not required for the severity,
  // or the incident was reopened); the content is the latest saved edit, draft or submitted.
  await sql`
    create table reviews (
      id integer generated always as identity primary key,
      incident_id integer not null unique references incidents (id) on delete cascade,
      status text not null default 'pending' check (status in ('pending', 'draft', 'submitted')),
      due_at timestamptz,
      summary text not null default '',
      impact text not null default '',
      impact_duration text not null default '',
      contributing_factors text not null default '',
      change_caused text not null default 'unknown' check (change_caused in ('yes', 'no', 'unknown')),
      change_reference text not null default '',
      went_well text not null default '',
      to_improve text not null default '',
      revision integer not null default 0,
      last_save_key text,
      updated_by text,
      updated_at timestamptz,
      submitted_by text,
      submitted_at timestamptz,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index reviews_owed on reviews (due_at) where due_at is not null and status <> 'submitted'`.execute(db);

  // Every submitted version, as published. `published_ts` records each message posted so far, so a
  // publication interrupted by a rate limit or a restart resumes instead of posting a part twice.
  await sql`
    create table review_revisions (
      review_id integer not null references reviews (id) on delete cascade,
      revision integer not null,
      content jsonb not null,
      submitted_by text not null,
      submitted_at timestamptz not null,
      published_ts text[] not null default '{}',
      primary key (review_id, revision)
    )`.execute(db);

  // One row per reminder period, claimed with INSERT … ON CONFLICT DO NOTHING: whichever replica
  // inserts it sends that period's reminder; the others see the row and do nothing.
  await sql`
    create table review_reminders_sent (
      review_id integer not null references reviews (id) on delete cascade,
      period_at timestamptz not null,
      claimed_at timestamptz not null,
      primary key (review_id, period_at)
    )`.execute(db);

  await sql`
    create table follow_ups (
      id integer generated always as identity primary key,
      team_id text not null,
      incident_id integer not null references incidents (id) on delete cascade,
      title text not null,
      owner_id text not null,
      due_on date not null,
      priority text not null check (priority in ('high', 'medium', 'low')),
      status text not null default 'open' check (status in ('open', 'done')),
      create_key text not null unique,
      created_by text not null,
      created_at timestamptz not null,
      done_by text,
      done_at timestamptz
    )`.execute(db);
  await sql`create index follow_ups_owner_open on follow_ups (owner_id, due_on) where status = 'open'`.execute(db);
  await sql`create index follow_ups_due_open on follow_ups (due_on) where status = 'open'`.execute(db);
  await sql`create index follow_ups_incident on follow_ups (incident_id)`.execute(db);

  await sql`
    create table follow_up_reminders_sent (
      follow_up_id integer not null references follow_ups (id) on delete cascade,
      period_at timestamptz not null,
      claimed_at timestamptz not null,
      primary key (follow_up_id, period_at)
    )`.execute(db);

  // Slack time zones (users.info), cached so a reminder run does not ask Slack about every owner.
  await sql`
    create table user_time_zones (
      user_id text primary key,
      tz text,
      tz_offset integer not null,
      fetched_at timestamptz not null
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['user_time_zones', 'follow_up_reminders_sent', 'follow_ups', 'review_reminders_sent', 'review_revisions', 'reviews']) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
