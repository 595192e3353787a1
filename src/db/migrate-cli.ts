import { ConfigError } from '../config';
import { createLogger } from '../logger';
import { createDatabase } from './client';
import { migrateToLatest } from './migrate';
import { z } from 'zod';

/** `npm run migrate`: needs only the database settings, not Slack's. */
async function main(): Promise<void> {
  const env = z
    .object({ DATABASE_URL: z.string().optional(), DATA_DIR: z.string().default('./.data'), LOG_LEVEL: z.string().default('info') })
    .parse(process.env);
  const log = createLogger(env.LOG_LEVEL);
  const db = await createDatabase({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.DATA_DIR, log });
  try {
    await migrateToLatest(db, log);
    log.info('Database is up to date');
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : `Migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
