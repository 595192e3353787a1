import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // Who hears about a service's incidents: channels and people, edited with `/incident stakeholders`.
  await sql`
    create table service_stakeholders (
      service_id integer not null references services (id) on delete cascade,
      kind text not null check (kind in ('channel', 'user')),
      target_id text not null,
      primary key (service_id, kind, target_id)
    )`.execute(db);

  await sql`
    create table incident_subscribers (
      incident_id integer not null references incidents (id) on delete cascade,
      user_id text not null,
      subscribed_at timestamptz not null,
      primary key (incident_id, user_id)
    )`.execute(db);

  // One row per submitted update; submit_key (the modal's view id) makes a twice-submitted modal one update.
  await sql`
    create table status_updates (
      id integer generated always as identity primary key,
      incident_id integer not null references incidents (id) on delete cascade,
      submit_key text not null unique,
      author_id text not null,
      severity text not null,
      status text not null,
      customer_impact text not null,
      actions text not null,
      next_update_at timestamptz,
      posted_at timestamptz not null,
      due_at timestamptz,
      on_time boolean,
      destinations integer not null default 0
    )`.execute(db);
  await sql`create index status_updates_incident on status_updates (incident_id, posted_at desc, id desc)`.execute(db);

  // The communication cadence of each incident. remind_at / escalate_at are the next prompt and the
  // escalation still to send; a replica claims a due row with FOR UPDATE SKIP LOCKED and clears the
  // field in the same transaction that queues the prompt, so it is sent once whoever ticks.
  await sql`
    create table update_cadence (
      incident_id integer primary key references incidents (id) on delete cascade,
      next_due_at timestamptz,
      remind_at timestamptz,
      escalate_at timestamptz,
      updates_due integer not null default 0,
      updates_on_time integer not null default 0,
      last_update_at timestamptz
    )`.execute(db);
  await sql`create index update_cadence_remind on update_cadence (remind_at) where remind_at is not null`.execute(db);
  await sql`create index update_cadence_escalate on update_cadence (escalate_at) where escalate_at is not null`.execute(db);

  // Per-destination posting pace shared by every replica: the "theoretical arrival time" of a
  // generic cell rate algorithm, so posts to one channel or person keep to Slack's ~1 a second.
  await sql`
    create table destination_pace (
      destination text primary key,
      tat timestamptz not null
    )`.execute(db);

  await sql`create index outbox_destination on outbox (destination, next_attempt_at) where status = 'pending'`.execute(db);
  // What was really posted to a destination lately, so the dispatcher keeps to the pace at send time.
  await sql`create index outbox_sent on outbox (destination, done_at) where status = 'done'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists outbox_sent`.execute(db);
  await sql`drop index if exists outbox_destination`.execute(db);
  for (const table of ['destination_pace', 'update_cadence', 'status_updates', 'incident_subscribers', 'service_stakeholders']) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
