import { resolve } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { DeadlineExceededError, withDeadline } from '../deadline';
import type { Logger } from '../logger';
import { lockDataDir } from './dataDirLock';
import { openEmbeddedDatabase } from './embedded';
import { PGliteDialect } from './pgliteDialect';
import { postgresPoolStats, trackPoolStats } from './poolStats';
import { PreparingClient } from './preparedStatements';
import type { DB } from './schema';

export type Database = Kysely<DB>;
export { DeadlineExceededError, withDeadline };

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  log: Logger;
}

/** How long a new connection to PostgreSQL may take before the attempt counts as "database down". */
const CONNECT_TIMEOUT_MS = 2_000;

/**
 * Kysely over PostgreSQL when a URL is given, over embedded PGlite in `dataDir` otherwise. The
 * embedded database is locked to this process until the handle is destroyed (see dataDirLock.ts).
 */
export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = createPool(options.databaseUrl, options.log);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    trackPoolStats(db, postgresPoolStats(pool));
    return db;
  }
  const dir = resolve(options.dataDir);
  const lock = lockDataDir(dir, options.log);
  let pglite;
  try {
    pglite = await openEmbeddedDatabase(dir, options.log);
  } catch (err) {
    lock.release();
    throw err;
  }
  options.log.info({ dataDir: dir }, 'Using the embedded database');
  const dialect = new PGliteDialect(pglite, lock.release);
  const db = new Kysely<DB>({ dialect });
  trackPoolStats(db, () => dialect.stats());
  return db;
}

export function createPool(databaseUrl: string, log: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    // A server that stops answering must not hold a request past Slack's 3 seconds forever.
    query_timeout: 10_000,
    keepAlive: true,
    Client: PreparingClient,
  });
  // An idle client losing its connection (a restart, a failover) must not crash the process;
  // the pool drops it and the next query opens a new one.
  pool.on('error', (err) => log.warn({ err }, 'Lost an idle database connection'));
  // The pool stops listening for a client's errors while it is checked out; a connection dropped
  // mid-query would then be an unhandled 'error' event and kill the process. The query itself
  // still fails with the error, which is what its caller handles.
  pool.on('connect', (client) => client.on('error', (err) => log.warn({ err }, 'Lost a database connection in use')));
  return pool;
}

/** True when the database answers within `timeoutMs`. */
export async function pingDatabase(db: Database, timeoutMs = 1_000): Promise<boolean> {
  try {
    await withDeadline(sql`select 1`.execute(db), timeoutMs);
    return true;
  } catch {
    return false;
  }
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', '57P01', '57P02', '57P03']);
const CONNECTION_ERROR_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Connection ended|Client has encountered a connection error|Query read timeout|connect ECONNREFUSED/i;

/** Whether an error means "the database cannot be reached" rather than a fault in a query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof DeadlineExceededError) return true;
  // Duck-typed: errors raised by Node's sockets need not share this realm's Error class.
  if (typeof err !== 'object' || err === null) return false;
  const { code, message, errors } = err as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08'))) return true;
  if (Array.isArray(errors) && errors.some(isDatabaseUnavailable)) return true;
  return typeof message === 'string' && CONNECTION_ERROR_MESSAGES.test(message);
}
