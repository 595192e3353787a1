import { sql } from 'kysely';
import type { Config } from '../config';
import { createDatabase, isDatabaseUnavailable, type Database } from '../db/client';
import { describeError } from '../errors';
import { retryUntilStopped, StartupProblem, type WaitOptions } from './retry';

/** Node's connection errors may carry only a code (an AggregateError over IPv4 and IPv6 has no message). */
function reasonOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return describeError(err) || (typeof code === 'string' ? code : 'no answer');
}

/** Which server and database DATABASE_URL names, without its user, password or options. */
export function databaseWhere(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `DATABASE_URL (server ${url.host || 'localhost'}, database ${decodeURIComponent(url.pathname.slice(1)) || 'the default'})`;
  } catch {
    return 'DATABASE_URL';
  }
}

/**
 * Opens the database and waits until it answers. A PostgreSQL server that cannot be reached yet (it
 * is still starting beside Herald in a compose file, the network is down) is retried until it answers
 * or Herald is stopped; one that answers but refuses (wrong password, no such database) stops start-up,
 * naming DATABASE_URL. The password is never shown. The embedded database needs no waiting.
 */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, options: WaitOptions): Promise<Database> {
  const db = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log: options.log });
  if (!config.databaseUrl) return db;
  const where = databaseWhere(config.databaseUrl);
  try {
    await retryUntilStopped(
      {
        run: () => sql`select 1`.execute(db),
        temporaryProblem: (err) => (isDatabaseUnavailable(err) ? `Could not reach the database at ${where}: ${reasonOf(err)} — check that it runs, and the network` : null),
      },
      options,
    );
  } catch (err) {
    await db.destroy().catch(() => undefined);
    if (err instanceof Error && err.name === 'StartupStopped') throw err;
    throw new StartupProblem(`The database at ${where} refused Herald: ${reasonOf(err)}`);
  }
  return db;
}
