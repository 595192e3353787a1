import { ConfigError, loadConfig } from './config';
import { createDatabase } from './db/client';
import { migrateToLatest } from './db/migrate';
import { describeError } from './errors';
import { startHerald } from './herald';
import { createLogger } from './logger';

/** How long SIGTERM waits for in-flight work before exiting anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Herald cannot start:\n${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const db = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  await migrateToLatest(db, log);
  const herald = await startHerald({ config, db, log });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'Stopping: no new work is taken, work in flight finishes');
    setTimeout(() => {
      log.error('Shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    await herald.stop();
    await db.destroy();
    log.info('Stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  const log = createLogger('info');
  log.fatal({ err }, `Herald failed to start: ${describeError(err)}`);
  process.exit(1);
});
