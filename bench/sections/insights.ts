import { performance } from 'node:perf_hooks';
import { sql, type CompiledQuery } from 'kysely';
import { buildInsightsReport } from '../../src/insights/report';
import { WINDOWS, type WindowName } from '../../src/insights/model';
import { createPgliteDatabase, createPostgresDatabase, explain, type BenchDatabase } from '../databases';
import type { Sizes } from '../options';
import { progress, table, type Goal, type SectionResult } from '../report';
import { analyze, seedHistory } from '../seed';
import { fmt, max, median } from '../stats';

const TEAM = 'TBENCH';
const SCAN = /((?:Parallel )?(?:Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan|Bitmap Index Scan)(?: Backward)?(?: using \w+)? on \w+)/;

interface Probe {
  name: string;
  run: (db: BenchDatabase['db'], now: Date) => Promise<unknown>;
}

/** What is timed: the report for each window, for the workspace and for one service. */
function probes(serviceId: number): Probe[] {
  return WINDOWS.flatMap((window: WindowName) => [
    { name: `insights ${window}`, run: (db, now) => buildInsightsReport(db, { teamId: TEAM, window }, now) },
    { name: `insights ${window}, one service`, run: (db, now) => buildInsightsReport(db, { teamId: TEAM, window, serviceId }, now) },
  ]);
}

interface Column {
  database: BenchDatabase['kind'];
  seedSeconds: number;
  times: Map<string, number[]>;
  plans: Array<{ query: string; scans: string[] }>;
  bigSeqScans: string[];
}

async function runOn(database: BenchDatabase, sizes: Sizes['insights']): Promise<Column> {
  const now = new Date();
  const seedStarted = performance.now();
  await seedHistory(database.bulk, TEAM, sizes, now);
  await analyze(database.bulk);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const service = await database.db.selectFrom('services').select('id').where('team_id', '=', TEAM).orderBy('id').executeTakeFirstOrThrow();
  const list = probes(service.id);
  const times = new Map<string, number[]>(list.map((p) => [p.name, []]));
  for (const probe of list) await probe.run(database.db, now); // warm-up
  // Alternating probes, so a burst of load on the shared machine does not fall on one of them.
  for (let i = 0; i < sizes.runs; i += 1) {
    for (const probe of list) {
      const started = performance.now();
      await probe.run(database.db, now);
      times.get(probe.name)!.push(performance.now() - started);
    }
  }
  progress(`   ${database.kind}: ${list.map((p) => `${p.name} ${fmt(median(times.get(p.name)!))} ms`).join(', ')}`);

  database.capture.queries = [];
  database.capture.on = true;
  try {
    for (const probe of list) await probe.run(database.db, now);
  } finally {
    database.capture.on = false;
  }
  const seen = new Set<string>();
  const plans: Column['plans'] = [];
  const bigSeqScans = new Set<string>();
  for (const query of database.capture.queries as CompiledQuery[]) {
    const key = `${query.sql}|${JSON.stringify(query.parameters)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const plan = await explain(database.db, query);
    const scans = plan.map((line) => SCAN.exec(line)?.[1]).filter((s): s is string => s !== undefined);
    if (!plans.some((p) => p.query === query.sql && p.scans.join() === scans.join())) plans.push({ query: query.sql, scans });
    for (const scan of scans.filter((s) => s.startsWith('Seq Scan'))) {
      const tableName = scan.split(' on ')[1];
      const rows = await sql<{ n: number }>`select reltuples::int as n from pg_class where relname = ${tableName}`.execute(database.bulk);
      if ((rows.rows[0]?.n ?? 0) > 1_000) bigSeqScans.add(scan);
    }
  }
  return { database: database.kind, seedSeconds, times, plans, bigSeqScans: [...bigSeqScans] };
}

export async function benchInsights(sizes: Sizes['insights'], serverUrl: string | null): Promise<SectionResult> {
  const columns: Column[] = [];
  const databases: Array<() => Promise<BenchDatabase>> = [...(serverUrl ? [() => createPostgresDatabase(serverUrl)] : []), () => createPgliteDatabase()];
  for (const create of databases) {
    const database = await create();
    progress(`6. insights: ${database.kind}, ${sizes.incidents.toLocaleString('en-US')} past incidents, ${sizes.followUps.toLocaleString('en-US')} follow-ups`);
    try {
      columns.push(await runOn(database, sizes));
    } finally {
      await database.drop();
    }
  }
  const names = [...(columns[0]?.times.keys() ?? [])];
  const stat = (v: number[]) => `${fmt(median(v))} / ${fmt(max(v))}`;
  const rows = names.map((name) => [name, ...columns.map((c) => stat(c.times.get(name)!))]);
  const planLine = (p: Column['plans'][number]) => `- \`${p.query.replace(/\s+/g, ' ').slice(0, 140)}…\` → ${p.scans.join('; ')}`;
  const markdown = [
    `\`buildInsightsReport\` — what \`/incident insights\` and the Home tab's service health run — over a workspace with ${sizes.incidents.toLocaleString('en-US')} past incidents ` +
      `spread over two years (one or two of twelve services each, three status updates, timeline events, a review for SEV1–3) and ${sizes.followUps.toLocaleString('en-US')} follow-ups ` +
      `(one in 25 open), bulk-inserted then ANALYZEd. Each report covers its window and the one before it. ${sizes.runs} runs of each after a warm-up, alternating; median / max in ms. ` +
      `Seeding took ${columns.map((c) => `${c.seedSeconds.toFixed(0)} s on ${c.database}`).join(', ')}.`,
    '',
    table(['report', ...columns.map((c) => `${c.database} (ms)`)], rows),
    '',
    'EXPLAIN of every statement the reports ran (one line per distinct plan):',
    '',
    ...columns.flatMap((c) => [`**${c.database}**:`, '', ...c.plans.map(planLine), '']),
  ].join('\n');
  const goals: Goal[] = columns.map((c) => {
    const worst = Math.max(...names.map((n) => median(c.times.get(n)!)));
    const worstName = names.find((n) => median(c.times.get(n)!) === worst);
    return {
      goal: `insights report < 50 ms median at ${sizes.incidents.toLocaleString('en-US')} past incidents / ${sizes.followUps.toLocaleString('en-US')} follow-ups — ${c.database}`,
      measured: `slowest: ${worstName} ${fmt(worst)} ms; ${c.bigSeqScans.length === 0 ? 'no sequential scan of a large table' : `sequential scans: ${c.bigSeqScans.join(', ')}`}`,
      met: c.database === 'PostgreSQL' ? worst < 50 && c.bigSeqScans.length === 0 : null,
      note: c.database === 'PostgreSQL' ? undefined : 'the target is set on PostgreSQL; PGlite shown for comparison',
    };
  });
  return { title: '6. Insights', markdown, goals };
}
