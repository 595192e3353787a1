/**
 * Starts the sandbox: a Slack stand-in in this process, Herald on embedded PGlite talking to it, and
 * the page on Herald's own port. Herald runs unchanged; only its settings point at the stand-in.
 */
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, slackCredentialsIn } from '../config';
import { createDatabase, type Database } from '../db/client';
import { migrateToLatest } from '../db/migrate';
import { startHerald, type Herald } from '../herald';
import { createLogger, type Logger } from '../logger';
import { createSandboxClock, type SandboxClock } from './clock';
import { readSave, startSaver } from './persist';
import { emptyHeraldTables } from './reset';
import { sandboxRoutes, type SandboxControls } from './routes';
import { startSlackStub } from './slack/server';
import type { SlackStub } from './slack/types';
import { SlackSide } from './slackSide';
import { SAMPLE_PEOPLE, SANDBOX_SETTINGS, SANDBOX_TEAM, seedChannels, seedServices } from './workspace';

export interface Sandbox {
  /** Where a person opens the page. */
  url: string;
  port: number;
  herald: Herald;
  stub: SlackStub;
  controls: SandboxControls;
  stop(): Promise<void>;
}

/** Why the sandbox will not start with this environment, or null. */
export function sandboxRefusal(env: NodeJS.ProcessEnv): string | null {
  const credentials = slackCredentialsIn(env);
  if (credentials.length > 0) {
    return `The sandbox never runs beside a real Slack app: unset ${credentials.join(', ')} (it makes its own stand-in credentials).`;
  }
  if ((env.DATABASE_URL ?? '').trim() !== '') return 'The sandbox keeps its data in the embedded database under DATA_DIR: unset DATABASE_URL, so a reset cannot empty a real database.';
  return null;
}

/**
 * `env` is the environment as any run takes it. The sandbox's defaults come first (127.0.0.1, its own
 * DATA_DIR, quiet logs), the person's environment may override them, and the Slack settings are the
 * stand-in's whatever the environment says.
 */
export async function startSandbox(env: NodeJS.ProcessEnv, log?: Logger): Promise<Sandbox> {
  const refusal = sandboxRefusal(env);
  if (refusal) throw new ConfigError([refusal]);
  const clock: SandboxClock = createSandboxClock();
  const stub = await startSlackStub({ token: 'xoxb-sandbox', teamId: SANDBOX_TEAM, users: SAMPLE_PEOPLE, messageClock: () => clock.now().getTime() });
  const signingSecret = randomBytes(32).toString('hex');
  let db: Database | undefined;
  try {
    const config = loadConfig({
      HOST: '127.0.0.1',
      DATA_DIR: './.sandbox-data',
      LOG_LEVEL: 'warn',
      ...SANDBOX_SETTINGS,
      ...env,
      SLACK_BOT_TOKEN: stub.token,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: stub.apiUrl,
    });
    const logger = log ?? createLogger(config.logLevel);
    db = await createDatabase({ dataDir: config.dataDir, log: logger });
    await migrateToLatest(db, logger);
    const heraldDb = db;
    // Reset empties every table: never in a DATA_DIR that a real installation has used.
    const foreign =
      (await heraldDb.selectFrom('services').select('team_id').where('team_id', '<>', SANDBOX_TEAM).executeTakeFirst()) ??
      (await heraldDb.selectFrom('incidents').select('team_id').where('team_id', '<>', SANDBOX_TEAM).executeTakeFirst());
    if (foreign) throw new ConfigError([`DATA_DIR ${config.dataDir} holds a real workspace's data (team ${foreign.team_id}); give the sandbox a DATA_DIR of its own.`]);
    // Herald's data refers to the Slack side saved beside it; with none saved, both start afresh.
    const saved = readSave(config.dataDir);
    if (saved) {
      stub.loadWorkspace(saved.workspace);
      clock.restore(saved.offsetMs);
    } else {
      await emptyHeraldTables(heraldDb);
      seedChannels(stub);
      await seedServices(heraldDb, clock.now());
    }

    let eventsUrl = '';
    let herald: Herald | undefined;
    const side = new SlackSide({ stub, eventsUrl: () => eventsUrl, signingSecret, now: clock.now, people: SAMPLE_PEOPLE });
    const controls: SandboxControls = {
      stub,
      side,
      clock,
      people: SAMPLE_PEOPLE.map(({ id, name, tz }) => ({ id, name, ...(tz ? { tz } : {}) })),
      async fastForward(ms) {
        clock.advance(ms);
        await herald?.scheduler.tick();
      },
      async reset() {
        await emptyHeraldTables(heraldDb);
        stub.resetWorkspace();
        side.forget();
        clock.reset();
        seedChannels(stub);
        await seedServices(heraldDb, clock.now());
      },
    };
    if (saved) side.restore(saved);
    const saver = startSaver(config.dataDir, () => ({ workspace: stub.saveWorkspace(), ...side.saved(), offsetMs: clock.offsetMs }));
    herald = await startHerald({ config, db, log: logger, clock: clock.now, routes: sandboxRoutes(controls) });
    const loopback = !config.host || config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    eventsUrl = `http://${loopback.includes(':') ? `[${loopback}]` : loopback}:${herald.port}/slack/events`;
    const started = herald;
    return {
      url: `http://localhost:${herald.port}/sandbox`,
      port: herald.port,
      herald: started,
      stub,
      controls,
      async stop() {
        await started.stop();
        saver.stop();
        await heraldDb.destroy();
        await stub.close();
      },
    };
  } catch (err) {
    await db?.destroy();
    await stub.close();
    throw err;
  }
}
