import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../machine';
import type { ProbeAnswer, Usage } from './probe';

/**
 * Servers under test run in child processes: their CPU time and memory are read from inside them
 * (see probe.ts), apart from the load generator and the Slack stand-in, which stay in the bench.
 */
export interface ServerChild {
  name: string;
  eventsUrl: string;
  usage(): Promise<Usage>;
  /** Collects garbage first (the child runs with --expose-gc), then reads usage. */
  usageAfterGc(): Promise<Usage>;
  stop(): Promise<void>;
}

const PROBE = join(ROOT, 'dist', 'bench', 'servers', 'probe.js');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
  });
}

async function startChild(name: string, script: string, env: Record<string, string | undefined>, ready: { path: string; status: number }): Promise<ServerChild> {
  const port = await freePort();
  const logPath = join(tmpdir(), `herald-bench-${name.replace(/\W+/g, '-').toLowerCase()}-${process.pid}.log`);
  const logFd = openSync(logPath, 'w');
  const child: ChildProcess = fork(script, [], {
    cwd: ROOT,
    // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server (open it in Chrome DevTools) to find where time goes.
    execArgv: ['--require', PROBE, '--expose-gc', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [])],
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', logFd, logFd, 'ipc'],
  });
  closeSync(logFd);
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) => child.once('exit', (code) => ((exited = code ?? 1), resolve())));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while ((await get(`${base}${ready.path}`)) !== ready.status) {
    if (exited !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start (exit ${exited}). Its log, ${logPath}:\n${readFileSync(logPath, 'utf8').slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  let seq = 0;
  const ask = (what: 'usage' | 'gc') =>
    new Promise<Usage>((resolve, reject) => {
      const id = ++seq;
      const onMessage = (m: ProbeAnswer) => {
        if (m?.id !== id) return;
        child.off('message', onMessage);
        resolve(m.usage);
      };
      child.on('message', onMessage);
      if (!child.send({ id, ask: what })) reject(new Error(`${name} is gone`));
    });

  return {
    name,
    eventsUrl: `${base}/slack/events`,
    usage: () => ask('usage'),
    usageAfterGc: () => ask('gc'),
    async stop() {
      if (exited === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exit;
        clearTimeout(timer);
      }
      if (exited === 0) rmSync(logPath, { force: true });
    },
  };
}

export interface SlackSide {
  token: string;
  apiUrl: string;
  botId: string;
  botUserId: string;
  signingSecret: string;
}

/** Herald as it runs in production: its own entry point (dist/src/main.js), configured by environment. */
export function startHeraldChild(
  name: string,
  slack: SlackSide,
  database: { url?: string; dataDir?: string },
  extraEnv: Record<string, string> = {},
): Promise<ServerChild> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    SLACK_APP_TOKEN: undefined,
    DATABASE_URL: database.url,
    DATA_DIR: database.dataDir ?? join(tmpdir(), 'herald-bench-unused'),
    LOG_LEVEL: 'info',
    ...extraEnv,
  };
  // /readyz, not /healthz: Herald answers /healthz while it still waits for its database and Slack.
  return startChild(name, join(ROOT, 'dist', 'src', 'main.js'), env, { path: '/readyz', status: 200 });
}

/** The bare Bolt floor (servers/bareBolt.ts); its receiver answers 404 to any GET once it listens. */
export async function startBareBoltChild(name: string, slack: SlackSide, answer?: 'help'): Promise<ServerChild> {
  const env = {
    ...process.env,
    BARE_BOLT_ANSWER: answer,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    BOT_ID: slack.botId,
    BOT_USER_ID: slack.botUserId,
  };
  return startChild(name, join(ROOT, 'dist', 'bench', 'servers', 'bareBolt.js'), env, { path: '/', status: 404 });
}
