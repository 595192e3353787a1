import { sql } from 'kysely';
import type { Database } from '../src/db/client';

/**
 * Bulk data for the bench, written with generate_series in one statement each, so a hundred thousand
 * incidents or a million outbox rows take seconds rather than minutes of round trips.
 */

const ALL_STEPS = '{channel,invite,topic,card,pin,announce,bookmark,notify}';

/**
 * Open incidents numbered `from`..`to` (inclusive), fully provisioned, each with one of the
 * workspace's services. Statuses and severities cycle so every open status and severity appears.
 */
export async function seedOpenIncidents(db: Database, teamId: string, from: number, to: number, now: Date): Promise<void> {
  await sql`
    insert into incidents (team_id, number, title, summary, severity, status, is_private, declared_by, commander_id,
                           declare_key, channel_name, channel_id, card_ts, provision_done, declared_at)
    select ${teamId}, g, 'Seeded incident ' || g, 'Checkout fails for some customers', (array['SEV1','SEV2','SEV3','SEV4'])[1 + g % 4],
           (array['investigating','identified','monitoring'])[1 + g % 3], false, 'U1', 'U2',
           'bench-' || g, 'inc-' || g || '-seeded', 'CS' || lpad(g::text, 9, '0'), '1700000000.' || lpad(g::text, 6, '0'),
           ${ALL_STEPS}::text[], ${now}::timestamptz - make_interval(mins => g)
    from generate_series(${from}::int, ${to}::int) g`.execute(db);
  await sql`
    insert into incident_services (incident_id, service_id)
    select i.id, s.ids[1 + i.number % array_length(s.ids, 1)]
    from incidents i, (select array_agg(id order by id) as ids from services where team_id = ${teamId}) s
    where i.team_id = ${teamId} and i.number between ${from}::int and ${to}::int and s.ids is not null`.execute(db);
  // Issue 5's communication cadence, when this build has it: each incident's next update is due later,
  // so the scheduler's prompt claim looks over all of them and finds nothing due, as on most ticks.
  const cadence = await sql<{ present: boolean }>`select to_regclass('update_cadence') is not null as present`.execute(db);
  if (cadence.rows[0]?.present) {
    await sql`
      insert into update_cadence (incident_id, next_due_at, remind_at, escalate_at)
      select i.id, ${now}::timestamptz + make_interval(mins => 15 + i.number % 45), ${now}::timestamptz + make_interval(mins => 15 + i.number % 45),
             ${now}::timestamptz + make_interval(mins => 20 + i.number % 45)
      from incidents i where i.team_id = ${teamId} and i.number between ${from}::int and ${to}::int
      on conflict do nothing`.execute(db);
  }
  await sql`
    insert into workspace_counters (team_id, last_incident_number) values (${teamId}, ${to}::int)
    on conflict (team_id) do update set last_incident_number = greatest(workspace_counters.last_incident_number, excluded.last_incident_number)`.execute(db);
}

export async function seedServices(db: Database, teamId: string): Promise<void> {
  await db
    .insertInto('services')
    .values(['Payments API', 'Checkout', 'Search'].map((name) => ({ team_id: teamId, name, name_key: name.toLowerCase() })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Closed incidents: what a workspace accumulates over the years, which no open-incident query should read. */
export async function seedClosedIncidents(db: Database, teamId: string, from: number, to: number, now: Date): Promise<void> {
  await sql`
    insert into incidents (team_id, number, title, severity, status, declared_by, commander_id, declare_key, channel_id, provision_done,
                           declared_at, resolved_at, closed_at)
    select ${teamId}, g, 'Old incident ' || g, 'SEV3', 'closed', 'U1', 'U1', 'bench-' || g, 'CC' || lpad(g::text, 9, '0'), ${ALL_STEPS}::text[],
           ${now}::timestamptz - make_interval(days => 400), ${now}::timestamptz - make_interval(days => 399), ${now}::timestamptz - make_interval(days => 398)
    from generate_series(${from}::int, ${to}::int) g`.execute(db);
}

/**
 * Delivered outbox rows, as a busy year leaves them, spread over the first `incidents` incident ids;
 * plus a few pending retries due in an hour, so the dispatcher has something to look ahead to.
 */
export async function seedOutbox(db: Database, teamId: string, doneRows: number, incidents: number, now: Date): Promise<void> {
  await sql`
    insert into outbox (team_id, incident_id, kind, dedupe_key, destination, payload, status, attempts, next_attempt_at, result, created_at, done_at)
    select ${teamId}, ids.first + g % ${incidents}::int, 'update_delivery', 'bench-done:' || g, 'C' || lpad((g % 500)::text, 8, '0'),
           '{"text":"seeded"}'::jsonb, 'done', 1, ${now}::timestamptz - make_interval(secs => g), '{"ts":"1700000000.000100"}'::jsonb,
           ${now}::timestamptz - make_interval(secs => g), ${now}::timestamptz - make_interval(secs => g)
    from generate_series(1, ${doneRows}::int) g, (select min(id) as first from incidents where team_id = ${teamId}) ids`.execute(db);
  await sql`
    insert into outbox (team_id, incident_id, kind, dedupe_key, destination, status, attempts, next_attempt_at, last_error, created_at)
    select ${teamId}, null, 'update_delivery', 'bench-retry:' || g, 'C' || lpad(g::text, 8, '0'), 'pending', 3,
           ${now}::timestamptz + interval '1 hour', 'ratelimited', ${now}::timestamptz
    from generate_series(1, 100) g`.execute(db);
}

/** Fresh planner statistics, as autovacuum would have gathered after a bulk load. */
export async function analyze(db: Database): Promise<void> {
  await sql`analyze`.execute(db);
}
