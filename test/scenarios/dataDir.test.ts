import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../support/harness';
import { boundPort, buildHerald, declareAt, heraldEnv, listedAt, run, servingPort as serving, type Running } from '../support/heraldProcess';
import { startSlackStub, type SlackStub } from '../support/slackStub';
import { tempDir } from '../support/tempDirs';

/**
 * The embedded database (PGlite in DATA_DIR) belongs to one process. Herald is run here exactly as
 * `npm start` runs it, several processes at once on one folder.
 */
/** Opening a new embedded database takes seconds, and much longer on a busy machine: wait for it, up to this. */
const START_MS = 90_000;
const servingPort = (herald: Running) => serving(herald, START_MS);

describe('One DATA_DIR, one Herald', () => {
  let slack: SlackStub;
  let main: string;
  const started: Running[] = [];
  const start = (dataDir: string) => {
    const herald = run(heraldEnv(slack, { DATA_DIR: dataDir }), main);
    started.push(herald);
    return herald;
  };
  const stop = async (herald: Running) => {
    herald.child.kill('SIGTERM');
    expect(await herald.exited).toBe(0);
  };
  const freshDir = () => tempDir('herald-datadir-');

  beforeAll(async () => {
    main = buildHerald('dist/test-builds/dataDir');
    slack = await startSlackStub();
  }, 120_000);
  afterEach(() => {
    for (const herald of started.splice(0)) herald.child.kill('SIGKILL');
  });
  afterAll(async () => {
    await slack.close();
  });

  it('refuses a second Herald on the same DATA_DIR, naming the folder and the process holding it, and loses nothing', async () => {
    const dataDir = freshDir();
    const first = start(dataDir);
    const port = await servingPort(first);
    await declareAt(port, slack, 'Checkout down');

    const second = start(dataDir);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`DATA_DIR ${dataDir} is in use by another Herald process (pid ${first.child.pid} on ${hostname()}, since `);
    expect(second.output()).not.toContain('[object Object]');

    // The first goes on serving, and what it writes is kept.
    await declareAt(port, slack, 'Search slow');
    await declareAt(port, slack, 'Login errors');
    await stop(first);

    const again = start(dataDir);
    const listed = await listedAt(await servingPort(again), slack);
    for (const title of ['Checkout down', 'Search slow', 'Login errors']) expect(listed).toContain(title);
    expect(again.output()).not.toContain('no longer running');
  }, 4 * START_MS);

  it('takes over the lock of a Herald that was killed, and keeps its incidents', async () => {
    const dataDir = freshDir();
    const killed = start(dataDir);
    await declareAt(await servingPort(killed), slack, 'Before the crash');
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(existsSync(join(dataDir, 'herald.lock'))).toBe(true);

    const next = start(dataDir);
    const listed = await listedAt(await servingPort(next), slack);
    expect(listed).toContain('Before the crash');
    expect(next.output()).toContain('Took over DATA_DIR from a Herald process that is no longer running');
    expect(next.output()).toContain(`"pid":${killed.child.pid}`);
  }, 4 * START_MS);

  it('takes over a lock file naming a process that is gone', async () => {
    const dataDir = freshDir();
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => gone.on('exit', r));
    writeFileSync(join(dataDir, 'herald.lock'), JSON.stringify({ pid: gone.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' }));

    const herald = start(dataDir);
    await servingPort(herald);
    expect(herald.output()).toContain('Took over DATA_DIR from a Herald process that is no longer running');
    await stop(herald);
    expect(existsSync(join(dataDir, 'herald.lock'))).toBe(false);
  }, 2 * START_MS);

  it("refuses a DATA_DIR holding files that are not Herald's, and leaves them alone", async () => {
    const dataDir = freshDir();
    writeFileSync(join(dataDir, 'quarterly-report.xlsx'), 'not a database');

    const herald = start(dataDir);
    expect(await herald.exited).toBe(1);
    expect(herald.output()).toContain(`DATA_DIR ${dataDir} holds files that are not Herald's (quarterly-report.xlsx)`);
    expect(readdirSync(dataDir)).toEqual(['quarterly-report.xlsx']);
  }, START_MS);

  it('of two started at the same instant on an empty folder, one runs and the other says why it will not', async () => {
    const dataDir = freshDir();
    const pair = [start(dataDir), start(dataDir)];
    const codes: (number | null | undefined)[] = [undefined, undefined];
    pair.forEach((h, i) => void h.exited.then((code) => (codes[i] = code)));
    // Wait until one serves and the other has stopped.
    const winner = await waitFor(
      () => {
        const serving = pair.findIndex((h) => boundPort(h) !== null);
        return serving >= 0 && codes[1 - serving] !== undefined ? pair[serving] : null;
      },
      'one Herald to serve and the other to stop',
      START_MS,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n--- first:\n${pair[0].output()}\n--- second:\n${pair[1].output()}`);
    });
    const loser = pair.find((h) => h !== winner)!;
    expect(await loser.exited).toBe(1);
    expect(loser.output()).toContain(`DATA_DIR ${dataDir} is in use by another Herald process (pid ${winner.child.pid} on ${hostname()}`);
    expect(loser.output()).not.toContain('[object Object]');
    await stop(winner);
  }, 2 * START_MS);
});
