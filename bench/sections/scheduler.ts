import { performance } from 'node:perf_hooks';
import { sql, type CompiledQuery } from 'kysely';
import { listOpenIncidents } from '../../src/incidents/repository';
import { startTestHerald, type TestHerald } from '../../test/support/harness';
import { startSlackStub } from '../../test/support/slackStub';
import { createPgliteDatabase, createPostgresDatabase, explain, type BenchDatabase } from '../databases';
import type { Sizes } from '../options';
import { progress, table, type Goal, type SectionResult } from '../report';
import { analyze, seedOpenIncidents, seedOutbox, seedServices } from '../seed';
import { fmt, max, median } from '../stats';

interface Level {
  incidents: number;
  tickMs: number[];
  listMs: number[];
}

interface Plan {
  query: string;
  /** Scan nodes, e.g. "Index Scan using outbox_due on outbox". */
  scans: string[];
  plan: string[];
}

interface Column {
  database: BenchDatabase['kind'];
  levels: Level[];
  seedSeconds: number;
  tickPlans: Plan[];
  listPlans: Plan[];
  /** Sequential scans in the tick's plans over tables of more than a thousand rows. */
  bigSeqScans: string[];
}

const SCAN = /((?:Parallel )?(?:Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan|Bitmap Index Scan)(?: Backward)?(?: using \w+)? on \w+)/;

/** Statements worth explaining: what reads tables (transaction control and SET are left out). */
const explainable = (q: CompiledQuery) => /^\s*(select|update|delete|insert|with)\b/i.test(q.sql);

async function plansOf(database: BenchDatabase, queries: CompiledQuery[]): Promise<Plan[]> {
  const seen = new Set<string>();
  const plans: Plan[] = [];
  for (const query of queries.filter(explainable)) {
    if (seen.has(query.sql)) continue;
    seen.add(query.sql);
    const plan = await explain(database.db, query);
    plans.push({ query: query.sql, plan, scans: plan.map((line) => SCAN.exec(line)?.[1]).filter((s): s is string => s !== undefined) });
  }
  return plans;
}

/** The statements `work` runs, as Herald ran them. */
async function captured(database: BenchDatabase, work: () => Promise<unknown>): Promise<CompiledQuery[]> {
  database.capture.queries = [];
  database.capture.on = true;
  try {
    await work();
  } finally {
    database.capture.on = false;
  }
  return database.capture.queries;
}

async function timeTicks(t: TestHerald, ticks: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < ticks; i += 1) {
    const started = performance.now();
    await t.herald.scheduler.tick(new Date());
    times.push(performance.now() - started);
  }
  return times;
}

async function timeList(t: TestHerald, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await listOpenIncidents(t.db, t.slack.teamId, 200);
    times.push(performance.now() - started);
  }
  return times;
}

async function runOn(database: BenchDatabase, sizes: Sizes['scheduler']): Promise<Column> {
  const slack = await startSlackStub();
  const t = await startTestHerald({ slack, database: database.asTestDatabase() });
  try {
    const teamId = slack.teamId;
    const now = new Date();
    const seedStarted = performance.now();
    await seedServices(database.bulk, teamId);
    await seedOpenIncidents(database.bulk, teamId, 1, sizes.incidents[0], now);
    await seedOutbox(database.bulk, teamId, sizes.doneOutboxRows, sizes.incidents[0], now);
    let seeded = sizes.incidents[0];
    let seedMs = performance.now() - seedStarted;
    const levels: Level[] = [];
    let tickPlans: Plan[] = [];
    let listPlans: Plan[] = [];
    for (const count of sizes.incidents) {
      const started = performance.now();
      if (count > seeded) await seedOpenIncidents(database.bulk, teamId, seeded + 1, count, now);
      seeded = count;
      await analyze(database.bulk);
      seedMs += performance.now() - started;
      await timeTicks(t, 3);
      const tickMs = await timeTicks(t, sizes.ticks);
      const listMs = await timeList(t, sizes.ticks);
      levels.push({ incidents: count, tickMs, listMs });
      progress(`   ${database.kind}: ${count.toLocaleString('en-US')} open incidents — tick ${fmt(median(tickMs))} ms`);
      if (count === sizes.incidents.at(-1)) {
        tickPlans = await plansOf(database, await captured(database, () => t.herald.scheduler.tick(new Date())));
        listPlans = await plansOf(database, await captured(database, () => listOpenIncidents(t.db, teamId, 200)));
      }
    }
    const bigSeqScans: string[] = [];
    for (const scan of tickPlans.flatMap((p) => p.scans).filter((s) => s.startsWith('Seq Scan'))) {
      const table = scan.split(' on ')[1];
      const rows = await sql<{ n: number }>`select reltuples::int as n from pg_class where relname = ${table}`.execute(database.bulk);
      if ((rows.rows[0]?.n ?? 0) > 1_000) bigSeqScans.push(scan);
    }
    return { database: database.kind, levels, seedSeconds: seedMs / 1000, tickPlans, listPlans, bigSeqScans };
  } finally {
    await t.stop();
    await slack.close();
  }
}

