import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { postgresVersion } from './databases';
import { describeMachine, machineMarkdown, ROOT } from './machine';
import { FULL, parseOptions, QUICK, wants } from './options';
import { goalsTable, progress, type SectionResult } from './report';
import { benchAcknowledgement } from './sections/ack';
import { benchAlerts } from './sections/alerts';
import { benchDeclare } from './sections/declare';
import { benchFanOut } from './sections/fanout';
import { benchInsights } from './sections/insights';
import { benchMemory } from './sections/memory';
import { benchScheduler } from './sections/scheduler';

/**
 * `npm run bench` — how fast Herald answers, fans out and schedules, beside a floor measured in the same
 * run. `npm run bench -- --quick` runs small counts (CI). `--only=ack,declare,…` runs some sections.
 */
async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const sizes = options.quick ? QUICK : FULL;
  const postgres = await postgresVersion(options.databaseUrl);
  const serverUrl = postgres ? options.databaseUrl : null;
  if (!postgres) progress(`PostgreSQL at ${new URL(options.databaseUrl).host} does not answer; PostgreSQL columns are skipped`);
  const machine = describeMachine(postgres);
  const started = Date.now();

  const sections: SectionResult[] = [];
  if (wants(options, 'ack')) sections.push(await benchAcknowledgement(sizes.ack, serverUrl));
  if (wants(options, 'declare')) sections.push(await benchDeclare(sizes.declare, serverUrl));
  if (wants(options, 'fanout')) sections.push(await benchFanOut(sizes.fanout, serverUrl));
  if (wants(options, 'scheduler')) sections.push(await benchScheduler(sizes.scheduler, serverUrl));
  if (wants(options, 'memory')) sections.push(await benchMemory(sizes.memory, serverUrl));
  if (wants(options, 'insights')) sections.push(await benchInsights(sizes.insights, serverUrl));
  if (wants(options, 'alerts')) sections.push(await benchAlerts(sizes.alerts, serverUrl));

  const goals = sections.flatMap((s) => s.goals);
  const markdown = [
    `# Herald benchmarks`,
    '',
    `Run ${new Date().toISOString()} with \`npm run bench${options.quick ? ' -- --quick' : ''}\` in ${((Date.now() - started) / 1000).toFixed(0)} s.`,
    '',
    options.quick
      ? '**Quick run** (CI): small counts that show the bench still works; its figures are too few to judge the goals by.'
      : `The machine is shared (load average ${machine.loadAtStart[0].toFixed(1)} on ${machine.cores} cores when the run started), so absolute figures are noisy; ` +
        'what is measured side by side with a floor in the same run (alternating runs, ratios) holds better than any absolute number.',
    '',
    'How: `npm run bench` (full, writes this file), `npm run bench -- --quick` (CI), `--only=ack,declare,fanout,scheduler,memory,insights,alerts`, ' +
      '`BENCH_DATABASE_URL` (default postgres://postgres@127.0.0.1:5432/postgres; the bench creates and drops its own databases), ' +
      '`BENCH_CPU_PROF=<dir>` (V8 CPU profiles of the server processes).',
    '',
    machineMarkdown(machine, os.loadavg()),
    '',
    '## Goals',
    '',
    goalsTable(goals),
    '',
    ...sections.flatMap((s) => [`## ${s.title}`, '', s.markdown, '']),
  ].join('\n');
  process.stdout.write(`${markdown}\n`);
  if (options.out) {
    const path = resolve(ROOT, options.out);
    writeFileSync(path, markdown);
    progress(`written to ${path}`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
