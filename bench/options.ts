/** Command-line options and the sizes of each section, full or `--quick` (for CI). */

export interface BenchOptions {
  quick: boolean;
  /** PostgreSQL server to create the bench's own databases on; null when none answers. */
  databaseUrl: string;
  /** Sections to run (all by default): ack, declare, fanout, scheduler, memory, insights, alerts. */
  only: Set<string> | null;
  /** Where the report is written; bench/results.md by default (--quick prints only, unless --out is given). */
  out: string | null;
}

export interface Sizes {
  ack: { concurrency: number[]; requests: Record<number, number>; rounds: number; warmup: number; openIncidents: number };
  declare: { declarations: number; slowDeclarations: number };
  fanout: { channels: number; dms: number };
  scheduler: { incidents: number[]; doneOutboxRows: number; ticks: number };
  memory: { requests: number };
  insights: { incidents: number; followUps: number; runs: number };
  alerts: { requests: number; warmup: number; groups: number };
}

export const FULL: Sizes = {
  ack: { concurrency: [1, 20, 100], requests: { 1: 600, 20: 2_500, 100: 3_000 }, rounds: 5, warmup: 3_000, openIncidents: 20 },
  declare: { declarations: 50, slowDeclarations: 10 },
  fanout: { channels: 50, dms: 150 },
  scheduler: { incidents: [1_000, 10_000, 100_000], doneOutboxRows: 1_000_000, ticks: 30 },
  memory: { requests: 20_000 },
  insights: { incidents: 10_000, followUps: 50_000, runs: 30 },
  alerts: { requests: 5_000, warmup: 1_000, groups: 30 },
};

export const QUICK: Sizes = {
  ack: { concurrency: [1, 20, 100], requests: { 1: 100, 20: 300, 100: 300 }, rounds: 1, warmup: 100, openIncidents: 20 },
  declare: { declarations: 5, slowDeclarations: 3 },
  fanout: { channels: 5, dms: 15 },
  scheduler: { incidents: [100, 1_000], doneOutboxRows: 10_000, ticks: 10 },
  memory: { requests: 1_000 },
  insights: { incidents: 1_000, followUps: 5_000, runs: 3 },
  alerts: { requests: 500, warmup: 100, groups: 5 },
};

const SECTIONS = ['ack', 'declare', 'fanout', 'scheduler', 'memory', 'insights', 'alerts'];

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : null;
  for (const name of only ?? []) {
    if (!SECTIONS.includes(name)) throw new Error(`Unknown section "${name}"; expected one of ${SECTIONS.join(', ')}`);
  }
  const outArg = argv.find((a) => a.startsWith('--out='));
  return {
    quick,
    databaseUrl: env.BENCH_DATABASE_URL || env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    only,
    out: outArg ? outArg.slice('--out='.length) : quick ? null : 'bench/results.md',
  };
}

export const wants = (options: BenchOptions, section: string): boolean => options.only === null || options.only.has(section);
