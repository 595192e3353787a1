import { ConfigError, loadDatabaseConfig, secretsOf } from '../config';
import { describeError } from '../errors';
import { createLogger } from '../logger';
import { createDatabase } from './client';
import { migrateToLatest } from './migrate';

/** `npm run migrate`: brings the database up to date without starting the bot. */
async function main(): Promise<void> {
  const config = loadDatabaseConfig();
  const log = createLogger(config.logLevel, undefined, { secrets: secretsOf(config) });
  const db = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  try {
    await migrateToLatest(db, log);
    log.info('Database is up to date');
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? `Herald cannot migrate:\n${err.message}` : `Migration failed: ${describeError(err)}`);
  process.exit(1);
});
