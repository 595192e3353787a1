import { ConfigError, loadConfig, secretsOf, type Config } from './config';
import type { Database } from './db/client';
import { migrateToLatest } from './db/migrate';
import { describeError } from './errors';
import { startHerald, type Herald } from './herald';
import { createLogger, type Logger } from './logger';
import { openFrontDoor, type FrontDoor } from './slack/frontDoor';
import { openDatabase } from './startup/database';
import { StartupProblem, StartupStopped } from './startup/retry';
import { advance, startingListener, startupStatus } from './startup/status';

/** How long SIGTERM waits for in-flight work before exiting anyway. */
const SHUTDOWN_GRACE_MS = 10_000;
/**
 * During start-up, how long SIGTERM waits for the step under way (waits end at once): the first
 * opening of the embedded database takes many seconds on a busy machine, and cutting it short could
 * leave DATA_DIR half made.
 */
const STARTUP_STOP_GRACE_MS = 60_000;

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`Herald cannot start:\n${err.message}`);
    process.exit(1);
  }
}

/** PORT first, so a taken port is refused at once, before the database or Slack are even tried. */
async function bindPort(config: Config, log: Logger, listener: Parameters<typeof openFrontDoor>[1]): Promise<FrontDoor> {
  try {
    return await openFrontDoor(config.port, listener, config.host);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new StartupProblem(`PORT ${config.port} is already in use by another program (another Herald?): stop it, or set PORT to a free port`);
    if (code === 'EACCES') throw new StartupProblem(`PORT ${config.port} needs privileges this process does not have: set PORT above 1023`);
    log.debug({ err }, 'Could not bind PORT');
    throw new StartupProblem(`PORT ${config.port} could not be bound: ${describeError(err)}`);
  }
}

/**
 * Start-up, in order: PORT, the database (waiting for it), migrations, Slack (waiting for it). /healthz
 * answers throughout and /readyz says what Herald waits for. SIGTERM or SIGINT at any moment stops
 * cleanly: a wait ends at once, a step under way (opening the embedded database, a migration) finishes.
 */
export async function main(earlySignals: NodeJS.Signals[]): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.logLevel, undefined, { secrets: secretsOf(config) });
  const status = startupStatus('database');
  const stopRequested = new AbortController();
  let herald: Herald | undefined;
  let db: Database | undefined;
  let frontDoor: FrontDoor | undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      log.error(herald ? 'Shutdown took too long; exiting' : `Stopping took too long (waiting for ${status.waitingFor}); exiting`);
      process.exit(1);
    }, herald ? SHUTDOWN_GRACE_MS : STARTUP_STOP_GRACE_MS).unref();
    if (!herald) {
      // Start-up notices, ends its wait, cleans up and exits (below).
      log.info({ signal, waitingFor: status.waitingFor }, 'Stopping during start-up');
      stopRequested.abort();
      return;
    }
    log.info({ signal }, 'Stopping: no new work is taken, work in flight finishes');
    await herald.stop();
    await db?.destroy();
    log.info('Stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  if (earlySignals[0]) void stop(earlySignals[0]);

  const waiting = { signal: stopRequested.signal, log, onProblem: (line: string) => (status.problem = line) };
  const stoppedYet = () => {
    if (stopRequested.signal.aborted) throw new StartupStopped();
  };
  try {
    frontDoor = await bindPort(config, log, startingListener(status));
    log.info({ port: frontDoor.port }, 'Listening on PORT: /healthz answers, /readyz says what start-up waits for');
    db = await openDatabase(config, waiting);
    stoppedYet();
    advance(status, 'migrations');
    await migrateToLatest(db, log);
    stoppedYet();
    const started = await startHerald({ config, db, log, startup: { frontDoor, status, signal: stopRequested.signal } });
    herald = started;
    if (stopRequested.signal.aborted) {
      stopping = false;
      await stop('SIGTERM');
    }
  } catch (err) {
    await frontDoor?.close();
    await db?.destroy().catch(() => undefined);
    if (err instanceof StartupStopped || stopRequested.signal.aborted) {
      log.info('Stopped');
      process.exit(0);
    }
    if (err instanceof StartupProblem) {
      log.fatal(`Herald cannot start: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

/** A failure nobody foresaw: its stack helps whoever reports it. */
export function failedToStart(err: unknown): never {
  createLogger('info').fatal({ err }, `Herald failed to start: ${describeError(err)}`);
  process.exit(1);
}
