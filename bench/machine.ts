import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';

/** The project's root: this file runs from dist/bench/. */
export const ROOT = resolve(__dirname, '..', '..');

const PACKAGES = ['@slack/bolt', '@slack/web-api', 'kysely', 'pg', '@electric-sql/pglite', 'pino', 'zod', 'node-cron', 'typescript'];

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string | null;
  packages: Record<string, string>;
  loadAtStart: number[];
}

function packageVersion(name: string): string {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version as string;
  } catch {
    return 'not installed';
  }
}

export function describeMachine(postgres: string | null): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    postgres,
    packages: Object.fromEntries(PACKAGES.map((p) => [p, packageVersion(p)])),
    loadAtStart: os.loadavg(),
  };
}

export function machineMarkdown(m: Machine, finishedLoad: number[]): string {
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' / ');
  return [
    `| | |`,
    `|---|---|`,
    `| CPU | ${m.cpu}, ${m.cores} cores |`,
    `| memory | ${m.memoryGiB} GiB |`,
    `| OS | ${m.os} |`,
    `| Node | ${m.node} |`,
    `| PostgreSQL | ${m.postgres ?? 'not reachable — PostgreSQL columns skipped'} |`,
    `| packages | ${Object.entries(m.packages).map(([k, v]) => `${k} ${v}`).join(', ')} |`,
    `| load average (1/5/15 min) | ${load(m.loadAtStart)} at start, ${load(finishedLoad)} at the end |`,
  ].join('\n');
}
