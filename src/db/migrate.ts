import { Migrator, type MigrationProvider } from 'kysely';
import { migrations } from '../../db/migrations';
import type { Logger } from '../logger';
import type { Database } from './client';

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings the schema up to date. Kysely's migrator runs in a transaction holding a PostgreSQL advisory
 * lock, so replicas starting together apply each migration once and the others wait, then find nothing to do.
 */
export async function migrateToLatest(db: Database, log: Logger): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === 'Success') log.info({ migration: result.migrationName }, 'Applied migration');
    if (result.status === 'Error') log.error({ migration: result.migrationName }, 'Migration failed');
  }
  if (error) throw error;
}

/** Migrations this database has not run yet, by name, in the order they would run. Reads only. */
export async function pendingMigrations(db: Database): Promise<string[]> {
  const known = await new Migrator({ db, provider }).getMigrations();
  return known.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
