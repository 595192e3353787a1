import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { createPool, type Database } from '../src/db/client';
import { migrateToLatest } from '../src/db/migrate';
import { PGliteDialect } from '../src/db/pgliteDialect';
import type { DB } from '../src/db/schema';
import type { TestDatabase } from '../test/support/database';
import { silentLogger } from '../test/support/logger';
import { createScratchDatabase } from '../test/support/scratchDatabase';

export type DatabaseKind = 'PostgreSQL' | 'PGlite';

/** A fresh, migrated database of its own for one bench section, dropped afterwards. */
export interface BenchDatabase {
  kind: DatabaseKind;
  /** Configured as Herald configures it (pool size, timeouts). */
  db: Database;
  /** For bulk seeding: no query timeout. */
  bulk: Database;
  /** PostgreSQL: this database's URL, for a Herald child process. */
  url?: string;
  /** Records every query Herald runs while on (to EXPLAIN what a scheduler tick does). */
  capture: { on: boolean; queries: CompiledQuery[] };
  /** What the test harness expects; no outage proxy sits in front of the bench's databases. */
  asTestDatabase(): TestDatabase;
  drop(): Promise<void>;
}

/** The server's version when it answers, else null (the bench then runs the PGlite columns only). */
export async function postgresVersion(serverUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('show server_version');
    return `PostgreSQL ${rows[0].server_version}`;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function capturing(capture: BenchDatabase['capture']) {
  return (event: LogEvent) => {
    if (capture.on && event.level === 'query') capture.queries.push(event.query);
  };
}

function wrap(kind: DatabaseKind, db: Database, bulk: Database, capture: BenchDatabase['capture'], drop: () => Promise<void>, url?: string): BenchDatabase {
  const noOutage = { cut: async () => undefined, hang: async () => undefined, restore: async () => undefined };
  return {
    kind,
    db,
    bulk,
    url,
    capture,
    asTestDatabase: () => ({ outage: noOutage, url, connect: () => db, drop: async () => undefined }),
    drop,
  };
}

export async function createPostgresDatabase(serverUrl: string): Promise<BenchDatabase> {
  const scratch = await createScratchDatabase(serverUrl, 'herald_bench');
  const url = scratch.url;
  const capture = { on: false, queries: [] as CompiledQuery[] };
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: createPool(url.toString(), silentLogger) }), log: capturing(capture) });
  await migrateToLatest(db, silentLogger);
  const bulkPool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  // Dropping the scratch database ends every connection to it; one the pool still held idle ending
  // then is expected, and without a listener its 'error' event would kill the bench.
  bulkPool.on('error', () => undefined);
  const bulk = new Kysely<DB>({ dialect: new PostgresDialect({ pool: bulkPool }) });
  return wrap('PostgreSQL', db, bulk, capture, async () => {
    await db.destroy().catch(() => undefined);
    await bulk.destroy().catch(() => undefined);
    await scratch.drop();
  }, url.toString());
}

/** Embedded PGlite, in memory or in `dataDir` (so a Herald child can open it after the bench seeds it). */
export async function createPgliteDatabase(dataDir?: string): Promise<BenchDatabase> {
  const pglite = new PGlite(dataDir);
  const capture = { on: false, queries: [] as CompiledQuery[] };
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite), log: capturing(capture) });
  await migrateToLatest(db, silentLogger);
  return wrap('PGlite', db, db, capture, () => db.destroy());
}

/** The plan PostgreSQL would use for a query Herald ran, with its own parameters. */
export async function explain(db: Database, query: CompiledQuery): Promise<string[]> {
  const result = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]));
  return result.rows.map((r) => r['QUERY PLAN']);
}
