import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // One counter per workspace, bumped atomically, so two declarations at once never share a number.
  await sql`
    create table workspace_counters (
      team_id text primary key,
      last_incident_number integer not null
    )`.execute(db);

  await sql`
    create table services (
      id integer generated always as identity primary key,
      team_id text not null,
      name text not null,
      name_key text not null,
      owner_id text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (team_id, name_key)
    )`.execute(db);

  await sql`
    create table incidents (
      id integer generated always as identity primary key,
      team_id text not null,
      number integer not null,
      title text not null,
      summary text not null default '',
      severity text not null check (severity in ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
      status text not null default 'investigating'
        check (status in ('investigating', 'identified', 'monitoring', 'resolved', 'closed')),
      is_private boolean not null default false,
      declared_by text not null,
      commander_id text not null,
      comms_id text,
      scribe_id text,
      declare_key text not null,
      channel_name text,
      channel_id text,
      card_ts text,
      announcement_channel_id text,
      announcement_ts text,
      provision_done text[] not null default '{}',
      provision_problems text[] not null default '{}',
      declared_at timestamptz not null,
      acknowledged_at timestamptz,
      mitigated_at timestamptz,
      resolved_at timestamptz,
      closed_at timestamptz,
      updated_at timestamptz not null default now(),
      unique (team_id, number),
      unique (team_id, declare_key)
    )`.execute(db);
  await sql`create unique index incidents_channel on incidents (channel_id) where channel_id is not null`.execute(db);
  await sql`create index incidents_open on incidents (team_id, number desc) where status <> 'closed'`.execute(db);

  await sql`
    create table incident_services (
      incident_id integer not null references incidents (id) on delete cascade,
      service_id integer not null references services (id) on delete restrict,
      primary key (incident_id, service_id)
    )`.execute(db);
  await sql`create index incident_services_service on incident_services (service_id)`.execute(db);

  await sql`
    create table timeline_events (
      id integer generated always as identity primary key,
      incident_id integer not null references incidents (id) on delete cascade,
      at timestamptz not null,
      kind text not null,
      actor_id text,
      text text not null,
      data jsonb not null default '{}',
      dedupe_key text unique
    )`.execute(db);
  await sql`create index timeline_events_incident on timeline_events (incident_id, at, id)`.execute(db);

  // Work that must reach Slack: written in the same transaction as the change that causes it, claimed
  // by one replica at a time, retried with backoff, and marked done so it happens once.
  await sql`
    create table outbox (
      id integer generated always as identity primary key,
      team_id text not null,
      incident_id integer references incidents (id) on delete cascade,
      kind text not null,
      dedupe_key text not null unique,
      destination text,
      payload jsonb not null default '{}',
      status text not null default 'pending' check (status in ('pending', 'done', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      locked_until timestamptz,
      result jsonb,
      last_error text,
      created_at timestamptz not null,
      done_at timestamptz
    )`.execute(db);
  await sql`create index outbox_due on outbox (next_attempt_at) where status = 'pending'`.execute(db);
  await sql`create index outbox_incident on outbox (incident_id)`.execute(db);

  // Slack retries events up to three times with the same event_id; each is handled once.
  await sql`
    create table processed_events (
      event_id text primary key,
      received_at timestamptz not null
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['processed_events', 'outbox', 'timeline_events', 'incident_services', 'incidents', 'services', 'workspace_counters']) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