export async function benchScheduler(sizes: Sizes['scheduler'], serverUrl: string | null): Promise<SectionResult> {
  const columns: Column[] = [];
  const databases: Array<() => Promise<BenchDatabase>> = [...(serverUrl ? [() => createPostgresDatabase(serverUrl)] : []), () => createPgliteDatabase()];
  for (const create of databases) {
    const database = await create();
    progress(`4. scheduler: ${database.kind}, ${sizes.doneOutboxRows.toLocaleString('en-US')} delivered outbox rows`);
    try {
      columns.push(await runOn(database, sizes));
    } finally {
      await database.drop();
    }
  }

  const stat = (v: number[]) => `${fmt(median(v))} / ${fmt(max(v))}`;
  const rows = sizes.incidents.map((count, i) => [
    count.toLocaleString('en-US'),
    ...columns.flatMap((c) => [stat(c.levels[i].tickMs), stat(c.levels[i].listMs)]),
  ]);
  const header = ['open incidents', ...columns.flatMap((c) => [`tick, ${c.database} (ms)`, `list query, ${c.database} (ms)`])];
  const planLine = (p: Plan) => `- \`${p.query.replace(/\s+/g, ' ').slice(0, 160)}${p.query.length > 160 ? '…' : ''}\` → ${p.scans.join('; ') || p.plan[0]}`;
  const planText = columns.flatMap((c) => [
    `**${c.database}**, at ${sizes.incidents.at(-1)!.toLocaleString('en-US')} open incidents — the tick:`,
    '',
    ...c.tickPlans.map(planLine),
    '',
    'and the list query:',
    '',
    ...c.listPlans.map(planLine),
    '',
  ]);
  const markdown = [
    `One \`herald.scheduler.tick(now)\` — every job Herald's scheduler runs (the statements it ran are listed below with their plans) — with ${sizes.doneOutboxRows.toLocaleString('en-US')} delivered outbox rows, 100 pending retries due in an hour, and the open incidents below ` +
      `(bulk-inserted with generate_series, then ANALYZE as autovacuum would). Nothing is due, as on almost every tick. ${sizes.ticks} ticks per level after 3 unmeasured ones; median / max. ` +
      `\`list query\` is \`/incident list\`'s query (the newest 200 open incidents) on the same data. Herald in the bench process; seeding took ${columns.map((c) => `${c.seedSeconds.toFixed(0)} s on ${c.database}`).join(', ')}.`,
    '',
    table(header, rows),
    '',
    'EXPLAIN of every statement the tick ran (and the list query), with the parameters it ran with:',
    '',
    ...planText,
  ].join('\n');

  const goals: Goal[] = columns.map((c) => {
    const first = median(c.levels[0].tickMs);
    const last = median(c.levels.at(-1)!.tickMs);
    const seqScans = c.bigSeqScans;
    const at = c.levels.at(-1)!.incidents.toLocaleString('en-US');
    return {
      goal: `scheduler tick flat, < 20 ms at ${at} open incidents — ${c.database}`,
      measured: `${fmt(last)} ms at ${at} (${fmt(first)} ms at ${c.levels[0].incidents.toLocaleString('en-US')}); ${seqScans.length === 0 ? 'no sequential scan of a large table' : `sequential scans: ${seqScans.join(', ')}`}`,
      met: last < 20 && last < Math.max(2 * first, first + 2) && seqScans.length === 0,
    };
  });
  return { title: '4. Scheduler', markdown, goals };
}
