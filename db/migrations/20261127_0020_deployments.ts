import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // What CI pipelines tell Herald they deployed. One row per (service, version, environment): a pipeline
  // that posts the same deployment again (a retry, a re-run job) changes nothing.
  await sql`
    create table deployments (
      id integer generated always as identity primary key,
      team_id text not null,
      service_id integer not null references services (id) on delete restrict,
      version text not null,
      environment text not null,
      summary text not null default '',
      author text not null default '',
      url text,
      deployed_at timestamptz not null,
      received_at timestamptz not null,
      unique (team_id, service_id, version, environment)
    )`.execute(db);
  // Deployments of a service in a window (before a declaration; in an insights period).
  await sql`create index deployments_service_time on deployments (service_id, deployed_at)`.execute(db);
  await sql`create index deployments_team_time on deployments (team_id, deployed_at)`.execute(db);

  // The deployments shown on an incident when it was declared (its services' deployments in the change
  // window before it); the review marks those that caused it, which the change failure rate counts.
  await sql`
    create table incident_deployments (
      incident_id integer not null references incidents (id) on delete cascade,
      deployment_id integer not null references deployments (id) on delete cascade,
      caused boolean not null default false,
      primary key (incident_id, deployment_id)
    )`.execute(db);
  await sql`create index incident_deployments_caused on incident_deployments (deployment_id) where caused`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists incident_deployments`.execute(db);
  await sql`drop table if exists deployments`.execute(db);
}
