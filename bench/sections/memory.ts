import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad } from '../load';
import type { Sizes } from '../options';
import { progress, table, type Goal, type SectionResult } from '../report';
import { startHeraldChild, type ServerChild } from '../servers/children';
import type { Usage } from '../servers/probe';
import { fmt } from '../stats';
import { QUIET_SCHEDULER, SIGNING_SECRET, startFleet } from './serverFleet';

interface Reading {
  server: string;
  idle: Usage;
  idleAfterGc: Usage;
  loaded: Usage;
  loadedAfterGc: Usage;
}

const MiB = (bytes: number) => fmt(bytes / 2 ** 20, 0);
/** The goal for the embedded database: a newcomer's first start fits a small container. */
const IDLE_GOAL_MIB = 200;
const FIRST_START = 'Herald (PGlite), first start on an empty DATA_DIR';

/** Resident memory of freshly started servers, idle and after a mix of help and list requests. */
export async function benchMemory(sizes: Sizes['memory'], serverUrl: string | null): Promise<SectionResult> {
  progress(`5. memory: fresh servers, then ${sizes.requests.toLocaleString('en-US')} requests each`);
  const fleet = await startFleet(serverUrl, 20);
  // Started as a newcomer does: nothing in DATA_DIR. The fleet's PGlite server opens a database made before (a later start).
  const emptyDataDir = mkdtempSync(join(tmpdir(), 'herald-bench-first-start-'));
  let firstStart: ServerChild | null = null;
  try {
    firstStart = await startHeraldChild(FIRST_START, fleet.side, { dataDir: emptyDataDir }, QUIET_SCHEDULER);
    const servers = [fleet.bolt, fleet.heraldPg, fleet.heraldPglite, firstStart].filter((s): s is ServerChild => s !== null);
    await new Promise((r) => setTimeout(r, 2_000));
    const readings: Reading[] = [];
    for (const server of servers) {
      const idle = await server.usage();
      const idleAfterGc = await server.usageAfterGc();
      const target = { url: server.eventsUrl, signingSecret: SIGNING_SECRET, teamId: fleet.teamId };
      const result = await runLoad(target, (n) => (n % 2 === 0 ? 'help' : 'list'), sizes.requests, 20);
      const failures = Object.values(result.failures).reduce((a, b) => a + b, 0);
      if (failures > 0) throw new Error(`${server.name} failed ${failures} requests`);
      const loaded = await server.usage();
      const loadedAfterGc = await server.usageAfterGc();
      readings.push({ server: server.name, idle, idleAfterGc, loaded, loadedAfterGc });
    }
    const rows = readings.map((r) => [
      r.server,
      MiB(r.idle.treeRss),
      MiB(r.idle.peakRss),
      MiB(r.loaded.memory.rss),
      MiB(r.loadedAfterGc.memory.rss),
      `${MiB(r.idleAfterGc.memory.heapUsed)} → ${MiB(r.loadedAfterGc.memory.heapUsed)}`,
      `${MiB(r.idleAfterGc.memory.external)} → ${MiB(r.loadedAfterGc.memory.external)}`,
    ]);
    const markdown = [
      `Each server freshly started in its own child process, read 2 s after start ("idle": resident memory of the server and any process it started; "peak": the server's highest since it started), then after ${sizes.requests.toLocaleString('en-US')} requests ` +
        `(\`help\` and \`list\` alternately, concurrency 20; bare Bolt only acknowledges them). "after GC" is read after a full collection (\`--expose-gc\`), ` +
        `which separates what is kept from garbage not yet collected. PGlite's RSS includes the embedded PostgreSQL (WebAssembly) and its buffers. ` +
        `"${FIRST_START}" creates its database as a newcomer's first \`npm start\` does; the other PGlite server opens one made before. ` +
        `RSS that grows while the heap kept after GC stays flat is memory V8 and the allocator hold on to for reuse (bare Bolt shows it too), not a leak.`,
      '',
      table(['server', 'RSS idle (MiB)', 'RSS peak (MiB)', `RSS after ${sizes.requests.toLocaleString('en-US')} requests (MiB)`, 'RSS after GC (MiB)', 'heap used idle → after (MiB, after GC)', 'external (MiB, after GC)'], rows),
    ].join('\n');
    const goals: Goal[] = readings
      .filter((r) => r.server !== fleet.bolt.name && r.server !== FIRST_START)
      .map((r) => {
        const grown = r.loadedAfterGc.memory.heapUsed - r.idleAfterGc.memory.heapUsed;
        return {
          goal: `memory idle and after ${sizes.requests.toLocaleString('en-US')} requests — ${r.server}`,
          measured: `RSS ${MiB(r.idle.memory.rss)} → ${MiB(r.loaded.memory.rss)} MiB; heap kept ${grown >= 0 ? '+' : ''}${MiB(grown)} MiB`,
          met: null,
          note: 'no goal set; reported',
        };
      });
    const idleGoal = (server: string, which: string): Goal => {
      const r = readings.find((x) => x.server === server)!;
      return {
        goal: `RSS idle < ${IDLE_GOAL_MIB} MiB — PGlite, ${which}`,
        measured: `${MiB(r.idle.treeRss)} MiB idle (peak ${MiB(r.idle.peakRss)} MiB); ${MiB(r.loaded.treeRss)} MiB after ${sizes.requests.toLocaleString('en-US')} requests`,
        met: r.idle.treeRss < IDLE_GOAL_MIB * 2 ** 20,
        note: 'the server and any process it started',
      };
    };
    goals.push(idleGoal(FIRST_START, 'first start on empty DATA_DIR'), idleGoal(fleet.heraldPglite.name, 'later start'));
    return { title: '5. Memory', markdown, goals };
  } finally {
    await firstStart?.stop();
    await fleet.stop();
    rmSync(emptyDataDir, { recursive: true, force: true });
  }
}
