import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { createPool, type Database } from '../../src/db/client';
import { migrateToLatest } from '../../src/db/migrate';
import { PGliteDialect } from '../../src/db/pgliteDialect';
import { postgresPoolStats, trackPoolStats } from '../../src/db/poolStats';
import type { DB } from '../../src/db/schema';
import { silentLogger } from './logger';
import { outageDialect, startTcpProxy, type OutageSwitch } from './outage';
import { createScratchDatabase } from './scratchDatabase';

/** Set TEST_DATABASE_URL to run the suite against a PostgreSQL server instead of embedded PGlite. */
export const serverUrl = process.env.TEST_DATABASE_URL || undefined;
export const usingServer = serverUrl !== undefined;

export interface TestDatabase {
  /** Takes the database away from connections made by connect(), and gives it back. */
  outage: OutageSwitch;
  /** For the server: the URL of this test's own database, so several app instances can share it. */
  url?: string;
  /** A fresh migrated Kysely handle; each call opens a new pool (or the one embedded instance). */
  connect(): Database;
  drop(): Promise<void>;
}

let embedded: Promise<{ db: Database; outage: OutageSwitch }> | undefined;

async function emptyAllTables(db: Database): Promise<void> {
  const tables = await sql<{ tablename: string }>`
    select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%'`.execute(db);
  if (tables.rows.length === 0) return;
  await sql`truncate ${sql.join(tables.rows.map((t) => sql.table(t.tablename)))} restart identity cascade`.execute(db);
}

/** A fresh, empty, migrated database of the kind this run uses. */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  if (!serverUrl && !migrated) {
    const db = new Kysely<DB>({ dialect: new PGliteDialect(new PGlite()) });
    return { outage: { cut: async () => {}, hang: async () => {}, restore: async () => {} }, connect: () => db, drop: () => db.destroy() };
  }
  if (!serverUrl) {
    // Starting PGlite takes seconds; each test file keeps one migrated instance and empties it per test.
    embedded ??= (async () => {
      const pglite = new PGlite();
      const embeddedDialect = new PGliteDialect(pglite);
      const faulty = outageDialect(embeddedDialect);
      const db = new Kysely<DB>({ dialect: faulty.dialect });
      trackPoolStats(db, () => embeddedDialect.stats());
      await migrateToLatest(db, silentLogger);
      return { db, outage: faulty.switch };
    })();
    const { db, outage } = await embedded;
    await outage.restore();
    await emptyAllTables(db);
    return { outage, connect: () => db, drop: () => outage.restore() };
  }
  const scratch = await createScratchDatabase(serverUrl, 'herald_test');
  const url = scratch.url;
  // Herald reaches the server through a proxy the test can cut.
  const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  const proxied = new URL(url.toString());
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  const handles: Database[] = [];
  const connect = () => {
    const pool = createPool(proxied.toString(), silentLogger);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    trackPoolStats(db, postgresPoolStats(pool));
    handles.push(db);
    return db;
  };
  if (migrated) await migrateToLatest(connect(), silentLogger);
  return {
    url: url.toString(),
    outage: proxy,
    connect,
    drop: async () => {
      await proxy.restore().catch(() => undefined);
      await Promise.all(handles.map((h) => h.destroy().catch(() => undefined)));
      await proxy.close();
      await scratch.drop();
    },
  };
}

/** Closes this test file's embedded instance; registered for every file in test/support/setup.ts. */
export async function closeEmbeddedDatabase(): Promise<void> {
  if (!embedded) return;
  const { db } = await embedded;
  embedded = undefined;
  await db.destroy();
}
