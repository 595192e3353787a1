import type pg from 'pg';

/** How busy the database's connections are right now. */
export interface PoolStats {
  /** `postgres` (a pool of connections to a server) or `embedded` (PGlite's one session). */
  database: 'postgres' | 'embedded';
  max: number;
  inUse: number;
  idle: number;
  /** Callers waiting for a connection (for PGlite, for its one session). */
  waiting: number;
}

const readers = new WeakMap<object, () => PoolStats>();

/** Remembers how to read `db`'s connection figures (done where the handle is made). */
export function trackPoolStats(db: object, read: () => PoolStats): void {
  readers.set(db, read);
}

/** The connection figures of `db`, or null for a handle nobody tracked. */
export function poolStatsOf(db: object): PoolStats | null {
  return readers.get(db)?.() ?? null;
}

/** node-postgres' own counts: connections open, idle, and queries queued for one. */
export function postgresPoolStats(pool: pg.Pool): () => PoolStats {
  return () => ({
    database: 'postgres',
    max: pool.options.max ?? 10,
    inUse: pool.totalCount - pool.idleCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  });
}
