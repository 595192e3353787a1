import type { Sizes } from '../options';
import http from 'node:http';
import { runLoad, sendSigned, slashCommandBody, type LoadResult, type Target } from '../load';
import { fmt, median, percentile } from '../stats';
import { progress, table, type Goal, type SectionResult } from '../report';
import type { ServerChild } from '../servers/children';
import { SIGNING_SECRET, startFleet, type Fleet } from './serverFleet';

type Command = 'help' | 'list';

interface Round {
  requests: number;
  elapsedMs: number;
  cpuMicros: number;
}

interface Measured {
  command: Command;
  concurrency: number;
  server: string;
  rounds: Round[];
  /** Pooled over the rounds. */
  latencies: number[];
  failures: number;
}

const target = (fleet: Fleet, server: ServerChild): Target => ({ url: server.eventsUrl, signingSecret: SIGNING_SECRET, teamId: fleet.teamId });

/** One run against one server, with the server's own CPU time read before and after. */
async function measure(fleet: Fleet, server: ServerChild, command: Command, requests: number, concurrency: number): Promise<{ load: LoadResult; cpuMicros: number }> {
  const before = await server.usage();
  const load = await runLoad(target(fleet, server), () => command, requests, concurrency);
  const after = await server.usage();
  const cpuMicros = after.cpu.user - before.cpu.user + (after.cpu.system - before.cpu.system);
  return { load, cpuMicros };
}

/** Herald's answers are checked once, so the bench never times an error page. */
async function checkAnswers(fleet: Fleet, heralds: ServerChild[]): Promise<void> {
  for (const server of heralds) {
    const agent = new http.Agent();
    const help = await sendSigned(target(fleet, server), slashCommandBody(target(fleet, server), 'help', 0), agent);
    const list = await sendSigned(target(fleet, server), slashCommandBody(target(fleet, server), 'list', 0), agent);
    agent.destroy();
    if (help.status !== 200 || !help.body.includes('Herald commands')) throw new Error(`${server.name} answered help with ${help.status} ${help.body.slice(0, 200)}`);
    if (list.status !== 200 || !list.body.includes(`Open incidents (${fleet.openIncidents})`)) {
      throw new Error(`${server.name} answered list with ${list.status} ${list.body.slice(0, 200)}`);
    }
  }
}

export async function benchAcknowledgement(sizes: Sizes['ack'], serverUrl: string | null): Promise<SectionResult> {
  progress('1. acknowledgement: starting bare Bolt and Herald in child processes');
  const fleet = await startFleet(serverUrl, sizes.openIncidents);
  try {
    const heralds = [fleet.heraldPg, fleet.heraldPglite].filter((s): s is ServerChild => s !== null);
    await checkAnswers(fleet, heralds);
    for (const server of [fleet.bolt, fleet.boltWithHelpBody, ...heralds]) {
      for (const command of ['help', 'list'] as const) await runLoad(target(fleet, server), () => command, sizes.warmup, 10);
    }

    const results: Measured[] = [];
    for (const command of ['help', 'list'] as const) {
      // help never reads the database, so one Herald suffices; list is measured on both databases.
      const servers = command === 'help' ? [fleet.bolt, fleet.boltWithHelpBody, heralds[0]] : [fleet.bolt, ...heralds];
      for (const concurrency of sizes.concurrency) {
        const requests = sizes.requests[concurrency] ?? 1_000;
        const byServer = new Map(servers.map((s) => [s.name, { rounds: [] as Round[], latencies: [] as number[], failures: 0 }]));
        for (let round = 0; round < sizes.rounds; round += 1) {
          // Alternating, and in the opposite order every other round, so drift in the machine's load hits all alike.
          const order = round % 2 === 0 ? servers : [...servers].reverse();
          for (const server of order) {
            const { load, cpuMicros } = await measure(fleet, server, command, requests, concurrency);
            const acc = byServer.get(server.name)!;
            acc.rounds.push({ requests: load.requests, elapsedMs: load.elapsedMs, cpuMicros });
            acc.latencies.push(...load.latencies);
            acc.failures += Object.values(load.failures).reduce((a, b) => a + b, 0);
          }
        }
        for (const [server, acc] of byServer) results.push({ command, concurrency, server, ...acc });
        progress(`   ${command} at concurrency ${concurrency}: done`);
      }
    }
    return report(results, fleet, sizes);
  } finally {
    await fleet.stop();
  }
}

const cpuPerRequest = (r: Round) => r.cpuMicros / r.requests;

