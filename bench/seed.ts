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

/**
 * A workspace's past: `incidents` resolved and closed incidents spread evenly over the last two
 * years (the newest ten still open), each with one or two of twelve services, three status updates,
 * timeline events, its cadence counters, a review (for SEV1–3) and `followUps` follow-ups shared out
 * among them — most done, one in 25 still open. Every twentieth incident is private.
 */
export async function seedHistory(db: Database, teamId: string, sizes: { incidents: number; followUps: number }, now: Date): Promise<void> {
  const n = sizes.incidents;
  await db
    .insertInto('services')
    .values(Array.from({ length: 12 }, (_, i) => ({ team_id: teamId, name: `Service ${i + 1}`, name_key: `service ${i + 1}` })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  await sql`
    insert into incidents (team_id, number, title, severity, status, is_private, declared_by, commander_id, declare_key, channel_id,
                           provision_done, declared_at, impact_started_at, mitigated_at, resolved_at, closed_at)
    select ${teamId}, g, 'Past incident ' || g, (array['SEV1','SEV2','SEV3','SEV4'])[1 + g % 4],
           case when g > ${n}::int - 10 then 'investigating' else 'closed' end, g % 20 = 0, 'U1', 'U' || (g % 30),
           'history-' || g, 'CH' || lpad(g::text, 9, '0'), ${ALL_STEPS}::text[], d.at,
           case when g % 7 = 0 then d.at - interval '15 minutes' end,
           case when g > ${n}::int - 10 then null else d.at + make_interval(mins => 10 + g % 120) end,
           case when g > ${n}::int - 10 then null else d.at + make_interval(mins => 30 + g % 600) end,
           case when g > ${n}::int - 10 then null else d.at + make_interval(mins => 30 + g % 600) + interval '1 day' end
    from generate_series(1, ${n}::int) g,
         lateral (select ${now}::timestamptz - make_interval(secs => (${n}::int - g + 1) * (730.0 * 86400 / ${n}::int))) d(at)`.execute(db);
  await sql`
    insert into incident_services (incident_id, service_id)
    select i.id, s.ids[1 + i.number % 12] from incidents i, (select array_agg(id order by id) as ids from services where team_id = ${teamId}) s
    where i.team_id = ${teamId}
    union
    select i.id, s.ids[1 + (i.number + 3) % 12] from incidents i, (select array_agg(id order by id) as ids from services where team_id = ${teamId}) s
    where i.team_id = ${teamId} and i.number % 5 = 0`.execute(db);
  await sql`
    insert into status_updates (incident_id, submit_key, author_id, severity, status, customer_impact, actions, posted_at, destinations, on_time)
    select i.id, 'history-' || i.id || '-' || k, 'U2', i.severity, 'investigating', 'Some customers', 'Working on it',
           i.declared_at + make_interval(mins => 5 + i.number % 20 + (k - 1) * 30), 4, k <> 2 or i.number % 4 <> 0
    from incidents i, generate_series(1, 3) k where i.team_id = ${teamId}`.execute(db);
  await sql`
    insert into update_cadence (incident_id, updates_due, updates_on_time)
    select i.id, 2 + i.number % 3, 2 + i.number % 3 - (case when i.number % 4 = 0 then 1 else 0 end) from incidents i where i.team_id = ${teamId}`.execute(db);
  await sql`
    insert into timeline_events (incident_id, at, kind, actor_id, text)
    select i.id, i.declared_at, 'declared', 'U1', 'Declared' from incidents i where i.team_id = ${teamId}
    union all
    select i.id, i.declared_at + make_interval(mins => 5 + i.number % 20 + (k - 1) * 30), 'update', 'U2', 'Status update sent'
    from incidents i, generate_series(1, 3) k where i.team_id = ${teamId}
    union all
    select i.id, i.declared_at + interval '50 minutes', 'update_overdue', null, 'Stakeholder update overdue'
    from incidents i where i.team_id = ${teamId} and i.number % 4 = 0`.execute(db);
  await sql`
    insert into reviews (incident_id, status, due_at, change_caused, revision, submitted_by, submitted_at, created_at)
    select i.id, case when i.number > ${n}::int - 40 then 'pending' else 'submitted' end, i.resolved_at + interval '5 days',
           (array['yes','no','unknown'])[1 + i.number % 3], case when i.number > ${n}::int - 40 then 0 else 1 end,
           case when i.number > ${n}::int - 40 then null else 'U2' end,
           case when i.number > ${n}::int - 40 then null else i.resolved_at + make_interval(days => 1 + i.number % 9) end, i.resolved_at
    from incidents i where i.team_id = ${teamId} and i.severity <> 'SEV4' and i.resolved_at is not null`.execute(db);
  await sql`
    insert into follow_ups (team_id, incident_id, title, owner_id, due_on, priority, status, create_key, created_by, created_at, done_by, done_at)
    select ${teamId}, i.id, 'Follow-up ' || g, 'U' || (g % 40), (i.declared_at + interval '14 days')::date, 'medium',
           case when g % 25 = 0 then 'open' else 'done' end, 'history-fu-' || g, 'U1', i.declared_at + interval '1 day',
           case when g % 25 = 0 then null else 'U' || (g % 40) end,
           case when g % 25 = 0 then null else least(i.declared_at + make_interval(days => 7 + g % 14), ${now}::timestamptz) end
    from generate_series(1, ${sizes.followUps}::int) g
    join incidents i on i.team_id = ${teamId} and i.number = 1 + (g - 1) % ${n}::int`.execute(db);
}
