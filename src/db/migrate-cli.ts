import { ConfigError, loadDatabaseConfig, secretsOf } from '../config';
import { describeError } from '../errors';
import { createLogger } from '../logger';
import { openDatabase } from '../startup/database';
import { StartupProblem, StartupStopped } from '../startup/retry';
import { migrateToLatest } from './migrate';

/**
 * `npm run migrate`: brings the database up to date without starting the bot. Like `npm start`, it
 * waits for a PostgreSQL server that cannot be reached yet (a migration job started beside it), until
 * stopped; SIGTERM or Ctrl-C while it waits exits 0.
 */
async function main(): Promise<void> {
  const config = loadDatabaseConfig();
  const log = createLogger(config.logLevel, undefined, { secrets: secretsOf(config) });
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  process.once('SIGINT', () => stop.abort());
  let db;
  try {
    db = await openDatabase(config, { signal: stop.signal, log });
  } catch (err) {
    if (!(err instanceof StartupStopped)) throw err;
    log.info('Stopped');
    return;
  }
  try {
    await migrateToLatest(db, log);
    log.info('Database is up to date');
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(`Herald cannot migrate:\n${err.message}`);
  else console.error(`Migration failed: ${err instanceof StartupProblem ? err.message : describeError(err)}`);
  process.exit(1);
});