function report(results: Measured[], fleet: Fleet, sizes: Sizes['ack']): SectionResult {
  const floor = (m: Measured, server = fleet.bolt.name) => results.find((r) => r.command === m.command && r.concurrency === m.concurrency && r.server === server);
  /** Each round against the floor's run next to it, so a change in the machine's load cancels out; the median of those. */
  const pairedRatio = (m: Measured, server = fleet.bolt.name) => {
    const base = floor(m, server);
    return base ? median(m.rounds.map((r, i) => cpuPerRequest(r) / cpuPerRequest(base.rounds[i]))) : NaN;
  };
  const rows = results.map((m) => [
    `\`/incident ${m.command}\``,
    m.concurrency,
    m.server,
    fmt(median(m.rounds.map((r) => (r.requests / r.elapsedMs) * 1000)), 0),
    fmt(percentile(m.latencies, 50)),
    fmt(percentile(m.latencies, 99)),
    fmt(median(m.rounds.map(cpuPerRequest)), 0),
    m.rounds.length > 1 ? m.rounds.map((r) => fmt(cpuPerRequest(r), 0)).join(' · ') : '',
    m.server === fleet.bolt.name ? '1.00×' : `${pairedRatio(m).toFixed(2)}×`,
    m.failures,
  ]);
  const markdown = [
    `Signed slash commands over kept-alive connections from a closed-loop load generator in the bench process; each server runs in its own child process and reports its own CPU time (user + system) over IPC, so the load generator's work is not counted. ` +
      `${sizes.rounds} alternating round(s) per cell (order reversed every other round), ${Object.entries(sizes.requests).map(([c, n]) => `${n} requests at concurrency ${c}`).join(', ')} per round, after ${sizes.warmup} warm-up requests of each command per server. ` +
      `req/s and CPU are medians over the rounds; the ratio is the median of each round against the bare Bolt run beside it; latencies are pooled over the rounds. ` +
      `\`list\` reads ${fleet.openIncidents} open incidents among 500 closed ones. Herald runs its real entry point (\`dist/src/main.js\`) at LOG_LEVEL=info with the scheduler's cron set to once a year (section 4 measures its tick). ` +
      `"bare Bolt + help body" acknowledges with the same 3.4 KB body Herald's help sends, built once: the difference between it and bare Bolt is what answering with that body costs Bolt and Node, whoever writes it. ` +
      `With PostgreSQL the database's own CPU is in the server's processes, not counted here; PGlite runs inside Herald, so its CPU is.`,
    '',
    table(['command', 'concurrency', 'server', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/request', 'per round', 'CPU vs bare Bolt', 'non-200'], rows),
  ].join('\n');

  const goals: Goal[] = [];
  const heraldNames = new Set([fleet.heraldPg?.name, fleet.heraldPglite.name]);
  const heraldHelp = results.filter((r) => r.command === 'help' && heraldNames.has(r.server));
  if (heraldHelp.length > 0) {
    const ratios = heraldHelp.map((m) => pairedRatio(m));
    const bodyRatios = heraldHelp.map((m) => pairedRatio(floor(m, fleet.boltWithHelpBody.name)!));
    const ownRatios = heraldHelp.map((m) => pairedRatio(m, fleet.boltWithHelpBody.name));
    goals.push({
      goal: '`help` CPU per request ≤ 1.2× bare Bolt',
      measured: heraldHelp.map((m, i) => `${ratios[i].toFixed(2)}× at c=${m.concurrency}`).join(', '),
      met: Math.max(...ratios) <= 1.2,
      note:
        `bounded by the answer itself: bare Bolt acknowledging with the same 3.4 KB help body costs ${bodyRatios.map((r) => `${r.toFixed(2)}×`).join(', ')} ` +
        `of an empty ack (Bolt serializes it, Node writes it chunked); Herald against that floor: ${ownRatios.map((r) => `${r.toFixed(2)}×`).join(', ')}`,
    });
  }
  for (const m of results.filter((r) => r.command === 'list' && r.concurrency === 20 && heraldNames.has(r.server))) {
    const p99 = percentile(m.latencies, 99);
    const cpu = median(m.rounds.map(cpuPerRequest));
    goals.push({
      goal: `\`list\` p99 < 50 ms at concurrency 20 — ${m.server}`,
      measured: `${fmt(p99)} ms (p50 ${fmt(percentile(m.latencies, 50))} ms)`,
      met: p99 < 50,
      // With 20 requests always in flight on one event loop, each waits behind the others' CPU.
      note: `${fmt(cpu, 0)} µs of Herald CPU per request${m.server.includes('PGlite') ? ' (the embedded database included, on the same thread)' : ''}: 20 in flight queue ${fmt((20 * cpu) / 1000)} ms of work on one event loop`,
    });
  }
  return { title: '1. Acknowledgement', markdown, goals };
}
