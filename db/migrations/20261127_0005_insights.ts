import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // When customers were affected, when it differs from what Herald infers: null impact_started_at means
  // "from the declaration", null impact_ended_at "until the incident was first mitigated".
  await sql`alter table incidents add column impact_started_at timestamptz`.execute(db);
  await sql`alter table incidents add column impact_ended_at timestamptz`.execute(db);

  // Insights read a workspace's history by time: incidents declared in a window, incidents whose
  // impact reaches into it, reviews submitted and follow-ups done in it. Each of these has an index, so
  // a report never reads the whole history.
  await sql`create index incidents_declared on incidents (team_id, declared_at)`.execute(db);
  await sql`create index incidents_impact_end on incidents (team_id, (coalesce(impact_ended_at, mitigated_at)))`.execute(db);
  await sql`create index reviews_submitted on reviews (submitted_at) where submitted_at is not null`.execute(db);
  await sql`create index follow_ups_done on follow_ups (team_id, done_at) where status = 'done'`.execute(db);
  await sql`create index follow_ups_team_open on follow_ups (team_id) where status = 'open'`.execute(db);
  await sql`create index timeline_events_overdue on timeline_events (incident_id) where kind = 'update_overdue'`.execute(db);
  // Shared figures leave private incidents out: the few there are, found without reading the rest.
  await sql`create index incidents_private on incidents (team_id) where is_private`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['incidents_private', 'timeline_events_overdue', 'follow_ups_team_open', 'follow_ups_done', 'reviews_submitted', 'incidents_impact_end', 'incidents_declared']) {
    await sql`drop index if exists ${sql.id(index)}`.execute(db);
  }
  await sql`alter table incidents drop column if exists impact_ended_at`.execute(db);
  await sql`alter table incidents drop column if exists impact_started_at`.execute(db);
}
