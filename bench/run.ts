import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { postgresVersion } from './databases';
import { describeMachine, machineMarkdown, ROOT } from './machine';
import { FULL, parseOptions, QUICK, wants } from './options';
import { goalsTable, progress, type SectionResult } from './report';
import { benchAcknowledgement } from './sections/ack';
import { benchDeclare } from './sections/declare';
import { benchFanOut } from './sections/fanout';
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

  const goals = sections.flatMap((s) => s.goals);
  const markdown = [
    `# Herald benchmarks`,
    '',
    `Run ${new Date().toISOString()} with \`npm run bench${options.quick ? ' -- --quick' : ''}\` in ${((Date.now() - started) / 1000).toFixed(0)} s.`,
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
