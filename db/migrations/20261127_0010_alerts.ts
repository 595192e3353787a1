import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // One row per alert group a monitoring system notifies about (Alertmanager's groupKey, Grafana's
  // groupKey, the generic form's dedup_key): a repeated notification finds its group and changes it
  // at most once. `revision` counts real changes; `edit_queued` coalesces a storm into one edit.
  await sql`
    create table alert_groups (
      id integer generated always as identity primary key,
      team_id text not null,
      source text not null check (source in ('alertmanager', 'grafana', 'generic')),
      group_key text not null,
      title text not null,
      service_label text,
      service_id integer references services (id) on delete set null,
      severity_label text,
      source_url text,
      status text not null check (status in ('firing', 'resolved')),
      first_fired_at timestamptz not null,
      resolved_at timestamptz,
      revision integer not null default 1,
      edit_queued boolean not null default false,
      triage_channel_id text,
      triage_ts text,
      incident_id integer references incidents (id) on delete set null,
      attached_by text,
      attached_at timestamptz,
      dismissed_by text,
      dismissed_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (team_id, source, group_key)
    )`.execute(db);
  await sql`create index alert_groups_incident on alert_groups (incident_id) where incident_id is not null`.execute(db);

  // Each alert of a group, by its fingerprint (the generic form's dedup_key).
  await sql`
    create table alerts (
      id integer generated always as identity primary key,
      group_id integer not null references alert_groups (id) on delete cascade,
      fingerprint text not null,
      name text not null,
      status text not null check (status in ('firing', 'resolved')),
      summary text not null default '',
      starts_at timestamptz not null,
      ends_at timestamptz,
      updated_at timestamptz not null,
      unique (group_id, fingerprint)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists alerts`.execute(db);
  await sql`drop table if exists alert_groups`.execute(db);
}
