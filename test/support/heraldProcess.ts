/**
 * Herald run as `npm start` runs it: the compiled entry point in its own process, on PORT=0, with
 * its port read from the "Herald is serving" log line.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { DECLARE_BLOCKS } from '../../src/slack/ids';
import { SIGNING_SECRET, waitFor } from './harness';
import { form, signedPost, stateFor, type SignedResponse } from './slackRequests';
import type { SlackStub } from './slackStub';

const root = resolve(__dirname, '../..');
const defaultMain = join(root, 'dist/src/main.js');

export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * `npm start` runs the compiled build; build it so a test exercises the real entry point. A test file
 * may build into its own folder under dist/, so that two files building at once never run a half-written one.
 * Returns the entry point.
 */
export function buildHerald(outDir = 'dist'): string {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: root });
  return join(root, outDir, 'src/main.js');
}

export function run(env: Record<string, string>, main = defaultMain): Running {
  const child = spawn(process.execPath, [main], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => output, exited };
}

/** The environment of a Herald talking to `slack` on a free port. */
export function heraldEnv(slack: SlackStub, env: Record<string, string>): Record<string, string> {
  return { SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0', LOG_LEVEL: 'info', ...env };
}

/** Herald's log lines so far whose message contains `text`. */
export function linesWith(herald: Running, text: string): Array<Record<string, any>> {
  return herald
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes(text))
    .map((l) => JSON.parse(l) as Record<string, any>)
    .filter((l) => String(l.msg).includes(text));
}

/**
 * Waits until Herald has logged `count` lines containing `text` and returns them. The bound is
 * generous (a start is many times slower on a busy machine); exiting first fails at once, with the output.
 */
export async function waitForLines(herald: Running, text: string, count = 1, timeoutMs = 90_000): Promise<Array<Record<string, any>>> {
  let exitCode: number | null | undefined;
  void herald.exited.then((code) => (exitCode = code));
  return waitFor(
    () => {
      const lines = linesWith(herald, text);
      if (lines.length >= count) return lines;
      if (exitCode !== undefined) throw new Error(`Herald exited (${exitCode}) before logging "${text}"`);
      return null;
    },
    `${count} log line(s) with "${text}"`,
    timeoutMs,
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n${herald.output()}`);
  });
}

/** The port from the "Herald is serving" line, or null while there is none. */
export function boundPort(herald: Running): number | null {
  const line = herald
    .output()
    .split('\n')
    .find((l) => l.includes('"Herald is serving"'));
  return line ? (JSON.parse(line) as { port: number }).port : null;
}

/**
 * Waits for Herald's "serving" log line and returns the port it bound. Herald is started on PORT=0,
 * so the kernel picks a free port: a port picked at random here could be taken by another test's
 * server. If Herald exits first, fails at once with what it printed. The bound is generous: a start
 * (node, the embedded database, migrations, Slack's answers) is many times slower on a busy machine.
 */
export async function servingPort(herald: Running, timeoutMs = 90_000): Promise<number> {
  let exitCode: number | null | undefined;
  void herald.exited.then((code) => (exitCode = code));
  const port = await waitFor(
    () => {
      if (exitCode !== undefined) throw new Error(`Herald exited (${exitCode}) before serving`);
      return boundPort(herald);
    },
    'Herald to serve',
    timeoutMs,
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n${herald.output()}`);
  });
  expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  return port;
}

/** Sends `/incident <text>` to the Herald serving on `port`, signed as Slack signs it. */
export function commandAt(port: number, slack: SlackStub, text: string): Promise<SignedResponse> {
  const body = form({
    command: '/incident',
    text,
    team_id: slack.teamId,
    user_id: 'U1',
    channel_id: 'CGENERAL',
    response_url: slack.responseUrl(),
    trigger_id: slack.issueTrigger(),
  });
  return signedPost(`http://127.0.0.1:${port}/slack/events`, body, 'application/x-www-form-urlencoded', { secret: SIGNING_SECRET });
}

/** Declares an incident through the modal, as a person would, at the Herald serving on `port`. */
export async function declareAt(port: number, slack: SlackStub, title: string): Promise<void> {
  const before = slack.openedViews().length;
  expect((await commandAt(port, slack, `declare ${title}`)).status).toBe(200);
  await waitFor(() => slack.openedViews().length > before, 'the declare modal');
  const opened = [...slack.views.values()].at(-1)!;
  const view = { ...opened.view, id: opened.id, hash: opened.hash, team_id: slack.teamId };
  const payload = {
    type: 'view_submission',
    team: { id: slack.teamId, domain: 'herald-test' },
    user: { id: 'U1', team_id: slack.teamId },
    api_app_id: 'A0HERALD',
    trigger_id: slack.issueTrigger(),
    view: { ...view, state: { values: stateFor(view, { [DECLARE_BLOCKS.severity]: 'SEV1' }) } },
  };
  const res = await signedPost(`http://127.0.0.1:${port}/slack/events`, form({ payload: JSON.stringify(payload) }), 'application/x-www-form-urlencoded', {
    secret: SIGNING_SECRET,
  });
  expect(res.status).toBe(200);
  expect(res.json?.response_action).toBeUndefined();
}

/** The titles `/incident list` shows at the Herald serving on `port`. */
export async function listedAt(port: number, slack: SlackStub): Promise<string> {
  const res = await commandAt(port, slack, 'list');
  return JSON.stringify(res.json);
}
