import { closeSync, linkSync, openSync, readdirSync, readFileSync, unlinkSync, writeFileSync, writeSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../logger';

/**
 * The embedded database is one PostgreSQL data directory opened by one process: PGlite takes no lock
 * of its own, and two processes writing the same files lose each other's data without a word. So
 * Herald holds `herald.lock` in DATA_DIR while it runs, and refuses a DATA_DIR that holds someone
 * else's files.
 */
export const LOCK_FILE = 'herald.lock';
/** Written once Herald owns a DATA_DIR, so a later start knows the files in it are Herald's. */
export const MARKER_FILE = 'herald-data-dir';
const TAKEOVER_FILE = 'herald.lock.takeover';
/** Locks this process holds, so a second open of the same DATA_DIR in one process is refused too. */
const heldHere = new Set<string>();
/** What the lock file says about the process holding it. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  /** The holder's start time in clock ticks since boot (Linux), so a reused pid is not taken for it. */
  startTicks?: string;
}

/** DATA_DIR cannot be used; the message names it and says why. */
export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

export interface DataDirLock {
  /** Removes the lock if it is still this process's; safe to call more than once. */
  release(): void;
}

/** Herald's own files beside the database: the lock, its private and takeover files, the marker. */
const isHeraldEntry = (name: string) => name === LOCK_FILE || name === MARKER_FILE || name.startsWith(`${LOCK_FILE}.`);
/** What a freshly formatted volume or a desktop puts in any folder; not a sign of someone else's data. */
const IGNORED = new Set(['lost+found', '.DS_Store']);

/**
 * Takes DATA_DIR for this process, or throws a DataDirError naming DATA_DIR and, when another Herald
 * holds it, that process (pid, host, since when). A lock left by a process that is gone from this
 * host is taken over. `dir` must be resolved already.
 */
export function lockDataDir(dir: string, log: Logger): DataDirLock {
  mkdirSync(dir, { recursive: true });
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), startTicks: startTicksOf(process.pid) };
  const lockPath = join(dir, LOCK_FILE);
  const content = JSON.stringify(me);
  acquire(dir, lockPath, content, log);
  let held = true;
  heldHere.add(lockPath);
  const release = () => {
    if (!held) return;
    held = false;
    heldHere.delete(lockPath);
    process.removeListener('exit', release);
    try {
      // Only our own lock: never remove one another process took over.
      if (readFileSync(lockPath, 'utf8') === content) unlinkSync(lockPath);
    } catch {
      // Already gone; nothing to release.
    }
  };
  // Best effort when the process ends without a clean stop (a fatal error after start-up).
  process.on('exit', release);
  try {
    refuseForeignFiles(dir);
  } catch (err) {
    release();
    throw err;
  }
  writeMarker(dir);
  return { release };
}

/**
 * Creates the lock file with its whole content in one step: written under a private name, then
 * hard-linked to `herald.lock`, which fails if the lock exists. A reader never sees it half written.
 */
function acquire(dir: string, lockPath: string, content: string, log: Logger): void {
  const privatePath = `${lockPath}.${process.pid}.tmp`;
  writeFileSync(privatePath, content);
  try {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      try {
        linkSync(privatePath, lockPath);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const seen = readIfExists(lockPath);
      if (seen === null) continue; // Released between our attempt and the read: try again.
      const holder = parseHolder(seen);
      if (holder && isAlive(holder, lockPath)) throw inUse(dir, holder);
      takeOverStale(dir, lockPath, seen, holder, log);
    }
    throw new DataDirError(`DATA_DIR ${dir} is being locked and unlocked by other processes; start Herald again.`);
  } finally {
    try {
      unlinkSync(privatePath);
    } catch {
      // Nothing to clean up.
    }
  }
}

/**
 * Removes a stale lock, under a short-lived takeover file so that two processes finding the same
 * stale lock cannot both remove it — the second would otherwise remove the first's new lock.
 */
function takeOverStale(dir: string, lockPath: string, stale: string, holder: LockHolder | null, log: Logger): void {
  const takeoverPath = join(dir, TAKEOVER_FILE);
  let fd: number;
  try {
    fd = openSync(takeoverPath, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another process is taking over. If it died doing so, clear its takeover file.
    const other = parseHolder(readIfExists(takeoverPath) ?? '');
    if (other && !isAlive(other, takeoverPath)) unlinkQuietly(takeoverPath);
    else pause(20);
    return;
  }
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), startTicks: startTicksOf(process.pid) }));
    closeSync(fd);
    // Still the same stale lock? Then nobody else has replaced it, and it is ours to remove.
    if (readIfExists(lockPath) === stale) {
      unlinkSync(lockPath);
      log.warn({ dataDir: dir, staleHolder: holder ?? stale }, 'Took over DATA_DIR from a Herald process that is no longer running');
    }
  } finally {
    unlinkQuietly(takeoverPath);
  }
}

function writeMarker(dir: string): void {
  try {
    writeFileSync(join(dir, MARKER_FILE), 'This folder holds Herald’s embedded database (DATA_DIR). Keep other files out of it.\n', { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

function refuseForeignFiles(dir: string): void {
  const entries = readdirSync(dir);
  const others = entries.filter((name) => !isHeraldEntry(name) && !IGNORED.has(name));
  if (others.length === 0) return;
  // A data directory created by an earlier Herald (before the marker existed) holds PG_VERSION.
  if (entries.includes(MARKER_FILE) || entries.includes('PG_VERSION')) return;
  const shown = others.slice(0, 3).join(', ') + (others.length > 3 ? ', …' : '');
  throw new DataDirError(
    `DATA_DIR ${dir} holds files that are not Herald's (${shown}). Point DATA_DIR at an empty folder or at Herald's own data.`,
  );
}

function inUse(dir: string, holder: LockHolder): DataDirError {
  return new DataDirError(
    `DATA_DIR ${dir} is in use by another Herald process (pid ${holder.pid} on ${holder.host}, since ${holder.since}). ` +
      'The embedded database belongs to one process: stop that one first, or give each Herald its own DATA_DIR — replicas need PostgreSQL (DATABASE_URL).',
  );
}

/** Whether the process named by a lock still runs. On another host we cannot tell, so it counts as alive. */
function isAlive(holder: LockHolder, lockPath: string): boolean {
  if (holder.host !== hostname()) return true;
  // Our own pid in someone's lock is a previous life of this container or machine (pid 1 after a restart).
  if (holder.pid === process.pid) return heldHere.has(lockPath);
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  // The pid runs, but perhaps as a different process that reused it.
  const ticks = startTicksOf(holder.pid);
  return !(holder.startTicks && ticks && ticks !== holder.startTicks);
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return null;
    return { pid: value.pid, host: value.host, since: String(value.since ?? 'an unknown time'), startTicks: value.startTicks };
  } catch {
    return null;
  }
}

/** A process's start time from /proc (Linux only; undefined elsewhere). */
function startTicksOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at its closing parenthesis; starttime is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
